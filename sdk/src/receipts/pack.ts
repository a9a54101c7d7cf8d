// Packing receipts into as few transactions as the leader's limits allow: each batch is the
// longest run of receipts (in order) whose transaction is at most 1232 bytes and carries at
// most 8 precompile signatures; the rest goes to the next batch.
import { clientError } from "../errors.ts";
import { MAX_PRECOMPILE_SIGNATURES, MAX_TRANSACTION_BYTES } from "../program.ts";

export interface PackLimits {
  maxTransactionBytes?: number;
  maxSignatures?: number;
}

/**
 * Splits `receipts` into batches. `transactionSize(batch)` returns the wire size of the
 * transaction that would carry `batch`. Throws TransactionTooLarge when even one receipt does not fit.
 */
export function packReceipts<R>(receipts: readonly R[], transactionSize: (batch: R[]) => number, limits: PackLimits = {}): R[][] {
  const maxBytes = limits.maxTransactionBytes ?? MAX_TRANSACTION_BYTES;
  const maxSignatures = limits.maxSignatures ?? MAX_PRECOMPILE_SIGNATURES;
  const batches: R[][] = [];
  let batch: R[] = [];
  for (const receipt of receipts) {
    const candidate = [...batch, receipt];
    if (candidate.length <= maxSignatures && transactionSize(candidate) <= maxBytes) {
      batch = candidate;
      continue;
    }
    if (batch.length === 0) throw clientError("TransactionTooLarge", `one receipt alone does not fit a ${maxBytes}-byte transaction`);
    batches.push(batch);
    batch = [receipt];
    if (transactionSize(batch) > maxBytes) throw clientError("TransactionTooLarge", `one receipt alone does not fit a ${maxBytes}-byte transaction`);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
