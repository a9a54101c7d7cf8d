// jsonParsed form of upgradeable-loader accounts (program, programData, buffer), as agave
// shows them under "bpf-upgradeable-loader".
import { toBase58, toBase64, u32le, u64le } from "./codec.ts";
import { UPGRADEABLE_LOADER } from "./constants.ts";
import type { Account } from "./accounts.ts";

const optionKey = (d: Uint8Array, at: number) => (d[at] === 1 ? toBase58(d.subarray(at + 1, at + 33)) : null);

export function parseLoaderAccountJson(a: Account): object | null {
  if (a.owner !== UPGRADEABLE_LOADER || a.data.length < 4) return null;
  const d = a.data;
  const tag = u32le(d, 0);
  let parsed: object | null = null;
  if (tag === 0) parsed = { type: "uninitialized" };
  else if (tag === 1 && d.length >= 37) parsed = { info: { authority: optionKey(d, 4), data: [toBase64(d.subarray(37)), "base64"] }, type: "buffer" };
  else if (tag === 2 && d.length >= 36) parsed = { info: { programData: toBase58(d.subarray(4, 36)) }, type: "program" };
  else if (tag === 3 && d.length >= 45)
    parsed = { info: { authority: optionKey(d, 12), data: [toBase64(d.subarray(45)), "base64"], slot: Number(u64le(d, 4)) }, type: "programData" };
  return parsed ? { parsed, program: "bpf-upgradeable-loader", space: d.length } : null;
}
