// Signed receipts as a GPU node makes them: the SDK's canonical message, signed synchronously
// with @noble/curves so tests can make thousands without awaiting.
import { ed25519 } from "@noble/curves/ed25519.js";
import { getAddressDecoder } from "@solana/kit";
import { randomBytes } from "node:crypto";
import { encodeReceiptMessage } from "@arknet/escrow";
import type { Address } from "@solana/kit";

export const addressOf = (bytes: Uint8Array): string => getAddressDecoder().decode(bytes);
export const randomAddress = (): string => addressOf(new Uint8Array(randomBytes(32)));

export interface Operator {
  secret: Uint8Array;
  key: string;
  account: string;
}

export function newOperator(): Operator {
  const secret = ed25519.utils.randomSecretKey();
  return { secret, key: addressOf(ed25519.getPublicKey(secret)), account: randomAddress() };
}

/** The canonical v2 message (the execution verbatim; `_programId` is kept for callers' sake: v2 does not bind it). */
export function receiptMessage(_programId: string, execution: string, segment: number, sku: string, units: bigint, sequence: number): Uint8Array {
  return encodeReceiptMessage({ execution: execution as Address, segment, sku, cumulativeUnits: units, sequence });
}

export interface WireReceipt {
  execution: string;
  signer: string;
  message: string;
  signature: string;
}

export function signedReceipt(
  op: Operator,
  programId: string,
  execution: string,
  segment: number,
  units: bigint,
  sequence: number,
  sku = "H100",
): WireReceipt {
  const message = receiptMessage(programId, execution, segment, sku, units, sequence);
  const signature = ed25519.sign(message, op.secret);
  return {
    execution,
    signer: op.key,
    message: Buffer.from(message).toString("base64"),
    signature: Buffer.from(signature).toString("base64"),
  };
}
