// The settler's durable state, one interface for every backend (SQLite file, PostgreSQL).
// Every function resolves only after its change is committed: callers answer clients after it.

/** Base58 address (execution, operator account, signer key). */
export type Address = string;

export type ExecutionStatus = "open" | "complete" | "finalizing" | "finalized" | "closed";

export interface SegmentAssignment {
  execution: Address;
  segment: number;
  /** The operator account the segment is assigned to on-chain. */
  operator: Address;
  /** The key that signs this operator's receipts. */
  operatorKey: Address;
  /** SKU code, up to 8 ASCII bytes. */
  sku: string;
  /** The most the router agreed to pay per work unit (assign_segment's max_price); null: the operator's rate when it is assigned. */
  maxPrice?: bigint | null;
  /** Tokens (fee included) this segment may charge (assign_segment's budget); null or 0: the whole max burn. */
  budget?: bigint | null;
}

export interface SegmentRecord extends SegmentAssignment {
  maxPrice: bigint | null;
  budget: bigint | null;
  assignedAt: number;
  /** When the assign_segment transaction confirmed; null until the pipeline lands it. */
  landedAt: number | null;
  /** Why the program refused to assign it (e.g. "RateAboveMaxPrice: ..."); the router may assign it again. */
  refused: string | null;
}

/** A receipt as the operator signed it, decoded and verified before it reaches the store. */
export interface ReceiptInput {
  execution: Address;
  segment: number;
  signer: Address;
  sku: string;
  cumulativeUnits: bigint;
  sequence: number;
  /** The exact signed message bytes (the precompile instruction needs them). */
  message: Uint8Array;
  signature: Uint8Array;
}

export interface StoredReceipt extends ReceiptInput {
  acceptedAt: number;
  /** Units (and sequence) confirmed on-chain for this segment so far. */
  settledUnits: bigint;
  settledSequence: number;
  /** True while the newest receipt is ahead of what has settled. */
  pending: boolean;
}

/** A receipt the program refused for a permanent reason: kept with the reason, never sent again. */
export interface QuarantinedReceipt {
  execution: Address;
  segment: number;
  sequence: number;
  cumulativeUnits: bigint;
  signer: Address;
  message: Uint8Array;
  signature: Uint8Array;
  reason: string;
  quarantinedAt: number;
}

export type AcceptStatus = "accepted" | "duplicate";

export interface AcceptResult {
  execution: Address;
  segment: number;
  sequence: number;
  status: AcceptStatus;
}

export interface ExecutionRecord {
  address: Address;
  status: ExecutionStatus;
  createdAt: number;
  completedAt: number | null;
  updatedAt: number;
  segments: Array<SegmentRecord & { receipt: StoredReceipt | null }>;
}

export type OutboxKind = "assign" | "receipts" | "finalize" | "close";
export type OutboxStatus = "pending" | "sent" | "confirmed" | "failed" | "expired";

/** What one transaction settles; the confirmation marks these receipts settled. */
export interface OutboxItem {
  execution: Address;
  segment: number;
  cumulativeUnits: bigint;
  sequence: number;
}

export interface OutboxInsert {
  /** Base58 of the first signature: the transaction's id. */
  signature: string;
  kind: OutboxKind;
  /** The signed wire bytes, rebroadcast unchanged until confirmed or expired. */
  wire: Uint8Array;
  blockhash: string;
  lastValidBlockHeight: bigint;
  executions: Address[];
  items: OutboxItem[];
}

export interface OutboxRecord extends OutboxInsert {
  status: OutboxStatus;
  createdAt: number;
  sendCount: number;
  lastSentAt: number | null;
  confirmedSlot: bigint | null;
  confirmedAt: number | null;
  feeLamports: bigint | null;
  error: string | null;
}

/** A held lease. `token` grows on every change of holder (a fencing token). */
export interface Lease {
  key: string;
  holder: string;
  token: number;
  expiresAt: number;
}

export interface WebhookSubscription {
  id: string;
  url: string;
  secret: string;
  /** Event types delivered; empty means all. */
  events: string[];
  createdAt: number;
}

export interface WebhookEvent {
  id: string;
  type: string;
  payload: unknown;
  createdAt: number;
}

export type DeliveryStatus = "pending" | "delivered" | "dead";

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  url: string;
  secret: string;
  event: WebhookEvent;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface StoreStats {
  pendingReceipts: number;
  /** Acceptance time of the oldest receipt not yet settled; null when none. */
  oldestPendingAcceptedAt: number | null;
  outboxInFlight: number;
  webhookDeliveriesPending: number;
  quarantinedReceipts: number;
}

