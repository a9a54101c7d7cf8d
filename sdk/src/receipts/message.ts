// The canonical receipt message an operator signs (docs/protocol.md, "Receipts"): 58 bytes,
// tag `ARKR`, version, the execution address verbatim, segment, SKU, cumulative units, sequence.
import type { Address } from "@solana/kit";
import { addressToBytes, bytesToAddress } from "./addressBytes.ts";
import { clientError } from "../errors.ts";
import { decodeSku, encodeSku } from "./sku.ts";

export const RECEIPT_MESSAGE_LENGTH = 58;
export const RECEIPT_TAG = "ARKR";
export const RECEIPT_VERSION = 2;
const U64_MAX = (1n << 64n) - 1n;

export interface ReceiptFields {
  /** The execution account the work is billed to. */
  execution: Address;
  /** Segment index within the execution (0–15). */
  segment: number;
  /** SKU code of the segment (`H100`). */
  sku: string;
  /** Work units done in the segment so far (cumulative, kernel-metered). */
  cumulativeUnits: bigint;
  /** Receipt sequence number within the segment, from 1, increasing. */
  sequence: number;
}

/** The 58 bytes an operator signs for `fields`. */
export function encodeReceiptMessage(fields: ReceiptFields): Uint8Array {
  if (!Number.isInteger(fields.segment) || fields.segment < 0 || fields.segment > 255) {
    throw clientError("InvalidInput", `segment ${fields.segment} is not a u8`);
  }
  if (fields.cumulativeUnits < 0n || fields.cumulativeUnits > U64_MAX) {
    throw clientError("InvalidInput", `cumulative units ${fields.cumulativeUnits} is not a u64`);
  }
  if (!Number.isInteger(fields.sequence) || fields.sequence < 1 || fields.sequence > 0xffffffff) {
    throw clientError("InvalidInput", `sequence ${fields.sequence} must be a u32 from 1`);
  }
  const msg = new Uint8Array(RECEIPT_MESSAGE_LENGTH);
  const view = new DataView(msg.buffer);
  for (let i = 0; i < 4; i++) msg[i] = RECEIPT_TAG.charCodeAt(i);
  msg[4] = RECEIPT_VERSION;
  msg.set(addressToBytes(fields.execution), 5);
  msg[37] = fields.segment;
  msg.set(encodeSku(fields.sku), 38);
  view.setBigUint64(46, fields.cumulativeUnits, true);
  view.setUint32(54, fields.sequence, true);
  return msg;
}

/** The fields of a receipt message; throws InvalidReceipt when the bytes are not one. */
export function decodeReceiptMessage(msg: Uint8Array): ReceiptFields {
  if (msg.length !== RECEIPT_MESSAGE_LENGTH) throw clientError("InvalidReceipt", `receipt message is ${msg.length} bytes, not ${RECEIPT_MESSAGE_LENGTH}`);
  const tag = String.fromCharCode(...msg.subarray(0, 4));
  if (tag !== RECEIPT_TAG || msg[4] !== RECEIPT_VERSION) throw clientError("InvalidReceipt", `not an ${RECEIPT_TAG} v${RECEIPT_VERSION} receipt`);
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  return {
    execution: bytesToAddress(msg.subarray(5, 37)),
    segment: msg[37],
    sku: decodeSku(msg.subarray(38, 46)),
    cumulativeUnits: view.getBigUint64(46, true),
    sequence: view.getUint32(54, true),
  };
}
