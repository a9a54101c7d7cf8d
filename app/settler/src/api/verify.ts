// Receipt verification before anything is stored. The SDK (@arknet/escrow) owns the receipt
// format: `decodeReceiptMessage` reads the canonical 58 bytes (v2: the execution address
// verbatim, so no program binding to recompute) and `verifyReceipt` checks the ed25519
// signature over exactly those bytes (with Node's native check, `nativeEd25519.ts`). Here: the
// execution the message names, the segment's assignment, signer and SKU in the store, then the
// injected chain checks (operator active, on-chain segment, settled units; `chainChecks.ts`
// over the SDK's account readers). The cumulative increase over what the store holds is
// enforced by the store.

import { decodeReceiptMessage, verifyReceipt, type ReceiptFields } from "@arknet/escrow";
import type { Address as KitAddress } from "@solana/kit";
import type { ReceiptInput, SegmentRecord, SettlerStore } from "../store/index.ts";
import { lru } from "./lru.ts";
import { nativeEd25519Check } from "./nativeEd25519.ts";

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
 * On-chain checks of a receipt whose signature and assignment are already verified: the
 * operator is active, the segment (once assigned on-chain) is this operator's with this SKU,
 * the cumulative units are above what settled. Throws a ReceiptRefusal.
 */
export type ChainChecks = (receipt: ReceiptInput, segment: SegmentRecord) => Promise<void>;

/** No chain checks (API tests without a validator; the settler logs a warning when used). */
export const noChainChecks: ChainChecks = async () => undefined;

export function createReceiptVerifier(opts: { store: SettlerStore; chainChecks: ChainChecks }): ReceiptVerifier {
  // Assignments never change once made: cached.
  const segments = lru<SegmentRecord>(50_000);
  const checkSignature = nativeEd25519Check();
  return async (r) => {
    let f: ReceiptFields;
    try {
      f = decodeReceiptMessage(r.message);
    } catch (e) {
      throw new ReceiptRefusal("MalformedReceipt", (e as Error).message, 400);
    }
    const signed = { fields: f, message: r.message, signature: r.signature, signer: r.signer as KitAddress };
    if (!(await verifyReceipt(signed, undefined, { checkSignature }).catch(() => false))) {
      throw new ReceiptRefusal("BadSignature", `signature does not verify for signer ${r.signer} over the message`, 401);
    }
    if (f.execution !== r.execution) {
      throw new ReceiptRefusal("WrongExecution", `receipt names execution ${f.execution}, not ${r.execution}`, 422);
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