export interface SettlerStore {
  readonly kind: "sqlite" | "postgres";
  schemaVersion(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;

  /**
   * Records an assignment; the same one again is "unchanged", a different one a SegmentConflictError,
   * except over a segment the program refused (never landed): that one is "updated" and tried again.
   */
  assignSegment(a: SegmentAssignment): Promise<"created" | "unchanged" | "updated">;
  markSegmentLanded(execution: Address, segment: number, at: number): Promise<void>;
  /** The program refused to assign it: the pipeline stops trying until the router assigns it again. */
  refuseSegment(execution: Address, segment: number, reason: string): Promise<void>;
  getSegment(execution: Address, segment: number): Promise<SegmentRecord | null>;
  getExecution(address: Address): Promise<ExecutionRecord | null>;
  /** open → complete; idempotent; UnknownExecutionError when never seen. */
  markExecutionComplete(address: Address): Promise<"completed" | "unchanged">;
  /** Moves an execution along its lifecycle; InvalidTransitionError when it is not in `from`. */
  setExecutionStatus(address: Address, from: ExecutionStatus[], to: ExecutionStatus): Promise<void>;

  /**
   * Accepts a batch atomically: every receipt is stored, or none (the first refusal throws a
   * typed StoreError carrying its index). Per (execution, segment) only the newest cumulative
   * receipt is kept; an identical receipt again is a "duplicate".
   */
  acceptReceipts(receipts: ReceiptInput[]): Promise<AcceptResult[]>;
  /** Newest receipts still ahead of what settled, oldest first. */
  pendingReceipts(opts?: { execution?: Address; limit?: number }): Promise<StoredReceipt[]>;
  stats(): Promise<StoreStats>;

  /** Persists a signed transaction before its first send; with fences, only while every lease holds. */
  putOutbox(tx: OutboxInsert, fence?: Lease | Lease[]): Promise<void>;
  getOutbox(signature: string): Promise<OutboxRecord | null>;
  listOutbox(status: OutboxStatus[]): Promise<OutboxRecord[]>;
  /** Records a send; OutboxMissingError unless the row was written first. */
  markOutboxSent(signature: string): Promise<void>;
  /** Confirms and, in the same commit, marks the transaction's receipts settled. */
  markOutboxConfirmed(signature: string, result: { slot: bigint; feeLamports: bigint }): Promise<void>;
  markOutboxFinal(signature: string, status: "failed" | "expired", error: string): Promise<void>;
  /** Marks receipts settled up to what the chain shows settled (an earlier landing seen after a crash); never backwards. */
  recordSettled(items: OutboxItem[]): Promise<void>;
  /**
   * The chain holds less than the store counted settled for this kept receipt (exactly this
   * sequence): settled goes back to what the chain shows and the receipt is pending again.
   * Returns false when it is no longer the kept one or the chain value is not below it.
   */
  requeueReceipt(item: OutboxItem, onChain: { units: bigint; sequence: number }): Promise<boolean>;
  /**
   * Moves a refused receipt (exactly this sequence, still the kept one) to quarantine with the
   * reason, in one commit: it stops being pending, so it is neither sent again nor blocks finalizing.
   * Returns false when the receipt is no longer the kept one (a newer one arrived meanwhile).
   */
  quarantineReceipt(item: OutboxItem, reason: string): Promise<boolean>;
  listQuarantined(filter?: { execution?: Address; limit?: number }): Promise<QuarantinedReceipt[]>;
  /** Executions in these statuses, least recently updated first (the crank's work list). */
  listExecutions(statuses: ExecutionStatus[], limit: number): Promise<Address[]>;
  /** Fees of transactions confirmed at or after `sinceMs` (the daily budget counts from UTC midnight). */
  feesSince(sinceMs: number): Promise<bigint>;

  acquireLease(key: string, holder: string, ttlMs: number): Promise<Lease | null>;
  renewLease(lease: Lease, ttlMs: number): Promise<Lease | null>;
  /** renewLease for many in one commit; each entry is the renewed lease or null (lost). */
  renewLeases(leases: Lease[], ttlMs: number): Promise<Array<Lease | null>>;
  releaseLease(lease: Lease): Promise<void>;
  /** Leases (key "execution:<address>") on up to `limit` executions with work no one else holds. */
  claimExecutions(holder: string, ttlMs: number, limit: number): Promise<Lease[]>;

  addSubscription(s: { url: string; secret: string; events: string[] }): Promise<WebhookSubscription>;
  listSubscriptions(): Promise<WebhookSubscription[]>;
  removeSubscription(id: string): Promise<boolean>;
  /** Stores one delivery per matching subscription, in one commit; returns how many. */
  enqueueEvent(event: WebhookEvent): Promise<number>;
  /** Takes due deliveries and pushes their next attempt `inflightMs` ahead so no one else takes them. */
  claimDueDeliveries(limit: number, inflightMs: number): Promise<WebhookDelivery[]>;
  recordDeliverySuccess(id: string): Promise<void>;
  /** nextAttemptAt null marks the delivery dead (attempts exhausted). */
  recordDeliveryFailure(id: string, error: string, nextAttemptAt: number | null): Promise<void>;
  listDeliveries(filter?: { status?: DeliveryStatus; eventId?: string }): Promise<WebhookDelivery[]>;
}
