// Signed receipts as a GPU node makes them. INTERIM: the SDK's signReceipt replaces this
// once @arknet/escrow lands; the layout is programs/arknet-escrow/src/receipt.rs.
import { ed25519 } from "@noble/curves/ed25519.js";
import { getAddressDecoder } from "@solana/kit";
import { randomBytes } from "node:crypto";
import { receiptBinding } from "../../src/api/receiptMessage.ts";

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

export function receiptMessage(programId: string, execution: string, segment: number, sku: string, units: bigint, sequence: number): Uint8Array {
  const m = Buffer.alloc(58);
  m.write("ARKR", 0, "ascii");
  m[4] = 1;
  Buffer.from(receiptBinding(programId, execution)).copy(m, 5);
  m[37] = segment;
  m.write(sku, 38, "ascii");
  m.writeBigUInt64LE(units, 46);
  m.writeUInt32LE(sequence, 54);
  return new Uint8Array(m);
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
