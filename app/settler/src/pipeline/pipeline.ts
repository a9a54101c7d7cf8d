// The submission pipeline: one pass at a time over the store, all state in the store so a kill -9
// anywhere is safe. A pass: observe the chain (or stop: unhealthy); check the day's fees against
// the budget; claim leases on executions with work; settle what is in flight (confirmed → settle
// its receipts in the same commit; failed or provably expired → read the chain back; else
// rebroadcast); then new work per execution: land unassigned segments, pack pending receipts
// across executions, finalize completed executions; every few seconds the crank finalizes
// expired executions and closes settled ones after their review window. Every transaction is written to the
// outbox (signed bytes, blockhash, last valid block height) before its first send; the same bytes
// are rebroadcast until they land or the blockhash has provably expired (block height above the
// last valid one); only then is the work signed again. Whatever the chain shows already done
// (after a crash, a takeover or an "already settled" failure) is read back from the chain and
// recorded, never sent twice. When the RPC cannot be observed, or the slot stops moving, nothing
// is sent and the settler reports unhealthy.
import { EndReason, decodeSku, isArknetError } from "@arknet/escrow";
import type { Address } from "@solana/kit";
import type { Logger } from "pino";
import type { SettlerMetrics } from "../api/metrics.ts";
import type { Batch, EscrowChain, Observation, SignatureOutcome } from "../chain/escrowChain.ts";
import { ALREADY_DONE } from "../chain/escrowChain.ts";
import type { Lease, OutboxItem, OutboxRecord, SegmentRecord, SettlerStore, StoredReceipt } from "../store/index.ts";
import { createConfirmations, type Outcome } from "./confirmations.ts";
import { PipelineRefusal, alreadyDoneRefusal, permanentRefusal, receiptOnChain, refusalReason } from "./refusals.ts";

export interface PipelineOptions {
  store: SettlerStore;
  chain: EscrowChain;
  logger: Logger;
  metrics?: SettlerMetrics;
  /** This instance's name in leases. */
  holder: string;
  intervalMs: number;
  leaseTtlMs: number;
  /** The slot must move within this long, or the RPC counts as unobservable. */
  staleSlotMs: number;
  /** Lamports per UTC day; past it nothing new is signed. */
  dailyFeeBudgetLamports: bigint;
  /** Send again after this long without a landing. */
  rebroadcastMs: number;
  /** How often the crank looks at open (expiry) and finalized (close) executions. */
  crankIntervalMs: number;
  /** A subscribed signature without a notification this long is polled (getSignatureStatuses). */
  confirmPollMs?: number;
}

export interface PipelineHealth {
  healthy: boolean;
  reason: string | null;
  lastObservation: Observation | null;
  budgetExhausted: boolean;
}

export interface Pipeline {
  start(): void;
  /** Finishes the pass in flight, then stops. */
  stop(): Promise<void>;
  /** One pass, for tests and for the loop. */
  pass(): Promise<void>;
  health(): PipelineHealth;
}

const EXECUTION_SETTLED = 2;
const MAX_BATCHES_PER_PASS = 128;
const SUBMIT_CONCURRENCY = 16;
const utcMidnight = (now = Date.now()) => now - (now % 86_400_000);

