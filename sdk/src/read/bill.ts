// Bills. `getBill` is the program's own bill (the ExecutionFinalized event), or for an open
// execution the account's running totals. `verifyBill` rebuilds the bill from the receipts and
// events alone, applying the settlement rules of docs/protocol.md, and compares it with the
// program's: an auditor's check that needs nothing but the transaction history.
import type { Address, GetAccountInfoApi, GetSignaturesForAddressApi, GetTransactionApi, Rpc } from "@solana/kit";
import type {
  ExecutionFinalizedEvent,
  ExecutionReservedEvent,
  ExecutionToppedUpEvent,
  ReceiptsSettledEvent,
  SegmentAssignedEvent,
} from "../generated/types";
import { clientError } from "../errors.ts";
import { decodeSku } from "../receipts/sku.ts";
import { verifyReceipt } from "../receipts/sign.ts";
import { readMaybeExecution } from "./accounts.ts";
import { transactionHistory, type HistoricTransaction } from "./history.ts";
import { receiptsInHistory } from "./receipts.ts";

export interface BillSegment {
  index: number;
  operator: Address;
  sku: string;
  /** Price per work unit pinned at assignment. */
  price: bigint;
  units: bigint;
  charged: bigint;
}

export interface Bill {
  execution: Address;
  /** `final` once finalized (the program's ExecutionFinalized event), else `open` (running totals). */
  status: "final" | "open";
  /** End reason (1 completed … 5 cancelled) when final. */
  reason: number | null;
  maxBurn: bigint;
  consumed: bigint;
  fee: bigint;
  refund: bigint;
  segments: BillSegment[];
}

type Rpcs = Rpc<GetAccountInfoApi & GetSignaturesForAddressApi & GetTransactionApi>;

function billFromEvent(e: ExecutionFinalizedEvent): Bill {
  return {
    execution: e.execution,
    status: "final",
    reason: e.reason,
    maxBurn: e.maxBurn,
    consumed: e.consumed,
    fee: e.fee,
    refund: e.refund,
    segments: e.segments.map((s, index) => ({ index, operator: s.operator, sku: decodeSku(s.sku), price: s.price, units: s.units, charged: s.charged })),
  };
}

/** The events of `tx` about `execution`: a settler packs several executions into one transaction. */
function eventsOf(tx: HistoricTransaction, execution: Address) {
  return tx.events.filter((e) => (e.data as { execution?: Address }).execution === execution);
}

function finalizedIn(history: HistoricTransaction[], execution: Address): ExecutionFinalizedEvent | null {
  for (const tx of history) for (const e of eventsOf(tx, execution)) if (e.name === "ExecutionFinalized") return e.data as unknown as ExecutionFinalizedEvent;
  return null;
}

/** The program's bill of `execution` (from its finalize event, or its account while open). */
export async function getBill(rpc: Rpcs, execution: Address, programAddress: Address): Promise<Bill> {
  const account = await readMaybeExecution(rpc, execution, programAddress);
  if (account && account.status === 1) {
    return {
      execution,
      status: "open",
      reason: null,
      maxBurn: account.maxBurn,
      consumed: account.consumed,
      fee: account.feesAccrued,
      refund: account.maxBurn - account.consumed,
      segments: account.segments.slice(0, account.segmentCount).map((s, index) => ({
        index,
        operator: s.operator,
        sku: decodeSku(s.sku),
        price: s.price,
        units: s.settledUnits,
        charged: s.charged,
      })),
    };
  }
  const event = finalizedIn(await transactionHistory(rpc, execution, programAddress), execution);
  if (!event) throw clientError("AccountNotFound", `no execution at ${execution} (neither open nor finalized in its history)`);
  return billFromEvent(event);
}

export interface BillVerification {
  ok: boolean;
  /** What differs between the rebuilt bill and the program's (empty when ok). */
  mismatches: string[];
  rebuilt: Bill;
  program: Bill;
}

/**
 * Rebuilds the bill of a finalized execution from its reservation, top-ups, segment
 * assignments and the signed receipts (each signature checked again), recomputing every
 * receipt's cost with the program's rule, and compares it with the program's bill event.
 */
