import type { Io } from "./io.ts";
// Printing results: `--output json` prints one JSON document (bigints as strings), the
// default prints the human lines.
export function toJson(value: unknown, compact = false): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v), compact ? undefined : 2);
}

export function emit(ctx: { json: boolean; io: Io }, data: unknown, human: string | string[]): void {
  if (ctx.json) ctx.io.out(toJson(data));
  else ctx.io.out(Array.isArray(human) ? human.join("\n") : human);
}

/** A text table with right-aligned numeric columns. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d,.]+$/.test(r[i] ?? "")));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