export function createPipeline(o: PipelineOptions): Pipeline {
  const { store, chain, logger } = o;
  const health: PipelineHealth = { healthy: false, reason: "not observed yet", lastObservation: null, budgetExhausted: false };
  let lastSlot = -1n;
  let lastSlotChangeAt = Date.now();
  let lastCrankAt = 0;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inPass: Promise<void> | null = null;
  let woken = false;
  // A notification arriving between passes starts the next pass at once.
  const wake = () => {
    woken = true;
    if (running && timer && !inPass) {
      clearTimeout(timer);
      timer = setTimeout(loop, 0);
    }
  };
  // A pushed landing is recorded at once (not at the next pass), then the pass is woken for
  // the execution's next work. `handled` keeps a landing from being recorded twice when the
  // pass looks at the same row meanwhile.
  const handled = new Set<string>();
  // Where a pass's time goes (summed over concurrent work), logged at debug level.
  let phases: Record<string, number> = {};
  const timed = async <T>(phase: string, f: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await f();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + Date.now() - t;
    }
  };
  const notifying = new Set<Promise<void>>();
  const onNotified = (signature: string, outcome: SignatureOutcome) => {
    if (!running) return; // the next start polls it
    const p = (async () => {
      const row = await store.getOutbox(signature);
      if (row && (row.status === "pending" || row.status === "sent") && (outcome.state === "confirmed" || outcome.state === "failed")) await landed(row, { ...outcome, via: "subscription" });
    })()
      .catch((e) => logger.warn({ signature, err: (e as Error).message }, "recording a pushed landing failed; the pass will look again"))
      .finally(() => notifying.delete(p));
    notifying.add(p);
    wake();
  };
  const confirmations = createConfirmations(chain, { pollAfterMs: o.confirmPollMs ?? 2_000, establishMs: 1_000, onNotified });

  const unhealthy = (reason: string) => {
    if (health.healthy || health.reason !== reason) logger.warn({ reason }, "pipeline unhealthy: not sending");
    health.healthy = false;
    health.reason = reason;
  };

  async function observe(): Promise<Observation | null> {
    let obs: Observation;
    try {
      obs = await chain.observe();
    } catch (e) {
      unhealthy(`RPC unobservable: ${(e as Error).message}`);
      return null;
    }
    if (obs.slot !== lastSlot) {
      lastSlot = obs.slot;
      lastSlotChangeAt = Date.now();
    } else if (Date.now() - lastSlotChangeAt > o.staleSlotMs) {
      unhealthy(`slot ${obs.slot} has not moved for ${Date.now() - lastSlotChangeAt} ms`);
      return null;
    }
    if (!health.healthy) logger.info({ slot: obs.slot }, "pipeline healthy: RPC observed");
    health.healthy = true;
    health.reason = null;
    health.lastObservation = obs;
    return obs;
  }

  /** Sends a row's exact bytes (subscribed to first when new); a send error is only logged (the next pass looks again). */
  async function broadcast(row: { signature: string; wire: Uint8Array }, fresh = false) {
    // The row is on disk already (putOutbox): recording the send and subscribing go side by side.
    await Promise.all([fresh ? timed("subscribe", () => confirmations.watch(row.signature)) : null, timed("markSent", () => store.markOutboxSent(row.signature))]);
    try {
      await timed("send", () => chain.send(row.wire));
      o.metrics?.txSent.inc();
    } catch (e) {
      logger.warn({ signature: row.signature, err: (e as Error).message }, "send failed; will rebroadcast");
    }
  }

  /** Records what the chain shows for the executions of a row that did not land as sent. */
  async function reconcile(executions: Address[], items: OutboxItem[]) {
    const settled: OutboxItem[] = [];
    for (const address of executions) {
      const ex = await chain.readExecution(address);
      if (!ex) continue;
      for (let s = 0; s < ex.segmentCount; s++) {
        const seg = await store.getSegment(address, s);
        if (seg && seg.landedAt === null) await store.markSegmentLanded(address, s, Date.now());
      }
      for (const it of items.filter((i) => i.execution === address && i.segment < ex.segmentCount)) {
        const seg = ex.segments[it.segment];
        // Cumulative: what settled on-chain covers every receipt at or below it.
        if (seg.settledUnits >= it.cumulativeUnits && seg.lastSeq >= it.sequence) settled.push(it);
      }
    }
    if (settled.length > 0) await store.recordSettled(settled);
  }

  async function onConfirmed(row: OutboxRecord, slot: bigint) {
    const fee = await chain.feeOf(row.signature).catch(() => 0n);
    await store.markOutboxConfirmed(row.signature, { slot, feeLamports: fee });
    o.metrics?.txConfirmed.inc();
    o.metrics?.solSpentLamports.inc(Number(fee));
    o.metrics?.receiptsSettled.inc(row.items.length);
    if (row.kind === "assign") for (const ex of row.executions) await landSegments(ex as Address);
    if (row.kind === "receipts") await emit("settlement", { signature: row.signature, slot: String(slot), receipts: row.items.map(itemJson) });
    if (row.kind === "finalize") for (const ex of row.executions) await finalized(ex as Address);
    if (row.kind === "close") for (const ex of row.executions) await store.setExecutionStatus(ex, ["finalized"], "closed").catch(() => undefined);
  }

  const itemJson = (i: OutboxItem) => ({ execution: i.execution, segment: i.segment, cumulativeUnits: String(i.cumulativeUnits), sequence: i.sequence });

  async function emit(type: string, payload: unknown) {
    await store.enqueueEvent({ id: `${type}:${cryptoId()}`, type, payload, createdAt: Date.now() });
  }

  async function landSegments(address: Address) {
    const ex = await chain.readExecution(address);
    if (!ex) return;
    for (let s = 0; s < ex.segmentCount; s++) {
      const seg = await store.getSegment(address, s);
      if (seg && seg.landedAt === null) await store.markSegmentLanded(address, s, Date.now());
    }
  }

  /** The execution is settled on-chain: record it and emit the bill and the refund. */
  async function finalized(address: Address) {
    const rec = await store.getExecution(address);
    if (!rec || rec.status === "finalized" || rec.status === "closed") return;
    const ex = await chain.readExecution(address);
    if (!ex || ex.status !== EXECUTION_SETTLED) return;
    await store.setExecutionStatus(address, ["open", "complete", "finalizing"], "finalized");
    const segments = ex.segments.slice(0, ex.segmentCount).map((s, i) => ({ segment: i, operator: s.operator, sku: decodeSku(s.sku), settledUnits: String(s.settledUnits), charged: String(s.charged) }));
    await emit("bill", { execution: address, maxBurn: String(ex.maxBurn), consumed: String(ex.consumed), fees: String(ex.feesAccrued), endReason: ex.endReason, segments });
    await emit("refund", { execution: address, buyer: ex.buyer, refund: String(ex.maxBurn - ex.consumed) });
  }

  /**
   * Step 3: transactions in flight. Returns the executions that still have one. Every row touching
   * an execution of ours is looked at, also one that names executions we do not hold (a dead
   * instance's batch across executions): until its signature is seen landed or its blockhash has
   * provably expired, its receipts may still land, so none of its executions gets a new batch.
   * Recording what the chain shows and rebroadcasting the same bytes are safe for any holder.
   */
  async function inFlight(obs: Observation, mine: Set<string>): Promise<Set<string>> {
    const rows = (await store.listOutbox(["pending", "sent"])).filter((r) => r.executions.some((e) => mine.has(e)));
    const busy = new Set<string>();
    if (rows.length === 0) return busy;
    const outcomes = await confirmations.outcomes(rows, obs.blockHeight);
    // Rows touch different transactions' state: handled concurrently (the store commits them together).
    await inPool(rows, SUBMIT_CONCURRENCY, async (row) => {
      // Its landing was pushed and is being recorded: its executions stay busy until that commits,
      // or the pass would batch receipts the chain already holds (and the store not yet).
      if (handled.has(row.signature)) return void row.executions.forEach((e) => busy.add(e));
      // Absent: subscribed and waiting for the push (counts as unknown, but never as expired).
      const st = outcomes.get(row.signature) ?? { state: "unknown" as const, via: null };
      if (st.state === "confirmed" || st.state === "failed") return landed(row, st);
      if (st.state === "unknown" && st.via === "poll" && obs.blockHeight > row.lastValidBlockHeight) {
        // Provably expired: this signature can never land now; reconcile, then the work is signed again.
        if (!(await finalOnce(row.signature, "expired", `block height ${obs.blockHeight} > last valid ${row.lastValidBlockHeight}`))) return;
        confirmations.forget(row.signature);
        await reconcile(row.executions as Address[], row.items);
        return;
      }
      row.executions.forEach((e) => busy.add(e));
      if (st.state === "unknown" && (row.lastSentAt === null || Date.now() - row.lastSentAt >= o.rebroadcastMs)) await broadcast(row);
    });
    return busy;
  }

  /** Marks a row final; false when another instance sharing one of its executions already did. */
  async function finalOnce(signature: string, status: "failed" | "expired", error: string): Promise<boolean> {
    try {
      await store.markOutboxFinal(signature, status, error);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === "InvalidTransition") return false;
      throw e;
    }
  }

  /** A transaction landed (confirmed, or failed on-chain): recorded once per process. */
  async function landed(row: OutboxRecord, st: Extract<Outcome, { state: "confirmed" | "failed" }>) {
    if (handled.has(row.signature)) return;
    if (handled.size >= 100_000) handled.clear();
    handled.add(row.signature);
    o.metrics?.txConfirmedVia.inc({ via: st.via });
    confirmations.forget(row.signature);
    try {
      if (st.state === "confirmed") return await onConfirmed(row, st.slot);
      if (!(await finalOnce(row.signature, "failed", st.error))) return;
    } catch (e) {
      // Not recorded: the row is still in flight, and the next pass polls it again.
      if ((await store.getOutbox(row.signature).catch(() => null))?.status !== "confirmed") handled.delete(row.signature);
      throw e;
    }
    o.metrics?.txFailed.inc();
    // "Already settled" and any other failure alike: what the chain holds is the truth.
    if (!ALREADY_DONE.has(st.errorName)) logger.warn({ signature: row.signature, error: st.error }, "transaction failed on-chain");
    await reconcile(row.executions as Address[], row.items);
  }

  /**
   * Signs, persists (fenced by every lease of its executions), then sends. Returns the
   * simulation's refusal, after reading back from the chain what it shows done; else null.
   */
  async function submit(batch: Batch, leases: Map<string, Lease>, lifetime?: { blockhash: string; lastValidBlockHeight: bigint }): Promise<Error | null> {
    lifetime ??= await chain.latestBlockhash();
    let signed;
    try {
      signed = await timed("sign", () => chain.sign(batch, lifetime));
    } catch (e) {
      if (isArknetError(e) && ALREADY_DONE.has(e.errorName)) {
        await reconcile(batch.executions, batch.items);
        if (batch.kind === "finalize") for (const ex of batch.executions) await finalized(ex);
        return e;
      }
      logger.warn({ kind: batch.kind, executions: batch.executions, err: (e as Error).message }, "simulation refused the batch");
      await reconcile(batch.executions, batch.items);
      return e as Error;
    }
    const fences = batch.executions.map((e) => leases.get(e));
    if (fences.some((f) => !f)) return null; // a lease lapsed during this pass: its holder now decides
    try {
      await timed("persist", () => store.putOutbox({ ...signed, kind: batch.kind, executions: batch.executions, items: batch.items }, fences as Lease[]));
    } catch (e) {
      if ((e as { code?: string }).code === "LeaseLost" || /LeaseLost|no longer held/.test((e as Error).message)) {
        logger.warn({ executions: batch.executions }, "lease lost before the send: nothing sent");
        for (const x of batch.executions) leases.delete(x);
        return null;
      }
      throw e;
    }
    await broadcast(signed, true);
    return null;
  }

  /**
   * Receipts, one batch. An "already done" refusal (ReceiptNotNewer, ExecutionSettled) is a race
   * with another landing: the chain is read back, what it holds is recorded, and what it does not
   * is tried again (never quarantined for a neighbour's refusal). Any other refusal of the
   * program's (not the RPC's) splits the batch in halves, each tried alone, so one bad receipt
   * cannot hold back the others; only a receipt refused on its own goes to quarantine.
   */
  async function submitReceipts(receipts: StoredReceipt[], operatorOf: (e: Address, s: number) => Address, leases: Map<string, Lease>, lifetime: { blockhash: string; lastValidBlockHeight: bigint }) {
    for (const batch of chain.receiptBatches(receipts, operatorOf)) {
      const refusal = await submit(batch, leases, lifetime);
      if (!refusal || !permanentRefusal(refusal)) continue;
      // What the chain showed settled was recorded (submit reconciled); the rest is still pending as signed.
      const still: StoredReceipt[] = [];
      for (const it of batch.items) {
        const seg = (await store.getExecution(it.execution))?.segments[it.segment]?.receipt;
        if (seg?.pending && seg.sequence === it.sequence && seg.cumulativeUnits === it.cumulativeUnits) still.push(seg);
      }
      if (still.length === 0) continue;
      if (batch.items.length === 1) {
        await refusedAlone(still[0]!, refusal);
        continue;
      }
      // Two halves, or the one receipt left on its own: each is tried (and judged) alone.
      const half = Math.ceil(still.length / 2);
      logger.info({ receipts: still.length, err: refusal.message }, "batch refused: trying what is still pending apart");
      await submitReceipts(still.slice(0, half), operatorOf, leases, lifetime);
      if (still.length > 1) await submitReceipts(still.slice(half), operatorOf, leases, lifetime);
    }
  }

  /**
   * One receipt, refused on its own. "Already done" is judged by the chain: quarantined only when
   * the chain proves the program can never take it (the execution is settled, or its segment
   * holds units or a sequence at or above it); otherwise it stays pending for the next pass.
   */
  async function refusedAlone(r: StoredReceipt, refusal: Error) {
    if (!alreadyDoneRefusal(refusal)) return quarantine(r, refusal);
    const ex = await chain.readExecution(r.execution as Address);
    const seg = ex && r.segment < ex.segmentCount ? ex.segments[r.segment]! : null;
    const standing = receiptOnChain(r, seg);
    if (standing === "settled") return store.recordSettled([{ execution: r.execution, segment: r.segment, cumulativeUnits: r.cumulativeUnits, sequence: r.sequence }]);
    if (standing === "blocked" || ex?.status === EXECUTION_SETTLED) return quarantine(r, refusal);
    logger.info({ execution: r.execution, segment: r.segment, sequence: r.sequence, err: refusal.message }, "receipt refused as already done but the chain holds less: pending again");
  }

  async function quarantine(r: StoredReceipt, refusal: Error) {
    const { name, reason } = refusalReason(refusal);
    const item = { execution: r.execution, segment: r.segment, cumulativeUnits: r.cumulativeUnits, sequence: r.sequence };
    if (!(await store.quarantineReceipt(item, reason))) return;
    logger.warn({ ...item, cumulativeUnits: String(r.cumulativeUnits), reason }, "receipt refused by the program: quarantined");
    o.metrics?.receiptsQuarantined.inc({ reason: name });
    await emit("quarantine", { ...itemJson(item), signer: r.signer, reason });
  }

  async function pass() {
    const startedAt = Date.now();
    phases = {};
    const obs = await timed("observe", observe);
    if (!obs) return;
    const spent = await store.feesSince(utcMidnight());
    health.budgetExhausted = spent >= o.dailyFeeBudgetLamports;
    if (health.budgetExhausted) {
      unhealthy(`daily fee budget spent: ${spent} of ${o.dailyFeeBudgetLamports} lamports`);
      return;
    }
    const claimed = await timed("claim", () => store.claimExecutions(o.holder, o.leaseTtlMs, 256));
    const leases = new Map(claimed.map((l) => [l.key.slice(l.key.indexOf(":") + 1), l]));
    const busy = await timed("inFlight", () => inFlight(obs, new Set(leases.keys())));
    // A long pass keeps its leases: renewed every third of their time, dropped when lost.
    let renewedAt = Date.now();
    const renewIfDue = async () => {
      if (Date.now() - renewedAt < o.leaseTtlMs / 3) return;
      renewedAt = Date.now();
      await renewAll(leases);
    };

    const receipts: StoredReceipt[] = [];
    const operators = new Map<string, Address>();
    // Reads of the store for every leased execution at once; decisions below one by one.
    const idle = [...leases.keys()].filter((a) => !busy.has(a));
    const records = await timed("read", () => Promise.all(idle.map((a) => store.getExecution(a))));
    for (const [i, address] of idle.entries()) {
      await renewIfDue();
      if (!leases.has(address)) continue;
      const rec = records[i];
      if (!rec) continue;
      // A refused segment waits for the router to assign it again; the ones after it wait too.
      const unlanded = rec.segments.filter((s) => s.landedAt === null).sort((a, b) => a.segment - b.segment);
      if (unlanded[0]?.refused) continue;
      if (unlanded.length > 0) {
        const ex = await chain.readExecution(address as Address);
        if (!ex) continue;
        if (unlanded[0].segment < ex.segmentCount) {
          await landSegments(address as Address);
          continue;
        }
        if (ex.status === EXECUTION_SETTLED || unlanded[0].segment !== ex.segmentCount) continue;
        await assign(address as Address, unlanded[0], leases);
        continue;
      }
      const pending = rec.segments.flatMap((s) => (s.receipt?.pending ? [s.receipt] : []));
      if (pending.length > 0) {
        for (const s of rec.segments) operators.set(`${address}/${s.segment}`, s.operator as Address);
        receipts.push(...pending);
        continue;
      }
      if (rec.status === "complete" || rec.status === "finalizing") await finalizeIfSettled(address as Address, EndReason.Completed, leases);
    }
    if (receipts.length > 0) {
      // One blockhash for the pass; a few batches signed and sent at once; the rest next pass,
      // so transactions in flight are looked at again soon.
      const lifetime = await chain.latestBlockhash();
      const operatorOf = (e: Address, s: number) => operators.get(`${e}/${s}`)!;
      const packStart = Date.now();
      // Longest waiting first (executions by their oldest pending receipt, each one's receipts
      // kept together so they share transactions): a pass only takes so many batches.
      const oldest = new Map<string, number>();
      for (const r of receipts) oldest.set(r.execution, Math.min(oldest.get(r.execution) ?? Infinity, r.acceptedAt));
      receipts.sort((a, b) => oldest.get(a.execution)! - oldest.get(b.execution)! || (a.execution < b.execution ? -1 : a.execution > b.execution ? 1 : a.segment - b.segment));
      const batches = chain.receiptBatches(receipts, operatorOf).slice(0, MAX_BATCHES_PER_PASS);
      phases.pack = Date.now() - packStart;
      const byKey = new Map(receipts.map((r) => [`${r.execution}/${r.segment}`, r]));
      await inPool(batches, SUBMIT_CONCURRENCY, async (b) => {
        await renewIfDue();
        await submitReceipts(b.items.map((it) => byKey.get(`${it.execution}/${it.segment}`)!), operatorOf, leases, lifetime);
      });
    }
    if (Date.now() - lastCrankAt >= o.crankIntervalMs) {
      lastCrankAt = Date.now();
      await crank(obs);
    }
    await renewAll(leases);
    logger.debug({ ms: Date.now() - startedAt, leases: leases.size, inFlight: busy.size, receipts: receipts.length, phases }, "pipeline pass");
  }

  /** Renews every lease of the pass in one commit; a lost one is dropped from the map. */
  async function renewAll(leases: Map<string, Lease>) {
    const entries = [...leases];
    const renewed = await store.renewLeases(entries.map(([, l]) => l), o.leaseTtlMs).catch(() => entries.map(() => null));
    entries.forEach(([address], i) => (renewed[i] ? leases.set(address, renewed[i]) : leases.delete(address)));
  }

  /** assign_segment at the router's max price (else the operator's current rate) and budget; a refusal of the program's is recorded on the segment. */
  async function assign(address: Address, seg: SegmentRecord, leases: Map<string, Lease>) {
    let maxPrice = seg.maxPrice;
    if (maxPrice === null) {
      const op = await chain.readOperator(seg.operator as Address);
      maxPrice = op?.rates.slice(0, op.rateCount).find((r) => decodeSku(r.sku) === seg.sku)?.price ?? null;
    }
    const refusal =
      maxPrice === null
        ? new PipelineRefusal("SkuNotOffered", `operator ${seg.operator} has no rate for ${seg.sku}`)
        : await submit(chain.assignBatch(address, seg.segment, seg.operator as Address, seg.sku, maxPrice, seg.budget ?? 0n), leases);
    if (!refusal || !permanentRefusal(refusal)) return;
    const { name, reason } = refusalReason(refusal);
    logger.warn({ execution: address, segment: seg.segment, reason }, "segment refused by the program: waiting for the router");
    await store.refuseSegment(address, seg.segment, reason);
    o.metrics?.segmentsRefused.inc({ reason: name });
    await emit("segment_refused", { execution: address, segment: seg.segment, operator: seg.operator, sku: seg.sku, maxPrice: String(maxPrice), reason });
  }

  async function finalizeIfSettled(address: Address, reason: EndReason, leases: Map<string, Lease>) {
    const ex = await chain.readExecution(address);
    if (!ex) return;
    if (ex.status === EXECUTION_SETTLED) return finalized(address);
    if (!(await receiptsAccountedFor(address, ex))) return;
    await store.setExecutionStatus(address, ["open", "complete", "finalizing"], "finalizing");
    await submit(await chain.finalizeBatch({ ...ex, address }, reason), leases);
  }

  /**
   * Finalizing ends what the execution can be charged, so every kept receipt must be accounted
   * for first: landed (the chain holds it or a newer one) or quarantined. One the store counts as
   * settled but the chain does not hold is pending again from the chain's value, not finalized away.
   */
  async function receiptsAccountedFor(address: Address, ex: NonNullable<Awaited<ReturnType<EscrowChain["readExecution"]>>>): Promise<boolean> {
    const rec = await store.getExecution(address);
    if (!rec) return false;
    const kept = rec.segments.flatMap((s) => (s.receipt ? [s.receipt] : []));
    if (kept.some((r) => r.pending)) return false; // the pass lands those first
    const quarantined = new Set((await store.listQuarantined({ execution: address })).map((q) => `${q.segment}/${q.sequence}`));
    let ok = true;
    for (const r of kept) {
      const seg = r.segment < ex.segmentCount ? ex.segments[r.segment]! : null;
      if (receiptOnChain(r, seg) === "settled" || quarantined.has(`${r.segment}/${r.sequence}`)) continue;
      ok = false;
      logger.error(
        { execution: address, segment: r.segment, sequence: r.sequence, cumulativeUnits: String(r.cumulativeUnits), onChain: seg ? String(seg.settledUnits) : null },
        "receipt counted as settled but not on-chain: pending again, not finalizing",
      );
      await store.requeueReceipt({ execution: r.execution, segment: r.segment, cumulativeUnits: r.cumulativeUnits, sequence: r.sequence }, seg ? { units: seg.settledUnits, sequence: seg.lastSeq } : { units: 0n, sequence: 0 });
    }
    return ok;
  }

  /** Expired executions are finalized (buyers get refunds when nodes vanish); settled ones closed after the review window. */
  async function crank(obs: Observation) {
    const inflight = new Set((await store.listOutbox(["pending", "sent"])).flatMap((r) => r.executions));
    for (const address of await store.listExecutions(["open", "finalized"], 100)) {
      const rec = await store.getExecution(address);
      if (inflight.has(address) || !rec) continue;
      if (rec.status === "open" && rec.segments.some((s) => s.receipt?.pending)) continue; // the pass settles those first
      const ex = await chain.readExecution(address as Address);
      // Act only when there is something to do; the lease is taken just for that.
      const act = !ex
        ? rec.status === "finalized"
        : rec.status === "open"
          ? ex.status === EXECUTION_SETTLED || obs.unixTime >= ex.expiresAt
          : ex.status === EXECUTION_SETTLED && obs.unixTime >= ex.settledAt + ex.reviewWindowSecs;
      if (!act) continue;
      const lease = await store.acquireLease(`execution:${address}`, o.holder, o.leaseTtlMs);
      if (!lease) continue;
      if ((await store.listOutbox(["pending", "sent"])).some((r) => r.executions.includes(address))) continue;
      const leases = new Map([[address, lease]]);
      if (!ex) await store.setExecutionStatus(address, ["finalized"], "closed");
      else if (rec.status === "open" && ex.status === EXECUTION_SETTLED) await finalized(address as Address);
      else if (rec.status === "open") {
        logger.info({ execution: address }, "crank: finalizing an expired execution");
        await finalizeIfSettled(address as Address, EndReason.Expired, leases);
      } else await submit(chain.closeBatch({ ...ex, address: address as Address }), leases);
    }
  }

  const loop = async () => {
    if (!running) return;
    woken = false;
    inPass = pass().catch((e) => {
      if (isArknetError(e) || (e as Error).name === "StoreError") logger.warn({ err: (e as Error).message }, "pipeline pass stopped early");
      else logger.error({ err: e }, "pipeline pass failed");
      unhealthyIfRpc(e);
    });
    await inPass;
    inPass = null;
    if (running) timer = setTimeout(loop, woken ? 0 : o.intervalMs);
  };

  const unhealthyIfRpc = (e: unknown) => {
    const msg = String((e as Error)?.message ?? e);
    if (/fetch failed|ECONNREFUSED|socket|HTTP error/i.test(msg)) unhealthy(`RPC error: ${msg}`);
  };

  return {
    start() {
      if (running) return;
      running = true;
      timer = setTimeout(loop, 0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await inPass;
      confirmations.close();
      await Promise.all([...notifying]);
    },
    pass,
    health: () => ({ ...health }),
  };
}

/** Runs `f` over `items` with at most `width` at once (a pool: one finishing starts the next). */
async function inPool<T>(items: T[], width: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await f(items[next++]!);
    }),
  );
}

function cryptoId(): string {
  return globalThis.crypto.randomUUID();
}
