// Multi-step setups several test files share, each step one real transaction.
import type { Address } from "@solana/kit";
import { expectOk, type Buyer, type Deployment, type Operator } from "./escrow.ts";
import type { TxResult } from "./svm.ts";

export type ReceiptSpec = { op: Operator; segment: number; sku: string; units: bigint; seq: number };

/**
 * Deposits `deposit` (default: `maxBurn`) for `buyer`, reserves execution `id` and
 * assigns its segment 0 to `op` on `code`.
 */
export async function openExecution(
  d: Deployment,
  buyer: Buyer,
  op: Operator,
  code: string,
  { id = 1n, maxBurn = 100_000n, deposit = maxBurn }: { id?: bigint; maxBurn?: bigint; deposit?: bigint } = {},
): Promise<Address> {
  if (deposit > 0n) await d.deposit(buyer, deposit);
  const { execution } = await d.reserve(buyer, id, maxBurn);
  await d.assign(execution, 0, op, code);
  return execution;
}

/** Submits `receipts` for `execution` (the router pays) and expects them settled. */
export function settle(d: Deployment, execution: Address, receipts: ReceiptSpec[]): Promise<TxResult> {
  return expectOk(d.send(d.router, d.submitIxs(execution, receipts)), "submit receipts");
}