export async function verifyBill(rpc: Rpcs, execution: Address, programAddress: Address, feeBps?: number): Promise<BillVerification> {
  const history = await transactionHistory(rpc, execution, programAddress);
  const finalized = finalizedIn(history, execution);
  if (!finalized) throw clientError("NotFinalized", `execution ${execution} has no bill yet (not finalized)`);
  const program = billFromEvent(finalized);
  const mismatches: string[] = [];
  const settledBatches = new Map(receiptsInHistory(history, execution, programAddress).map((b) => [b.tx.signature, b.receipts]));

  let maxBurn = 0n;
  let consumed = 0n;
  let fee = 0n;
  const segments: (BillSegment & { budget: bigint })[] = [];
  for (const tx of history) {
    for (const { name, data } of eventsOf(tx, execution)) {
      if (name === "ExecutionReserved") maxBurn = (data as unknown as ExecutionReservedEvent).maxBurn;
      else if (name === "ExecutionToppedUp") maxBurn = (data as unknown as ExecutionToppedUpEvent).maxBurn;
      else if (name === "SegmentAssigned") {
        const e = data as unknown as SegmentAssignedEvent;
        segments[e.segmentIndex] = { index: e.segmentIndex, operator: e.operator, sku: decodeSku(e.sku), price: e.price, units: 0n, charged: 0n, budget: e.budget };
      } else if (name === "ReceiptsSettled") {
        const e = data as unknown as ReceiptsSettledEvent;
        const signed = settledBatches.get(tx.signature) ?? [];
        if (signed.length !== e.receipts.length) mismatches.push(`${tx.signature}: ${signed.length} signed receipts but ${e.receipts.length} settled`);
        for (const [i, settled] of e.receipts.entries()) {
          const receipt = signed[i];
          const seg = segments[settled.segmentIndex];
          if (!seg) {
            mismatches.push(`${tx.signature}: receipt for unassigned segment ${settled.segmentIndex}`);
            continue;
          }
          if (receipt && !(await verifyReceipt(receipt))) mismatches.push(`${tx.signature}: receipt ${i} has a bad signature`);
          if (receipt && (receipt.fields.segment !== settled.segmentIndex || receipt.fields.cumulativeUnits !== settled.cumulativeUnits)) {
            mismatches.push(`${tx.signature}: receipt ${i} says segment ${receipt.fields.segment} units ${receipt.fields.cumulativeUnits}, the program settled segment ${settled.segmentIndex} units ${settled.cumulativeUnits}`);
          }
          // The program's rule: only the increase is charged, capped by the max burn and the budget.
          const delta = settled.cumulativeUnits - seg.units;
          let limit = maxBurn - consumed;
          if (seg.budget > 0n && seg.budget - seg.charged < limit) limit = seg.budget - seg.charged;
          const cost = delta * seg.price < limit ? delta * seg.price : limit;
          if (cost !== settled.cost) mismatches.push(`${tx.signature}: receipt ${i} cost ${settled.cost}, rebuilt ${cost}`);
          if (feeBps !== undefined) {
            const feeOf = (x: bigint) => (x * BigInt(feeBps)) / 10_000n;
            const expected = feeOf(seg.charged + cost) - feeOf(seg.charged);
            if (expected !== settled.fee) mismatches.push(`${tx.signature}: receipt ${i} fee ${settled.fee}, rebuilt ${expected}`);
          }
          seg.units = settled.cumulativeUnits;
          seg.charged += cost;
          consumed += cost;
          fee += settled.fee;
        }
      }
    }
  }
  const rebuilt: Bill = {
    execution,
    status: "final",
    reason: program.reason,
    maxBurn,
    consumed,
    fee,
    refund: maxBurn - consumed,
    segments: segments.map(({ budget: _budget, ...s }) => s),
  };
  for (const k of ["maxBurn", "consumed", "fee", "refund"] as const) {
    if (rebuilt[k] !== program[k]) mismatches.push(`${k}: program ${program[k]}, rebuilt ${rebuilt[k]}`);
  }
  if (rebuilt.segments.length !== program.segments.length) mismatches.push(`segments: program ${program.segments.length}, rebuilt ${rebuilt.segments.length}`);
  program.segments.forEach((p, i) => {
    const r = rebuilt.segments[i];
    if (!r) return;
    for (const k of ["operator", "sku", "price", "units", "charged"] as const) {
      if (p[k] !== r[k]) mismatches.push(`segment ${i} ${k}: program ${p[k]}, rebuilt ${r[k]}`);
    }
  });
  return { ok: mismatches.length === 0, mismatches, rebuilt, program };
}
