// Saving and loading the whole validator: LiteSVM's own snapshot (accounts, sysvars, its
// transaction history) in FILE, and the ledger LiteSVM does not keep (slot, blockhashes,
// signature statuses and transaction records) in FILE.meta.json.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fromBase64, toBase64 } from "./chain/codec.ts";
import type { ChainState, TxRecord } from "./chain/chain.ts";
import type { Svm } from "./chain/svm.ts";
import { JsonFloat } from "./chain/tokens.ts";

const metaPath = (file: string) => `${file}.meta.json`;

function encodeValue(v: unknown): unknown {
  if (typeof v === "bigint") return { $u64: v.toString() };
  if (v instanceof Uint8Array) return { $bytes: toBase64(v) };
  if (v instanceof JsonFloat) return { $float: v.value };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x)]));
  return v;
}

function decodeValue(v: any): any {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v && typeof v === "object") {
    if ("$u64" in v) return BigInt(v.$u64);
    if ("$bytes" in v) return fromBase64(v.$bytes);
    if ("$float" in v) return new JsonFloat(v.$float);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeValue(x)]));
  }
  return v;
}

export function ledgerExists(file: string): boolean {
  return existsSync(file) && existsSync(metaPath(file));
}

export function removeLedger(file: string): void {
  rmSync(file, { force: true });
  rmSync(metaPath(file), { force: true });
}

export function saveLedger(file: string, svm: Svm, state: ChainState): void {
  // Write both beside their final names, then rename: a crash mid-save keeps the old ledger.
  svm.saveToFile(`${file}.tmp`);
  writeFileSync(`${metaPath(file)}.tmp`, JSON.stringify(encodeValue(state)));
  renameSync(`${file}.tmp`, file);
  renameSync(`${metaPath(file)}.tmp`, metaPath(file));
}

export function loadLedgerState(file: string): ChainState {
  const state = decodeValue(JSON.parse(readFileSync(metaPath(file), "utf8"))) as ChainState;
  state.records = state.records as TxRecord[];
  return state;
}
