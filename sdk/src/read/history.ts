// An account's transaction history over RPC: every successful transaction that touched it,
// oldest first, with its top-level instructions and the program's events.
import { getBase58Encoder, type Address, type GetSignaturesForAddressApi, type GetTransactionApi, type Rpc, type Signature } from "@solana/kit";
import { decodeEvents, type ProgramEvent } from "../events.ts";

export interface HistoricInstruction {
  programAddress: Address;
  accounts: Address[];
  data: Uint8Array;
}

export interface HistoricTransaction {
  signature: Signature;
  slot: bigint;
  blockTime: bigint | null;
  instructions: HistoricInstruction[];
  events: ProgramEvent[];
  logs: readonly string[];
}

/** Successful transactions that touched `address`, oldest first (at most `limit`, newest kept). */
export async function transactionHistory(
  rpc: Rpc<GetSignaturesForAddressApi & GetTransactionApi>,
  address: Address,
  programAddress: Address,
  limit = 1000,
): Promise<HistoricTransaction[]> {
  const sigs = await rpc.getSignaturesForAddress(address, { limit, commitment: "confirmed" }).send();
  const ok = sigs.filter((s) => s.err === null).reverse();
  const out: HistoricTransaction[] = [];
  for (const s of ok) {
    const tx = await rpc.getTransaction(s.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
    if (!tx || tx.meta?.err) continue;
    const keys = tx.transaction.message.accountKeys as Address[];
    const instructions = tx.transaction.message.instructions.map((ix) => ({
      programAddress: keys[ix.programIdIndex],
      accounts: ix.accounts.map((i) => keys[i]),
      data: new Uint8Array(getBase58Encoder().encode(ix.data)),
    }));
    const logs = tx.meta?.logMessages ?? [];
    out.push({ signature: s.signature, slot: tx.slot, blockTime: tx.blockTime, instructions, events: decodeEvents(logs, programAddress), logs });
  }
  return out;
}
