// INTERIM: the canonical receipt message belongs to the SDK (@arknet/escrow, sdk/src/receipts/).
// Until it lands, this reads the 58-byte layout documented in programs/arknet-escrow/src/receipt.rs
// so the API can check what it stores. Replace with the SDK's decoder; do not grow this file.

import { createHash } from "node:crypto";
import { getAddressEncoder, isAddress } from "@solana/kit";

export const RECEIPT_LEN = 58;
const TAG = Buffer.from("ARKR");
const VERSION = 1;
const BINDING_DOMAIN = Buffer.from("arknet-escrow:receipt:v1");

export interface ReceiptFields {
  binding: Uint8Array;
  segment: number;
  /** SKU code: ASCII, NUL-padded to 8 bytes on the wire. */
  sku: string;
  cumulativeUnits: bigint;
  sequence: number;
}

export type DecodeFailure = { ok: false; reason: string };

export function decodeReceiptMessage(message: Uint8Array): { ok: true; fields: ReceiptFields } | DecodeFailure {
  if (message.length !== RECEIPT_LEN) return { ok: false, reason: `receipt message must be ${RECEIPT_LEN} bytes, got ${message.length}` };
  const b = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  if (!b.subarray(0, 4).equals(TAG)) return { ok: false, reason: "receipt message does not start with the ARKR tag" };
  if (b[4] !== VERSION) return { ok: false, reason: `receipt message version ${b[4]} is not ${VERSION}` };
  const skuBytes = b.subarray(38, 46);
  const end = skuBytes.indexOf(0);
  const sku = skuBytes.subarray(0, end === -1 ? 8 : end);
  if (!sku.every((c) => c >= 0x20 && c < 0x7f) || (end !== -1 && skuBytes.subarray(end).some((c) => c !== 0))) {
    return { ok: false, reason: "receipt SKU is not NUL-padded printable ASCII" };
  }
  return {
    ok: true,
    fields: {
      binding: new Uint8Array(b.subarray(5, 37)),
      segment: b[37]!,
      sku: sku.toString("ascii"),
      cumulativeUnits: b.readBigUInt64LE(46),
      sequence: b.readUInt32LE(54),
    },
  };
}

/** sha256("arknet-escrow:receipt:v1" || program id || execution), as the program computes it. */
export function receiptBinding(programId: string, execution: string): Uint8Array {
  if (!isAddress(programId) || !isAddress(execution)) throw new Error("receiptBinding needs base58 addresses");
  const enc = getAddressEncoder();
  return new Uint8Array(
    createHash("sha256").update(BINDING_DOMAIN).update(Uint8Array.from(enc.encode(programId))).update(Uint8Array.from(enc.encode(execution))).digest(),
  );
}
