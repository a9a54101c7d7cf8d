// Store-level fixtures. The store does not verify signatures (the API's verifier does), so
// these carry bytes derived from the fields: the same receipt twice has the same bytes.

import { createHash } from "node:crypto";
import type { ReceiptInput, SegmentAssignment } from "../../src/store/index.ts";

export const segment = (execution: string, index: number, operatorKey = `key-${index}`): SegmentAssignment => ({
  execution,
  segment: index,
  operator: `operator-${index}`,
  operatorKey,
  sku: "H100",
});

export function receipt(execution: string, seg: number, units: bigint, sequence: number, salt = ""): ReceiptInput {
  const id = `${execution}/${seg}/${units}/${sequence}${salt}`;
  const h = createHash("sha512").update(id).digest();
  return {
    execution,
    segment: seg,
    signer: `key-${seg}`,
    sku: "H100",
    cumulativeUnits: units,
    sequence,
    message: new Uint8Array(createHash("sha256").update(id).digest()),
    signature: new Uint8Array(h),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let counter = 0;
/** A fresh execution name per test, so tests sharing one database do not meet. */
export const freshExecution = (): string => `exec-${process.pid}-${Date.now().toString(36)}-${counter++}`;
