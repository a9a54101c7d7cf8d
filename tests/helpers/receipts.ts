// Operator receipts: the 58-byte canonical message and the Ed25519 precompile
// instruction that carries their signatures (docs/protocol.md, "Receipts").
import { ed25519 } from "@noble/curves/ed25519.js";
import {
  createKeyPairSignerFromPrivateKeyBytes,
  getAddressEncoder,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { ED25519_PROGRAM } from "./svm.ts";

export const RECEIPT_LEN = 58;
export const RECEIPT_VERSION = 2;
const THIS_INSTRUCTION = 0xffff;

/**
 * An ed25519 key held by an operator's GPU node: raw bytes to sign receipts, and the same
 * key as a transaction signer (it co-signs register_operator and rotate_operator_key).
 */
export interface SigningKey {
  secret: Uint8Array;
  publicKey: Uint8Array;
  signer: KeyPairSigner;
}

export async function newSigningKey(): Promise<SigningKey> {
  const secret = ed25519.utils.randomSecretKey();
  const signer = await createKeyPairSignerFromPrivateKeyBytes(secret);
  return { secret, publicKey: ed25519.getPublicKey(secret), signer };
}

export interface ReceiptFields {
  execution: Address;
  segment: number;
  sku: number[];
  cumulativeUnits: bigint;
  sequence: number;
}

export function receiptMessage(r: ReceiptFields): Uint8Array {
  const msg = new Uint8Array(RECEIPT_LEN);
  const view = new DataView(msg.buffer);
  msg.set(new TextEncoder().encode("ARKR"), 0);
  msg[4] = RECEIPT_VERSION;
  msg.set(getAddressEncoder().encode(r.execution), 5);
  msg[37] = r.segment;
  msg.set(r.sku, 38);
  view.setBigUint64(46, r.cumulativeUnits, true);
  view.setUint32(54, r.sequence, true);
  return msg;
}

export interface SignedReceipt {
  key: SigningKey;
  message: Uint8Array;
  /** Overrides for attack tests: a signature over other bytes, another index field. */
  signature?: Uint8Array;
}

export function signReceipt(key: SigningKey, fields: ReceiptFields): SignedReceipt {
  return { key, message: receiptMessage(fields) };
}

export interface PrecompileOptions {
  /** Value of the three instruction-index fields (0xFFFF = this instruction). */
  instructionIndex?: number;
}

/**
 * One Ed25519 precompile instruction verifying every receipt: a count byte, a padding
 * byte, one 14-byte offsets record per signature, then each distinct public key once,
 * then (signature, message) pairs. Keys are shared between records to save space.
 */
export function ed25519Instruction(receipts: SignedReceipt[], opts: PrecompileOptions = {}): Instruction {
  const index = opts.instructionIndex ?? THIS_INSTRUCTION;
  const keys: Uint8Array[] = [];
  const keyIndex = receipts.map((r) => {
    const i = keys.findIndex((k) => Buffer.compare(Buffer.from(k), Buffer.from(r.key.publicKey)) === 0);
    if (i >= 0) return i;
    keys.push(r.key.publicKey);
    return keys.length - 1;
  });
  const headerLen = 2 + 14 * receipts.length;
  const keysAt = headerLen;
  const bodyAt = keysAt + 32 * keys.length;
  const bodyLen = receipts.reduce((n, r) => n + 64 + r.message.length, 0);
  const data = new Uint8Array(bodyAt + bodyLen);
  const view = new DataView(data.buffer);
  data[0] = receipts.length;
  keys.forEach((k, i) => data.set(k, keysAt + 32 * i));
  let at = bodyAt;
  receipts.forEach((r, i) => {
    const sig = r.signature ?? ed25519.sign(r.message, r.key.secret);
    data.set(sig, at);
    data.set(r.message, at + 64);
    const rec = 2 + 14 * i;
    const fields = [at, index, keysAt + 32 * keyIndex[i], index, at + 64, r.message.length, index];
    fields.forEach((v, j) => view.setUint16(rec + 2 * j, v, true));
    at += 64 + r.message.length;
  });
  return { programAddress: ED25519_PROGRAM, accounts: [], data };
}
