// The store's rules, written once over a SqlBackend: both SQLite and PostgreSQL run this code.

import { randomUUID } from "node:crypto";
import { StoreError } from "./errors.ts";
import { migrate } from "./migrations.ts";
import { compareReceipt } from "./receiptOrder.ts";
import type { Row, SqlBackend, SqlTx } from "./sql.ts";
import type {
  AcceptResult,
  Address,
  ExecutionRecord,
  ExecutionStatus,
  Lease,
  OutboxInsert,
  OutboxItem,
  OutboxRecord,
  OutboxStatus,
  QuarantinedReceipt,
  ReceiptInput,
  SegmentAssignment,
  SegmentRecord,
  SettlerStore,
  StoredReceipt,
  WebhookDelivery,
  WebhookSubscription,
} from "./types.ts";

const RECEIVING: ExecutionStatus[] = ["open", "complete"];
const EXECUTION_LEASE = "execution:";

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const big = (v: unknown): bigint => BigInt(v as string | number);
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string));
const bytes = (v: unknown): Uint8Array => new Uint8Array(v as Buffer);

const segmentOf = (r: Row): SegmentRecord => ({
  execution: r.execution as string,
  segment: num(r.segment),
  operator: r.operator as string,
  operatorKey: r.operator_key as string,
  sku: r.sku as string,
  maxPrice: bigOrNull(r.max_price),
  budget: bigOrNull(r.budget),
  assignedAt: num(r.assigned_at),
  landedAt: numOrNull(r.landed_at),
  refused: (r.refused as string | null) ?? null,
});

const quarantinedOf = (r: Row): QuarantinedReceipt => ({
  execution: r.execution as string,
  segment: num(r.segment),
  sequence: num(r.sequence),
  cumulativeUnits: big(r.cumulative_units),
  signer: r.signer as string,
  message: bytes(r.message),
  signature: bytes(r.signature),
  reason: r.reason as string,
  quarantinedAt: num(r.quarantined_at),
});

const receiptOf = (r: Row): StoredReceipt => ({
  execution: r.execution as string,
  segment: num(r.segment),
  signer: r.signer as string,
  sku: r.sku as string,
  cumulativeUnits: big(r.cumulative_units),
  sequence: num(r.sequence),
  message: bytes(r.message),
  signature: bytes(r.signature),
  acceptedAt: num(r.accepted_at),
  settledUnits: big(r.settled_units),
  settledSequence: num(r.settled_sequence),
  pending: num(r.pending) === 1,
});

const itemsToJson = (items: OutboxItem[]): string =>
  JSON.stringify(items.map((i) => ({ ...i, cumulativeUnits: i.cumulativeUnits.toString() })));
const itemsFromJson = (s: string): OutboxItem[] =>
  (JSON.parse(s) as Array<OutboxItem & { cumulativeUnits: string }>).map((i) => ({ ...i, cumulativeUnits: BigInt(i.cumulativeUnits) }));

const outboxOf = (r: Row): OutboxRecord => ({
  signature: r.signature as string,
  kind: r.kind as OutboxRecord["kind"],
  wire: bytes(r.wire),
  blockhash: r.blockhash as string,
  lastValidBlockHeight: big(r.last_valid_block_height),
  executions: JSON.parse(r.executions as string) as string[],
  items: itemsFromJson(r.items as string),
  status: r.status as OutboxStatus,
  createdAt: num(r.created_at),
  sendCount: num(r.send_count),
  lastSentAt: numOrNull(r.last_sent_at),
  confirmedSlot: bigOrNull(r.confirmed_slot),
  confirmedAt: numOrNull(r.confirmed_at),
  feeLamports: bigOrNull(r.fee_lamports),
  error: (r.error as string | null) ?? null,
});

const leaseOf = (r: Row): Lease => ({
  key: r.key as string,
  holder: r.holder as string,
  token: num(r.token),
  expiresAt: num(r.expires_at),
});

const subscriptionOf = (r: Row): WebhookSubscription => ({
  id: r.id as string,
  url: r.url as string,
  secret: r.secret as string,
  events: JSON.parse(r.events as string) as string[],
  createdAt: num(r.created_at),
});

