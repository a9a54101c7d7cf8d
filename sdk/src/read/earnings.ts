// An operator's earnings over time, per SKU, from its account's transaction history: every
// assign_segment names the (execution, segment) → SKU pairing, every submit_receipts the cost
// and fee of each receipt; the operator keeps cost − fee.
import type { Address, GetSignaturesForAddressApi, GetTransactionApi, Rpc } from "@solana/kit";
import type { ReceiptsSettledEvent, SegmentAssignedEvent } from "../generated/types";
import { decodeSku } from "../receipts/sku.ts";
import { transactionHistory } from "./history.ts";

export interface EarningsPoint {
  slot: bigint;
  /** Unix seconds when the validator reports one. */
  blockTime: bigint | null;
  sku: string;
  units: bigint;
  /** Tokens charged to the buyer (the operator keeps `charged − fee`). */
  charged: bigint;
  fee: bigint;
}

/** Settled receipts of the operator at `operatorAccount`, oldest first. */
export async function operatorEarnings(
  rpc: Rpc<GetSignaturesForAddressApi & GetTransactionApi>,
  operatorAccount: Address,
  programAddress: Address,
): Promise<EarningsPoint[]> {
  const history = await transactionHistory(rpc, operatorAccount, programAddress);
  const mine = new Map<string, { sku: string; units: bigint }>();
  const points: EarningsPoint[] = [];
  for (const tx of history) {
    for (const { name, data } of tx.events) {
      if (name === "SegmentAssigned") {
        const e = data as unknown as SegmentAssignedEvent;
        if (e.operator === operatorAccount) mine.set(`${e.execution}:${e.segmentIndex}`, { sku: decodeSku(e.sku), units: 0n });
      } else if (name === "ReceiptsSettled") {
        const e = data as unknown as ReceiptsSettledEvent;
        for (const r of e.receipts) {
          const seg = mine.get(`${e.execution}:${r.segmentIndex}`);
          if (!seg) continue;
          points.push({ slot: tx.slot, blockTime: tx.blockTime, sku: seg.sku, units: r.cumulativeUnits - seg.units, charged: r.cost, fee: r.fee });
          seg.units = r.cumulativeUnits;
        }
      }
    }
  }
  return points;
}
