// Accounts and transactions in the RPC's encodings, and JSON with u64 numbers kept exact.
import { toBase58, toBase64, zstdRawFrame } from "../chain/codec.ts";
import type { Account } from "../chain/accounts.ts";
import type { Chain, TxRecord, TokenBalance } from "../chain/chain.ts";
import { parseTokenAccountJson } from "../chain/tokens.ts";
import { parseTransaction } from "../chain/wire.ts";
import { enumOf } from "./params.ts";
import { invalidParams as invalidParamsMsg } from "./errors.ts";

/** JSON.stringify that writes bigints as plain JSON numbers (u64 values such as rentEpoch). */
export function stringify(value: unknown): string {
  let text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `__u64__${v}__` : v));
  if (text.includes("__u64__")) text = text.replace(/"__u64__(\d+)__"/g, "$1");
  if (text.includes("__raw__")) text = text.replace(/"__raw__([-0-9.e+]+)__"/g, "$1");
  return text;
}

export const ACCOUNT_ENCODINGS = ["binary", "base58", "base64", "jsonParsed", "base64+zstd"] as const;
export type AccountEncoding = (typeof ACCOUNT_ENCODINGS)[number];

export interface DataSlice {
  offset: number;
  length: number;
}

export function accountEncoding(v: unknown, fallback: AccountEncoding = "binary"): AccountEncoding {
  return enumOf(v, ACCOUNT_ENCODINGS, fallback);
}

export function dataSlice(v: unknown): DataSlice | undefined {
  if (v === undefined || v === null) return undefined;
  const s = v as DataSlice;
  if (typeof s !== "object" || !Number.isInteger(s.offset) || !Number.isInteger(s.length) || s.offset < 0 || s.length < 0)
    throw invalidParamsMsg("Invalid params: missing field `offset`.");
  return s;
}

function encodeData(data: Uint8Array, encoding: AccountEncoding, slice?: DataSlice): unknown {
  const d = slice ? data.subarray(slice.offset, slice.offset + slice.length) : data;
  switch (encoding) {
    case "binary":
    case "base58":
      if (d.length > 128) throw invalidParamsMsg("Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.");
      return encoding === "binary" ? toBase58(d) : [toBase58(d), "base58"];
    case "base64+zstd":
      return [toBase64(zstdRawFrame(d)), "base64+zstd"];
    default:
      return [toBase64(d), "base64"];
  }
}

export function encodeAccount(chain: Chain, a: Account, encoding: AccountEncoding, slice?: DataSlice) {
  let data: unknown;
  if (encoding === "jsonParsed") {
    data = parseTokenAccountJson(a, chain.decimalsOf) ?? encodeData(a.data, "base64", slice);
  } else data = encodeData(a.data, encoding, slice);
  return { data, executable: a.executable, lamports: a.lamports, owner: a.owner, rentEpoch: a.rentEpoch, space: a.data.length };
}

export const TX_ENCODINGS = ["binary", "base64", "base58", "json", "jsonParsed"] as const;
export type TxEncoding = (typeof TX_ENCODINGS)[number];

function encodeTokenBalances(list: TokenBalance[]) {
  return list.map((b) => ({ accountIndex: b.accountIndex, mint: b.mint, owner: b.owner, programId: b.programId, uiTokenAmount: b.uiTokenAmount }));
}

export function encodeMeta(r: TxRecord) {
  const meta: Record<string, unknown> = {
    computeUnitsConsumed: r.computeUnits,
    costUnits: r.costUnits,
    err: r.err ? r.err.json : null,
    fee: r.fee,
    innerInstructions: r.innerInstructions.map((g) => ({
      index: g.index,
      instructions: g.instructions.map((ix) => ({ accounts: ix.accounts, data: toBase58(ix.data), programIdIndex: ix.programIdIndex, stackHeight: ix.stackHeight })),
    })),
    loadedAddresses: { readonly: r.loadedAddresses.readonly, writable: r.loadedAddresses.writable },
    logMessages: r.logs,
    postBalances: r.postBalances,
    postTokenBalances: encodeTokenBalances(r.postTokenBalances),
    preBalances: r.preBalances,
    preTokenBalances: encodeTokenBalances(r.preTokenBalances),
    rewards: [],
    status: r.err ? { Err: r.err.json } : { Ok: null },
  };
  if (r.returnData) meta.returnData = { data: [toBase64(r.returnData.data), "base64"], programId: r.returnData.programId };
  return meta;
}

/** The transaction as getTransaction's `json` encoding shows it. */
export function jsonTransaction(bytes: Uint8Array) {
  const tx = parseTransaction(bytes);
  const message: Record<string, unknown> = {
    accountKeys: tx.staticKeys.map(toBase58),
    header: tx.header,
    instructions: tx.instructions.map((ix) => ({ accounts: ix.accounts, data: toBase58(ix.data), programIdIndex: ix.programIdIndex, stackHeight: 1 })),
    recentBlockhash: toBase58(tx.recentBlockhash),
  };
  if (tx.version === 0)
    message.addressTableLookups = tx.lookups.map((l) => ({
      accountKey: toBase58(l.accountKey),
      readonlyIndexes: l.readonlyIndexes,
      writableIndexes: l.writableIndexes,
    }));
  return { message, signatures: tx.signatures.map(toBase58) };
}

export function encodeTransaction(r: TxRecord, encoding: TxEncoding, withVersion: boolean) {
  let transaction: unknown;
  if (encoding === "base64") transaction = [toBase64(r.bytes), "base64"];
  else if (encoding === "base58") transaction = [toBase58(r.bytes), "base58"];
  else if (encoding === "binary") transaction = toBase58(r.bytes);
  else transaction = jsonTransaction(r.bytes);
  const out: Record<string, unknown> = {
    blockTime: r.blockTime,
    meta: encodeMeta(r),
    slot: r.slot,
    transaction,
    transactionIndex: r.index,
  };
  if (withVersion) out.version = r.version;
  return out;
}
