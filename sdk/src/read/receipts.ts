// Receipts as they were settled on chain: read back from the Ed25519 precompile instruction of
// each submit_receipts transaction of an execution (the exact bytes the precompile verified).
import { getAddressDecoder, type Address, type GetSignaturesForAddressApi, type GetTransactionApi, type Rpc, type Signature } from "@solana/kit";
import { getSubmitReceiptsDiscriminatorBytes } from "../generated/instructions";
import { sameBytes } from "../bytes.ts";
import { ED25519_PROGRAM } from "../program.ts";
import { decodeReceiptMessage } from "../receipts/message.ts";
import type { SignedReceipt } from "../receipts/sign.ts";
import { transactionHistory, type HistoricInstruction, type HistoricTransaction } from "./history.ts";

export interface SettledReceiptRecord extends SignedReceipt {
  /** The transaction that settled it. */
  transaction: Signature;
}

/** The signatures, keys and messages of an Ed25519 precompile instruction (offsets inside it only). */
export function parseEd25519Instruction(data: Uint8Array): { signer: Address; signature: Uint8Array; message: Uint8Array }[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = [];
  for (let i = 0; i < data[0]; i++) {
    const f = (j: number) => view.getUint16(2 + 14 * i + 2 * j, true);
    const [sigAt, , keyAt, , msgAt, msgLen] = [f(0), f(1), f(2), f(3), f(4), f(5)];
    out.push({
      signature: data.slice(sigAt, sigAt + 64),
      signer: getAddressDecoder().decode(data.subarray(keyAt, keyAt + 32)),
      message: data.slice(msgAt, msgAt + msgLen),
    });
  }
  return out;
}

/** The receipts each submit_receipts of `execution` in `history` carried, in order. */
export function receiptsInHistory(history: HistoricTransaction[], execution: Address, programAddress: Address): { tx: HistoricTransaction; receipts: SettledReceiptRecord[] }[] {
  const disc = getSubmitReceiptsDiscriminatorBytes();
  const isSubmit = (ix: HistoricInstruction) =>
    ix.programAddress === programAddress && ix.accounts[0] === execution && sameBytes(ix.data.subarray(0, 8), disc);
  const out: { tx: HistoricTransaction; receipts: SettledReceiptRecord[] }[] = [];
  for (const tx of history) {
    tx.instructions.forEach((ix, i) => {
      const prev = tx.instructions[i - 1];
      if (!isSubmit(ix) || prev?.programAddress !== ED25519_PROGRAM) return;
      const receipts = parseEd25519Instruction(prev.data).map((r) => ({ ...r, fields: decodeReceiptMessage(r.message), transaction: tx.signature }));
      out.push({ tx, receipts });
    });
  }
  return out;
}

/** Every receipt settled for `execution`, oldest first, from its transaction history. */
export async function getReceipts(rpc: Rpc<GetSignaturesForAddressApi & GetTransactionApi>, execution: Address, programAddress: Address): Promise<SettledReceiptRecord[]> {
  const history = await transactionHistory(rpc, execution, programAddress);
  return receiptsInHistory(history, execution, programAddress).flatMap((b) => b.receipts);
}
