// Receipt verification before anything is stored. `ReceiptVerifier` is the contract the SDK
// (@arknet/escrow) will implement in full; the interim verifier here checks what can be
// checked without it: the ed25519 signature over the exact message bytes (node:crypto's
// OpenSSL ed25519: ~9,300 verifications/s here against ~700/s for @noble/curves, and the
// intake target is 2,000 receipts/s; the tests sign with @noble/curves), the message's
// layout and binding to this execution and program, and the segment's assignment in the
// store. The chain checks (operator active on-chain, segment assigned on-chain, cumulative
// above what already settled on-chain) are injected.

import { createPublicKey, verify as verifySignature, type KeyObject } from "node:crypto";
import { getAddressEncoder } from "@solana/kit";
import type { ReceiptInput, SegmentRecord, SettlerStore } from "../store/index.ts";
import { decodeReceiptMessage, receiptBinding } from "./receiptMessage.ts";

/** A receipt as a GPU node posts it, after JSON schema validation. */
export interface SubmittedReceipt {
  execution: string;
  /** The operator key that signed (base58). */
  signer: string;
  message: Uint8Array;
  signature: Uint8Array;
}

export type RefusalCode =
  | "MalformedReceipt"
  | "BadSignature"
  | "WrongExecution"
  | "UnknownExecution"
  | "UnknownSegment"
  | "WrongSigner"
  | "WrongSku"
  | "OperatorNotActive"
  | "ChainCheckFailed";

/** A receipt refused before the store saw it. */
export class ReceiptRefusal extends Error {
  readonly code: RefusalCode;
  readonly status: number;
  index: number | undefined;
  constructor(code: RefusalCode, message: string, status = 422) {
    super(message);
    this.name = "ReceiptRefusal";
    this.code = code;
    this.status = status;
  }
}

/** Resolves to the decoded receipt ready to store, or rejects with a ReceiptRefusal. */
export type ReceiptVerifier = (receipt: SubmittedReceipt) => Promise<ReceiptInput>;

/**
 * On-chain checks of a receipt whose signature and assignment are already verified.
 * TODO(@arknet/escrow): the SDK reads the Operator and Execution accounts and checks the
 * operator is active, the segment is assigned on-chain to this operator with this SKU,
 * and the cumulative units are above the segment's settled units. Throw a ReceiptRefusal.
 */
export type ChainChecks = (receipt: ReceiptInput, segment: SegmentRecord) => Promise<void>;

/** No chain checks: only until the SDK provides them (the settler logs a warning at start). */
export const noChainChecks: ChainChecks = async () => undefined;

const addressBytes = (a: string): Uint8Array => new Uint8Array(getAddressEncoder().encode(a as Parameters<ReturnType<typeof getAddressEncoder>["encode"]>[0]));

// Operators post many receipts with one key: keep their parsed keys (least recently used out).
const keys = new Map<string, KeyObject>();
const KEY_CACHE = 10_000;
function publicKey(signer: string): KeyObject {
  let key = keys.get(signer);
  if (key) {
    keys.delete(signer);
  } else {
    const x = Buffer.from(addressBytes(signer)).toString("base64url");
    key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
    if (keys.size >= KEY_CACHE) keys.delete(keys.keys().next().value!);
  }
  keys.set(signer, key);
  return key;
}

/** Ed25519 over `message` by the 32-byte key `signer`; false for any malformed input. */
export function ed25519Verifies(signature: Uint8Array, message: Uint8Array, signer: string): boolean {
  try {
    return signature.length === 64 && verifySignature(null, message, publicKey(signer), signature);
  } catch {
    return false;
  }
}

/** A bounded map that forgets its least recently used entries. */
function lru<V>(max: number) {
  const m = new Map<string, V>();
  return {
    get(k: string): V | undefined {
      const v = m.get(k);
      if (v !== undefined) {
        m.delete(k);
        m.set(k, v);
      }
      return v;
    },
    set(k: string, v: V) {
      m.set(k, v);
      if (m.size > max) m.delete(m.keys().next().value!);
    },
  };
}

export function createInterimVerifier(opts: { store: SettlerStore; programId: string; chainChecks: ChainChecks }): ReceiptVerifier {
  // Assignments never change once made, and bindings are pure: both are cached.
  const segments = lru<SegmentRecord>(50_000);
  const bindings = lru<Buffer>(50_000);
  return async (r) => {
    const decoded = decodeReceiptMessage(r.message);
    if (!decoded.ok) throw new ReceiptRefusal("MalformedReceipt", decoded.reason, 400);
    const f = decoded.fields;
    if (!ed25519Verifies(r.signature, r.message, r.signer)) throw new ReceiptRefusal("BadSignature", `signature does not verify for signer ${r.signer} over the message`, 401);
    let binding = bindings.get(r.execution);
    if (!binding) bindings.set(r.execution, (binding = Buffer.from(receiptBinding(opts.programId, r.execution))));
    if (!binding.equals(f.binding)) {
      throw new ReceiptRefusal("WrongExecution", `receipt is bound to another execution or program than ${r.execution}`, 422);
    }
    const segmentKey = `${r.execution}/${f.segment}`;
    let segment = segments.get(segmentKey) ?? (await opts.store.getSegment(r.execution, f.segment));
    if (segment) segments.set(segmentKey, segment);
    if (!segment) {
      const known = await opts.store.getExecution(r.execution);
      if (!known) throw new ReceiptRefusal("UnknownExecution", `execution ${r.execution} is unknown to this settler`, 404);
      throw new ReceiptRefusal("UnknownSegment", `segment ${f.segment} of ${r.execution} is not assigned`, 422);
    }
    if (segment.operatorKey !== r.signer) {
      throw new ReceiptRefusal("WrongSigner", `segment ${f.segment} of ${r.execution} is assigned to key ${segment.operatorKey}, not ${r.signer}`, 403);
    }
    if (segment.sku !== f.sku) {
      throw new ReceiptRefusal("WrongSku", `segment ${f.segment} runs SKU ${segment.sku}, the receipt says ${f.sku}`, 422);
    }
    const input: ReceiptInput = {
      execution: r.execution,
      segment: f.segment,
      signer: r.signer,
      sku: f.sku,
      cumulativeUnits: f.cumulativeUnits,
      sequence: f.sequence,
      message: r.message,
      signature: r.signature,
    };
    await opts.chainChecks(input, segment);
    return input;
  };
}