const deliveryOf = (r: Row): WebhookDelivery => ({
  id: r.id as string,
  subscriptionId: r.subscription_id as string,
  url: r.url as string,
  secret: r.secret as string,
  event: {
    id: r.event_id as string,
    type: r.event_type as string,
    payload: JSON.parse(r.payload as string) as unknown,
    createdAt: num(r.event_created_at),
  },
  status: r.status as WebhookDelivery["status"],
  attempts: num(r.attempts),
  nextAttemptAt: num(r.next_attempt_at),
  lastError: (r.last_error as string | null) ?? null,
  deliveredAt: numOrNull(r.delivered_at),
});

const DELIVERY_SELECT = `SELECT d.*, s.url, s.secret FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id`;

export async function createStore(db: SqlBackend): Promise<SettlerStore> {
  const lock = db.kind === "postgres" ? "SELECT pg_advisory_xact_lock(7226451)" : null;
  await migrate(db, lock);

  const lockExecution = async (tx: SqlTx, address: Address) => {
    const [row] = await tx.query(`SELECT status FROM executions WHERE address = $1${db.forUpdate}`, [address]);
    return row ? (row.status as ExecutionStatus) : null;
  };

  /** Marks receipts settled up to what a confirmed transaction carried; never moves backwards. */
  const settleItems = async (tx: SqlTx, items: OutboxItem[]) => {
    const ordered = [...items].sort((a, b) => (a.execution === b.execution ? a.segment - b.segment : a.execution < b.execution ? -1 : 1));
    for (const it of ordered) {
      const [row] = await tx.query(
        `SELECT cumulative_units, sequence, settled_units, settled_sequence FROM receipts WHERE execution = $1 AND segment = $2${db.forUpdate}`,
        [it.execution, it.segment],
      );
      if (!row) continue;
      const settledUnits = big(row.settled_units) > it.cumulativeUnits ? big(row.settled_units) : it.cumulativeUnits;
      const settledSeq = Math.max(num(row.settled_sequence), it.sequence);
      const pending = big(row.cumulative_units) > settledUnits ? 1 : 0;
      await tx.run(
        `UPDATE receipts SET settled_units = $3, settled_sequence = $4, pending = $5 WHERE execution = $1 AND segment = $2`,
        [it.execution, it.segment, settledUnits, settledSeq, pending],
      );
    }
  };

  const acquire = async (tx: SqlTx, key: string, holder: string, ttlMs: number): Promise<Lease | null> => {
    // One statement: take a free or expired lease (new token), or extend our own live one (same token).
    const rows = await tx.query(
      `INSERT INTO leases (key, holder, token, expires_at) VALUES ($1, $2, 1, ${db.nowMs} + $3)
       ON CONFLICT (key) DO UPDATE SET
         token = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > ${db.nowMs} THEN leases.token ELSE leases.token + 1 END,
         holder = excluded.holder,
         expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ${db.nowMs}
       RETURNING key, holder, token, expires_at`,
      [key, holder, ttlMs],
    );
    return rows[0] ? leaseOf(rows[0]) : null;
  };

  const renew = async (tx: SqlTx, lease: Lease, ttlMs: number): Promise<Lease | null> => {
    const rows = await tx.query(
      `UPDATE leases SET expires_at = ${db.nowMs} + $4 WHERE key = $1 AND holder = $2 AND token = $3 AND expires_at > ${db.nowMs}
       RETURNING key, holder, token, expires_at`,
      [lease.key, lease.holder, lease.token, ttlMs],
    );
    return rows[0] ? leaseOf(rows[0]) : null;
  };

  const store: SettlerStore = {
    kind: db.kind,

    async schemaVersion() {
      const [row] = await db.query("SELECT MAX(version) AS v FROM schema_migrations");
      return num(row?.v ?? 0);
    },
    async ping() {
      await db.query("SELECT 1 AS ok");
    },
    close: () => db.close(),

    assignSegment: (a: SegmentAssignment) =>
      db.transaction(async (tx) => {
        const now = Date.now();
        await tx.run(
          `INSERT INTO executions (address, status, created_at, updated_at) VALUES ($1, 'open', $2, $2) ON CONFLICT (address) DO NOTHING`,
          [a.execution, now],
        );
        const status = await lockExecution(tx, a.execution);
        const [seg] = await tx.query(`SELECT * FROM segments WHERE execution = $1 AND segment = $2`, [a.execution, a.segment]);
        const maxPrice = a.maxPrice ?? null;
        const budget = a.budget ?? null;
        if (seg) {
          const s = segmentOf(seg);
          const same = s.operator === a.operator && s.operatorKey === a.operatorKey && s.sku === a.sku && s.maxPrice === maxPrice && s.budget === budget;
          if (s.refused !== null && s.landedAt === null) {
            // The program refused it (say the rate was above the max price): the router's new terms are tried.
            await tx.run(
              `UPDATE segments SET operator = $3, operator_key = $4, sku = $5, max_price = $6, budget = $7, assigned_at = $8, refused = NULL WHERE execution = $1 AND segment = $2`,
              [a.execution, a.segment, a.operator, a.operatorKey, a.sku, maxPrice, budget, now],
            );
            return "updated" as const;
          }
          if (same) return "unchanged" as const;
          throw new StoreError("SegmentConflict", `segment ${a.segment} of ${a.execution} is already assigned to ${s.operator} (${s.sku})`);
        }
        if (status !== "open") throw new StoreError("ExecutionClosed", `execution ${a.execution} is ${status}: no new segments`);
        await tx.run(
          `INSERT INTO segments (execution, segment, operator, operator_key, sku, max_price, budget, assigned_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [a.execution, a.segment, a.operator, a.operatorKey, a.sku, maxPrice, budget, now],
        );
        return "created" as const;
      }),

    async markSegmentLanded(execution, segment, at) {
      const n = await db.run(`UPDATE segments SET landed_at = $3 WHERE execution = $1 AND segment = $2 AND landed_at IS NULL`, [execution, segment, at]);
      if (n === 0 && !(await store.getSegment(execution, segment))) {
        throw new StoreError("UnknownSegment", `segment ${segment} of ${execution} was never assigned`);
      }
    },

    async refuseSegment(execution, segment, reason) {
      const n = await db.run(`UPDATE segments SET refused = $3 WHERE execution = $1 AND segment = $2 AND landed_at IS NULL`, [execution, segment, reason]);
      if (n === 0 && !(await store.getSegment(execution, segment))) {
        throw new StoreError("UnknownSegment", `segment ${segment} of ${execution} was never assigned`);
      }
    },

    async getSegment(execution, segment) {
      const [row] = await db.query(`SELECT * FROM segments WHERE execution = $1 AND segment = $2`, [execution, segment]);
      return row ? segmentOf(row) : null;
    },

    async getExecution(address) {
      const [ex] = await db.query(`SELECT * FROM executions WHERE address = $1`, [address]);
      if (!ex) return null;
      const segs = await db.query(`SELECT * FROM segments WHERE execution = $1 ORDER BY segment`, [address]);
      const recs = await db.query(`SELECT * FROM receipts WHERE execution = $1`, [address]);
      const bySegment = new Map(recs.map((r) => [num(r.segment), receiptOf(r)]));
      const record: ExecutionRecord = {
        address,
        status: ex.status as ExecutionStatus,
        createdAt: num(ex.created_at),
        completedAt: numOrNull(ex.completed_at),
        updatedAt: num(ex.updated_at),
        segments: segs.map((s) => ({ ...segmentOf(s), receipt: bySegment.get(num(s.segment)) ?? null })),
      };
      return record;
    },

    markExecutionComplete: (address) =>
      db.transaction(async (tx) => {
        const status = await lockExecution(tx, address);
        if (status === null) throw new StoreError("UnknownExecution", `execution ${address} is unknown to this settler`);
        if (status !== "open") return "unchanged" as const;
        const now = Date.now();
        await tx.run(`UPDATE executions SET status = 'complete', completed_at = $2, updated_at = $2 WHERE address = $1`, [address, now]);
        return "completed" as const;
      }),

    setExecutionStatus: (address, from, to) =>
      db.transaction(async (tx) => {
        const status = await lockExecution(tx, address);
        if (status === null) throw new StoreError("UnknownExecution", `execution ${address} is unknown to this settler`);
        if (!from.includes(status)) {
          throw new StoreError("InvalidTransition", `execution ${address} is ${status}, not ${from.join("|")}: cannot become ${to}`);
        }
        await tx.run(`UPDATE executions SET status = $2, updated_at = $3 WHERE address = $1`, [address, to, Date.now()]);
      }),

    acceptReceipts: (receipts: ReceiptInput[]) =>
      db.transaction(async (tx) => {
        const results: AcceptResult[] = [];
        const now = Date.now();
        // Lock every execution of the batch first, in one global order: two batches naming
        // the same executions in different orders then wait for each other, never deadlock.
        const statuses = new Map<Address, ExecutionStatus | null>();
        for (const e of [...new Set(receipts.map((r) => r.execution))].sort()) statuses.set(e, await lockExecution(tx, e));
        for (const [index, r] of receipts.entries()) {
          const status = statuses.get(r.execution) ?? null;
          if (status === null) throw new StoreError("UnknownExecution", `execution ${r.execution} is unknown to this settler`, index);
          if (!RECEIVING.includes(status)) {
            throw new StoreError("ExecutionClosed", `execution ${r.execution} is ${status}: it takes no more receipts`, index);
          }
          const [seg] = await tx.query(`SELECT 1 AS ok FROM segments WHERE execution = $1 AND segment = $2`, [r.execution, r.segment]);
          if (!seg) throw new StoreError("UnknownSegment", `segment ${r.segment} of ${r.execution} is not assigned`, index);
          const fresh = [r.execution, r.segment, r.signer, r.sku, r.cumulativeUnits, r.sequence, r.message, r.signature, now];
          const inserted = await tx.run(
            `INSERT INTO receipts (execution, segment, signer, sku, cumulative_units, sequence, message, signature, accepted_at, settled_units, settled_sequence, pending)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '0', 0, 1) ON CONFLICT (execution, segment) DO NOTHING`,
            fresh,
          );
          if (inserted === 1) {
            results.push({ execution: r.execution, segment: r.segment, sequence: r.sequence, status: "accepted" });
            continue;
          }
          const [keptRow] = await tx.query(`SELECT * FROM receipts WHERE execution = $1 AND segment = $2${db.forUpdate}`, [r.execution, r.segment]);
          const kept = receiptOf(keptRow!);
          const order = compareReceipt(kept, r);
          const where = `segment ${r.segment} of ${r.execution}`;
          if (order === "duplicate") {
            results.push({ execution: r.execution, segment: r.segment, sequence: r.sequence, status: "duplicate" });
            continue;
          }
          if (order === "stale") {
            throw new StoreError(
              "ReceiptNotNewer",
              `${where}: receipt (units ${r.cumulativeUnits}, sequence ${r.sequence}) is not newer than the kept one (units ${kept.cumulativeUnits}, sequence ${kept.sequence})`,
              index,
            );
          }
          if (order === "conflict") {
            throw new StoreError(
              "ReceiptConflict",
              `${where}: receipt (units ${r.cumulativeUnits}, sequence ${r.sequence}) contradicts the kept one (units ${kept.cumulativeUnits}, sequence ${kept.sequence}); units and sequence must both increase`,
              index,
            );
          }
          const pending = r.cumulativeUnits > kept.settledUnits ? 1 : 0;
          await tx.run(
            `UPDATE receipts SET signer = $3, sku = $4, cumulative_units = $5, sequence = $6, message = $7, signature = $8, accepted_at = $9, pending = $10
             WHERE execution = $1 AND segment = $2`,
            [...fresh, pending],
          );
          results.push({ execution: r.execution, segment: r.segment, sequence: r.sequence, status: "accepted" });
        }
        return results;
      }),

    async pendingReceipts(opts = {}) {
      const limit = opts.limit ?? 1000;
      const rows = opts.execution
        ? await db.query(`SELECT * FROM receipts WHERE pending = 1 AND execution = $1 ORDER BY accepted_at, segment LIMIT $2`, [opts.execution, limit])
        : await db.query(`SELECT * FROM receipts WHERE pending = 1 ORDER BY accepted_at, execution, segment LIMIT $1`, [limit]);
      return rows.map(receiptOf);
    },

    async stats() {
      const [r] = await db.query(`SELECT COUNT(*) AS n, MIN(accepted_at) AS oldest FROM receipts WHERE pending = 1`);
      const [o] = await db.query(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sent')`);
      const [w] = await db.query(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'`);
      const [q] = await db.query(`SELECT COUNT(*) AS n FROM quarantined_receipts`);
      return {
        quarantinedReceipts: num(q?.n ?? 0),
        pendingReceipts: num(r?.n ?? 0),
        oldestPendingAcceptedAt: numOrNull(r?.oldest),
        outboxInFlight: num(o?.n ?? 0),
        webhookDeliveriesPending: num(w?.n ?? 0),
      };
    },

    putOutbox: (t: OutboxInsert, fences?: Lease | Lease[]) =>
      db.transaction(async (tx) => {
        for (const fence of fences === undefined ? [] : Array.isArray(fences) ? fences : [fences]) {
          const [held] = await tx.query(
            `SELECT token FROM leases WHERE key = $1 AND holder = $2 AND token = $3 AND expires_at > ${db.nowMs}${db.forUpdate}`,
            [fence.key, fence.holder, fence.token],
          );
          if (!held) throw new StoreError("LeaseLost", `lease ${fence.key} (token ${fence.token}) is no longer held by ${fence.holder}`);
        }
        const [exists] = await tx.query(`SELECT 1 AS ok FROM outbox WHERE signature = $1`, [t.signature]);
        if (exists) throw new StoreError("OutboxExists", `transaction ${t.signature} is already in the outbox`);
        await tx.run(
          `INSERT INTO outbox (signature, kind, wire, blockhash, last_valid_block_height, executions, items, status, created_at, send_count)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, 0)`,
          [t.signature, t.kind, t.wire, t.blockhash, t.lastValidBlockHeight, JSON.stringify(t.executions), itemsToJson(t.items), Date.now()],
        );
        for (const e of new Set(t.executions)) {
          await tx.run(`INSERT INTO outbox_executions (signature, execution) VALUES ($1, $2)`, [t.signature, e]);
        }
      }),

    async getOutbox(signature) {
      const [row] = await db.query(`SELECT * FROM outbox WHERE signature = $1`, [signature]);
      return row ? outboxOf(row) : null;
    },

    async listOutbox(statuses) {
      if (statuses.length === 0) return [];
      const marks = statuses.map((_, i) => `$${i + 1}`).join(", ");
      const rows = await db.query(`SELECT * FROM outbox WHERE status IN (${marks}) ORDER BY created_at, signature`, statuses);
      return rows.map(outboxOf);
    },

    async markOutboxSent(signature) {
      const n = await db.run(
        `UPDATE outbox SET status = CASE WHEN status = 'pending' THEN 'sent' ELSE status END, send_count = send_count + 1, last_sent_at = $2
         WHERE signature = $1 AND status IN ('pending', 'sent')`,
        [signature, Date.now()],
      );
      if (n === 0) {
        const row = await store.getOutbox(signature);
        if (!row) throw new StoreError("OutboxMissing", `transaction ${signature} was never written to the outbox: it must not be sent`);
        throw new StoreError("InvalidTransition", `transaction ${signature} is ${row.status}: it is not sent again`);
      }
    },

    markOutboxConfirmed: (signature, result) =>
      db.transaction(async (tx) => {
        const [row] = await tx.query(`SELECT * FROM outbox WHERE signature = $1${db.forUpdate}`, [signature]);
        if (!row) throw new StoreError("OutboxMissing", `transaction ${signature} is not in the outbox`);
        const o = outboxOf(row);
        if (o.status === "confirmed") return;
        await tx.run(
          `UPDATE outbox SET status = 'confirmed', confirmed_slot = $2, fee_lamports = $3, confirmed_at = $4, error = NULL WHERE signature = $1`,
          [signature, result.slot, result.feeLamports, Date.now()],
        );
        await settleItems(tx, o.items);
      }),

    async markOutboxFinal(signature, status, error) {
      const n = await db.run(`UPDATE outbox SET status = $2, error = $3 WHERE signature = $1 AND status IN ('pending', 'sent')`, [signature, status, error]);
      if (n === 0) {
        const row = await store.getOutbox(signature);
        if (!row) throw new StoreError("OutboxMissing", `transaction ${signature} is not in the outbox`);
        throw new StoreError("InvalidTransition", `transaction ${signature} is ${row.status}: it cannot become ${status}`);
      }
    },

    recordSettled: (items) => db.transaction((tx) => settleItems(tx, items)),

    requeueReceipt: (item, onChain) =>
      db.transaction(async (tx) => {
        const [row] = await tx.query(`SELECT * FROM receipts WHERE execution = $1 AND segment = $2${db.forUpdate}`, [item.execution, item.segment]);
        if (!row) return false;
        const r = receiptOf(row);
        if (r.sequence !== item.sequence || r.cumulativeUnits !== item.cumulativeUnits) return false;
        if (onChain.units >= r.cumulativeUnits && onChain.sequence >= r.sequence) return false;
        await tx.run(`UPDATE receipts SET settled_units = $3, settled_sequence = $4, pending = 1 WHERE execution = $1 AND segment = $2`, [
          r.execution,
          r.segment,
          onChain.units,
          onChain.sequence,
        ]);
        return true;
      }),

    quarantineReceipt: (item, reason) =>
      db.transaction(async (tx) => {
        const [row] = await tx.query(`SELECT * FROM receipts WHERE execution = $1 AND segment = $2${db.forUpdate}`, [item.execution, item.segment]);
        if (!row) return false;
        const r = receiptOf(row);
        if (r.sequence !== item.sequence || r.cumulativeUnits !== item.cumulativeUnits || !r.pending) return false;
        await tx.run(
          `INSERT INTO quarantined_receipts (execution, segment, sequence, cumulative_units, signer, message, signature, reason, quarantined_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (execution, segment, sequence) DO NOTHING`,
          [r.execution, r.segment, r.sequence, r.cumulativeUnits, r.signer, r.message, r.signature, reason, Date.now()],
        );
        await tx.run(`UPDATE receipts SET pending = 0 WHERE execution = $1 AND segment = $2`, [r.execution, r.segment]);
        return true;
      }),

    async listQuarantined(filter = {}) {
      const limit = filter.limit ?? 1000;
      const rows = filter.execution
        ? await db.query(`SELECT * FROM quarantined_receipts WHERE execution = $1 ORDER BY quarantined_at, segment LIMIT $2`, [filter.execution, limit])
        : await db.query(`SELECT * FROM quarantined_receipts ORDER BY quarantined_at, execution, segment LIMIT $1`, [limit]);
      return rows.map(quarantinedOf);
    },

    async listExecutions(statuses, limit) {
      if (statuses.length === 0) return [];
      const marks = statuses.map((_, i) => `$${i + 1}`).join(", ");
      const rows = await db.query(`SELECT address FROM executions WHERE status IN (${marks}) ORDER BY updated_at, address LIMIT $${statuses.length + 1}`, [...statuses, limit]);
      return rows.map((r) => r.address as Address);
    },

    async feesSince(sinceMs) {
      const sum = db.kind === "postgres" ? "SUM(fee_lamports)" : "SUM(CAST(fee_lamports AS INTEGER))";
      const [row] = await db.query(`SELECT ${sum} AS total FROM outbox WHERE status = 'confirmed' AND confirmed_at >= $1`, [sinceMs]);
      return row?.total === null || row?.total === undefined ? 0n : BigInt(row.total as string | number);
    },

    acquireLease: (key, holder, ttlMs) => db.transaction((tx) => acquire(tx, key, holder, ttlMs)),

    renewLease: (lease, ttlMs) => db.transaction((tx) => renew(tx, lease, ttlMs)),

    renewLeases: (leases, ttlMs) =>
      db.transaction(async (tx) => {
        // Key order, so two instances renewing overlapping sets never wait on each other in a cycle.
        const renewed = new Map<string, Lease | null>();
        for (const l of [...leases].sort((a, b) => (a.key < b.key ? -1 : 1))) renewed.set(l.key, await renew(tx, l, ttlMs));
        return leases.map((l) => renewed.get(l.key) ?? null);
      }),

    async releaseLease(lease) {
      // Expire rather than delete, so the next holder's token still grows.
      await db.run(`UPDATE leases SET expires_at = 0 WHERE key = $1 AND holder = $2 AND token = $3`, [lease.key, lease.holder, lease.token]);
    },

    async claimExecutions(holder, ttlMs, limit) {
      // Executions with work: receipts to settle, completion to finalize, transactions in flight.
      const candidates = await db.query(
        `SELECT address FROM executions e
         WHERE (e.status IN ('complete', 'finalizing')
            OR EXISTS (SELECT 1 FROM receipts r WHERE r.execution = e.address AND r.pending = 1)
            OR (e.status = 'open' AND EXISTS (SELECT 1 FROM segments s WHERE s.execution = e.address AND s.landed_at IS NULL AND s.refused IS NULL))
            OR EXISTS (SELECT 1 FROM outbox_executions oe JOIN outbox o ON o.signature = oe.signature
                       WHERE oe.execution = e.address AND o.status IN ('pending', 'sent')))
           AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.key = '${EXECUTION_LEASE}' || e.address
                           AND l.holder <> $1 AND l.expires_at > ${db.nowMs})
         ORDER BY e.updated_at, e.address LIMIT $2`,
        [holder, limit],
      );
      // One commit for all of them, in key order (two instances claiming at once never deadlock).
      const keys = candidates.map((c) => EXECUTION_LEASE + (c.address as string)).sort();
      return db.transaction(async (tx) => {
        const leases: Lease[] = [];
        for (const key of keys) {
          const lease = await acquire(tx, key, holder, ttlMs);
          if (lease) leases.push(lease);
        }
        return leases;
      });
    },

    async addSubscription(s) {
      const sub: WebhookSubscription = { id: randomUUID(), url: s.url, secret: s.secret, events: s.events, createdAt: Date.now() };
      await db.run(`INSERT INTO webhook_subscriptions (id, url, secret, events, created_at) VALUES ($1, $2, $3, $4, $5)`, [
        sub.id,
        sub.url,
        sub.secret,
        JSON.stringify(sub.events),
        sub.createdAt,
      ]);
      return sub;
    },

    async listSubscriptions() {
      const rows = await db.query(`SELECT * FROM webhook_subscriptions WHERE removed_at IS NULL ORDER BY created_at, id`);
      return rows.map(subscriptionOf);
    },

    async removeSubscription(id) {
      // Kept (removed_at) so past deliveries still name their subscription; pending ones stop.
      return db.transaction(async (tx) => {
        const n = await tx.run(`UPDATE webhook_subscriptions SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL`, [id, Date.now()]);
        await tx.run(`UPDATE webhook_deliveries SET status = 'dead', last_error = 'subscription removed' WHERE subscription_id = $1 AND status = 'pending'`, [id]);
        return n > 0;
      });
    },

    enqueueEvent: (event) =>
      db.transaction(async (tx) => {
        const subs = (await tx.query(`SELECT * FROM webhook_subscriptions WHERE removed_at IS NULL`)).map(subscriptionOf);
        let n = 0;
        for (const s of subs) {
          if (s.events.length > 0 && !s.events.includes(event.type)) continue;
          n += await tx.run(
            `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, payload, event_created_at, status, attempts, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7) ON CONFLICT (subscription_id, event_id) DO NOTHING`,
            [randomUUID(), s.id, event.id, event.type, JSON.stringify(event.payload), event.createdAt, Date.now()],
          );
        }
        return n;
      }),

    claimDueDeliveries: (limit, inflightMs) =>
      db.transaction(async (tx) => {
        const now = Date.now();
        const skip = db.kind === "postgres" ? " FOR UPDATE OF d SKIP LOCKED" : "";
        const rows = await tx.query(
          `${DELIVERY_SELECT} WHERE d.status = 'pending' AND d.next_attempt_at <= $1 ORDER BY d.next_attempt_at, d.id LIMIT $2${skip}`,
          [now, limit],
        );
        for (const r of rows) {
          await tx.run(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = $1`, [r.id, now + inflightMs]);
        }
        return rows.map(deliveryOf);
      }),

    async recordDeliverySuccess(id) {
      await db.run(
        `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = $2, last_error = NULL WHERE id = $1 AND status = 'pending'`,
        [id, Date.now()],
      );
    },

    async recordDeliveryFailure(id, error, nextAttemptAt) {
      await db.run(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2, status = $3, next_attempt_at = $4 WHERE id = $1 AND status = 'pending'`,
        [id, error.slice(0, 1000), nextAttemptAt === null ? "dead" : "pending", nextAttemptAt ?? Date.now()],
      );
    },

    async listDeliveries(filter = {}) {
      const conds: string[] = [];
      const p: unknown[] = [];
      if (filter.status) conds.push(`d.status = $${p.push(filter.status)}`);
      if (filter.eventId) conds.push(`d.event_id = $${p.push(filter.eventId)}`);
      const where = conds.length ? ` WHERE ${conds.join(" AND ")}` : "";
      const rows = await db.query(`${DELIVERY_SELECT}${where} ORDER BY d.event_created_at, d.id`, p);
      return rows.map(deliveryOf);
    },
  };
  return store;
}
