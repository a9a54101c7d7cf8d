// DESIGN ONLY (no implementation yet): the submission pipeline's contract with the SDK and
// the store. It lands once @arknet/escrow and the local validator are ready. The settler
// never builds instructions itself: everything chain-shaped comes through `ChainPort`.
//
// One pass of an instance (holder H), all state in the store so a kill -9 anywhere is safe:
//  1. leases = store.claimExecutions(H, ttl, n); renew them every ttl/3; drop work for a lost one.
//  2. observe = chain.observe(); if it fails or the slot is stale → report unhealthy, send nothing.
//     spent = store.feesSince(UTC midnight); past config.dailyFeeBudgetLamports → stop and alert.
//  3. In flight first: for store.listOutbox(["pending","sent"]) of my executions,
//     statuses = chain.statuses(signatures):
//       confirmed/finalized ok      → store.markOutboxConfirmed (settles its receipts in the same commit)
//       landed with "already settled" (ReceiptNotNewer) → treat as confirmed for its items
//       landed with another error   → store.markOutboxFinal("failed"); receipts stay pending
//       unknown and blockHeight > lastValidBlockHeight (provably expired) → markOutboxFinal("expired")
//       unknown and still valid     → chain.send(same wire bytes) + store.markOutboxSent (rebroadcast)
//  4. New work: receipts = store.pendingReceipts({execution}) minus those already in a live
//     outbox row; segments whose assign_segment has not landed go first (kind "assign").
//     packed = chain.packReceipts(...) (leader limits: 1232 bytes, ≤ 8 precompile signatures;
//     compute budget from simulation); for each: store.putOutbox(tx, lease) BEFORE chain.send.
//  5. Executions complete (or expired on-chain) with nothing pending or in flight →
//     setExecutionStatus(["complete"], "finalizing"), finalize tx through the outbox; on
//     confirmation → "finalized", emit "bill" and "refund" webhook events; after the review
//     window, a close tx → "closed" (rent back). The crank finds expired executions through
//     chain.expiredExecutions() and runs the same path.

import type { Address, OutboxInsert, OutboxItem, StoredReceipt } from "../store/index.ts";

export interface Observation {
  slot: bigint;
  blockHeight: bigint;
  /** How old the newest slot seen is; stale past the configured bound → unhealthy. */
  slotAgeMs: number;
}

export type SignatureOutcome =
  | { state: "unknown" }
  | { state: "processed" }
  | { state: "confirmed"; slot: bigint; feeLamports: bigint }
  | { state: "failed"; slot: bigint; feeLamports: bigint; alreadySettled: boolean; error: string };

/** A transaction signed against a blockhash, ready for the outbox. */
export type SignedTransaction = Omit<OutboxInsert, "executions" | "items" | "kind">;

export interface PackedBatch {
  kind: OutboxInsert["kind"];
  executions: Address[];
  items: OutboxItem[];
  /** Signs with the router key against the given lifetime (compute budget already set). */
  sign(lifetime: { blockhash: string; lastValidBlockHeight: bigint }): Promise<SignedTransaction>;
}

/** What the SDK provides to the pipeline (implemented over @arknet/escrow and JSON-RPC). */
export interface ChainPort {
  observe(): Promise<Observation>;
  latestBlockhash(): Promise<{ blockhash: string; lastValidBlockHeight: bigint }>;
  /** Sends wire bytes as they are (skipPreflight, maxRetries 0): the pipeline rebroadcasts. */
  send(wire: Uint8Array): Promise<void>;
  statuses(signatures: string[]): Promise<Map<string, SignatureOutcome>>;
  /** Receipts of several segments and executions, packed into as few transactions as the leader's limits allow. */
  packReceipts(receipts: StoredReceipt[]): Promise<PackedBatch[]>;
  packAssign(execution: Address, segment: number): Promise<PackedBatch>;
  packFinalize(execution: Address): Promise<PackedBatch>;
  packClose(execution: Address): Promise<PackedBatch>;
  /** Open executions past their expiry, for the crank. */
  expiredExecutions(): Promise<Address[]>;
}
