// The Ed25519 precompile instruction that carries receipt signatures. Its data: a count byte,
// a padding byte, one 14-byte record per signature (seven u16: signature offset and
// instruction index, public-key offset and index, message offset, size and index), then each
// distinct public key once, then (signature, message) pairs. Indices are 0xFFFF: every offset
// points into this instruction, which `submit_receipts` requires.
import type { Address, Instruction } from "@solana/kit";
import { ED25519_PROGRAM } from "../program.ts";
import { publicKeyBytes } from "./sign.ts";

const THIS_INSTRUCTION = 0xffff;
const RECORD = 14;

export interface PrecompileSignature {
  signer: Address;
  message: Uint8Array;
  signature: Uint8Array;
}

/** Bytes of precompile data for `receipts` (keys shared between records). */
export function ed25519DataSize(receipts: readonly Pick<PrecompileSignature, "signer" | "message">[]): number {
  const keys = new Set(receipts.map((r) => r.signer)).size;
  return 2 + RECORD * receipts.length + 32 * keys + receipts.reduce((n, r) => n + 64 + r.message.length, 0);
}

/** One Ed25519 precompile instruction verifying every signature of `receipts`. */
export function getEd25519VerifyInstruction(receipts: readonly PrecompileSignature[]): Instruction {
  if (receipts.length === 0 || receipts.length > 255) throw new RangeError(`1-255 signatures per precompile instruction, not ${receipts.length}`);
  const keys: Address[] = [];
  const keyIndex = receipts.map((r) => {
    const i = keys.indexOf(r.signer);
    if (i >= 0) return i;
    keys.push(r.signer);
    return keys.length - 1;
  });
  const keysAt = 2 + RECORD * receipts.length;
  const bodyAt = keysAt + 32 * keys.length;
  const data = new Uint8Array(ed25519DataSize(receipts));
  const view = new DataView(data.buffer);
  data[0] = receipts.length;
  keys.forEach((k, i) => data.set(publicKeyBytes(k), keysAt + 32 * i));
  let at = bodyAt;
  receipts.forEach((r, i) => {
    data.set(r.signature, at);
    data.set(r.message, at + 64);
    const fields = [at, THIS_INSTRUCTION, keysAt + 32 * keyIndex[i], THIS_INSTRUCTION, at + 64, r.message.length, THIS_INSTRUCTION];
    fields.forEach((v, j) => view.setUint16(2 + RECORD * i + 2 * j, v, true));
    at += 64 + r.message.length;
  });
  return { programAddress: ED25519_PROGRAM, accounts: [], data };
}
