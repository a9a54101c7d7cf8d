// The shape of a JSON-RPC answer, for comparing two validators: keys and value types, with
// error codes and messages (digits masked) kept, since clients branch on those.
export function shape(v: unknown, key = ""): unknown {
  if (v === null) return null;
  if (Array.isArray(v)) {
    if (v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string" && /^(base64|base58|base64\+zstd)$/.test(v[1]))
      return ["<data>", v[1]];
    return v.length === 0 ? [] : [shape(v[0], key)];
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      if (key === "error" && (k === "code" || k === "message")) out[k] = k === "message" ? String(o[k]).replace(/\d+/g, "N") : Number(o[k]);
      else out[k] = shape(o[k], k);
    }
    return out;
  }
  if (key === "confirmationStatus" || key === "jsonrpc" || key === "encoding" || key === "type" || key === "program") return v;
  return typeof v;
}
