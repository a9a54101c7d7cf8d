// The one store test suite. store.sqlite.test.ts and store.postgres.test.ts run it
// against a real SQLite file and a real PostgreSQL server.

import { expect } from "chai";
import { isStoreError, LATEST_VERSION, type SettlerStore, type StoreErrorCode } from "../src/store/index.ts";
import { receipt, segment, sleep } from "./support/fixtures.ts";

export interface StoreHarness {
  /** A new, empty database; each call replaces the previous one. */
  fresh(): Promise<SettlerStore>;
  /** A second client on the same database (a restart, or another instance). */
  reopen(): Promise<SettlerStore>;
  /** Marks the database as written by a newer settler. */
  bumpSchema(version: number): Promise<void>;
}

async function refused(p: Promise<unknown>, code: StoreErrorCode): Promise<{ index: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isStoreError(e, code)) return { index: e.index, message: e.message };
    throw new Error(`expected StoreError ${code}, got ${String(e)}`);
  }
  throw new Error(`expected StoreError ${code}, but it resolved`);
}

export function storeSuite(harness: () => StoreHarness): void {
  let store: SettlerStore;
  const opened: SettlerStore[] = [];
  const reopen = async () => {
    const s = await harness().reopen();
    opened.push(s);
    return s;
  };

  beforeEach(async () => {
    store = await harness().fresh();
    opened.push(store);
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => undefined);
  });

  describe("schema", () => {
    it("migrates to the latest version once, and again is a no-op that keeps data", async () => {
      expect(await store.schemaVersion()).to.equal(LATEST_VERSION);
      await store.assignSegment(segment("E", 0));
      const again = await reopen();
      expect(await again.schemaVersion()).to.equal(LATEST_VERSION);
      expect(await again.getSegment("E", 0)).to.include({ operator: "operator-0", sku: "H100" });
    });

    it("refuses a database written by a newer settler", async () => {
      await harness().bumpSchema(LATEST_VERSION + 1);
      await refused(reopen(), "SchemaTooNew");
    });
  });

  describe("segments and executions", () => {
    it("assigns a segment once; the same again is unchanged, a different one a conflict", async () => {
      expect(await store.assignSegment(segment("E", 0))).to.equal("created");
      expect(await store.assignSegment(segment("E", 0))).to.equal("unchanged");
      await refused(store.assignSegment({ ...segment("E", 0), operator: "someone-else" }), "SegmentConflict");
      const ex = await store.getExecution("E");
      expect(ex?.status).to.equal("open");
      expect(ex?.segments.map((s) => s.operator)).to.deep.equal(["operator-0"]);
    });

    it("completes an execution idempotently and walks its lifecycle with typed refusals", async () => {
      await refused(store.markExecutionComplete("nope"), "UnknownExecution");
      await store.assignSegment(segment("E", 0));
      expect(await store.markExecutionComplete("E")).to.equal("completed");
      expect(await store.markExecutionComplete("E")).to.equal("unchanged");
      const ex = await store.getExecution("E");
      expect(ex?.status).to.equal("complete");
      expect(ex?.completedAt).to.be.a("number");
      await refused(store.assignSegment(segment("E", 1)), "ExecutionClosed");
      await refused(store.setExecutionStatus("E", ["finalized"], "closed"), "InvalidTransition");
      await store.setExecutionStatus("E", ["complete"], "finalizing");
      expect((await store.getExecution("E"))?.status).to.equal("finalizing");
    });

    it("records when a segment's assignment landed", async () => {
      await store.assignSegment(segment("E", 0));
      await store.markSegmentLanded("E", 0, 1234);
      expect((await store.getSegment("E", 0))?.landedAt).to.equal(1234);
      await refused(store.markSegmentLanded("E", 9, 1), "UnknownSegment");
    });
  });

  describe("receipts", () => {
    beforeEach(async () => {
      await store.assignSegment(segment("E", 0));
      await store.assignSegment(segment("E", 1));
    });

    it("accepts the first receipt and keeps it across a restart", async () => {
      const r = receipt("E", 0, 100n, 1);
      expect(await store.acceptReceipts([r])).to.deep.equal([{ execution: "E", segment: 0, sequence: 1, status: "accepted" }]);
      const again = await reopen();
      const kept = (await again.getExecution("E"))!.segments[0]!.receipt!;
      expect(kept.cumulativeUnits).to.equal(100n);
      expect(kept.sequence).to.equal(1);
      expect(Buffer.from(kept.signature).equals(Buffer.from(r.signature))).to.equal(true);
      expect(Buffer.from(kept.message).equals(Buffer.from(r.message))).to.equal(true);
      expect(kept.pending).to.equal(true);
    });

    it("accepts the same receipt again as a duplicate, changing nothing", async () => {
      await store.acceptReceipts([receipt("E", 0, 100n, 1)]);
      const before = (await store.getExecution("E"))!.segments[0]!.receipt!;
      const [res] = await store.acceptReceipts([receipt("E", 0, 100n, 1)]);
      expect(res!.status).to.equal("duplicate");
      const after = (await store.getExecution("E"))!.segments[0]!.receipt!;
      expect(after.acceptedAt).to.equal(before.acceptedAt);
    });

    it("keeps only the newest cumulative receipt per segment", async () => {
      await store.acceptReceipts([receipt("E", 0, 100n, 1)]);
      await store.acceptReceipts([receipt("E", 0, 250n, 2), receipt("E", 1, 7n, 1)]);
      await store.acceptReceipts([receipt("E", 0, 300n, 5)]);
      const segs = (await store.getExecution("E"))!.segments;
      expect(segs.map((s) => [s.receipt?.cumulativeUnits, s.receipt?.sequence])).to.deep.equal([
        [300n, 5],
        [7n, 1],
      ]);
      expect((await store.pendingReceipts()).length).to.equal(2);
    });

    it("refuses a decreasing receipt with ReceiptNotNewer and keeps the newer one", async () => {
      await store.acceptReceipts([receipt("E", 0, 300n, 3)]);
      const e = await refused(store.acceptReceipts([receipt("E", 0, 200n, 2)]), "ReceiptNotNewer");
      expect(e.message).to.match(/units 200.*units 300/);
      await refused(store.acceptReceipts([receipt("E", 0, 300n, 2)]), "ReceiptNotNewer");
      const kept = (await store.getExecution("E"))!.segments[0]!.receipt!;
      expect([kept.cumulativeUnits, kept.sequence]).to.deep.equal([300n, 3]);
    });

    it("refuses receipts whose units and sequence disagree, or a different receipt at the same point", async () => {
      await store.acceptReceipts([receipt("E", 0, 300n, 3)]);
      await refused(store.acceptReceipts([receipt("E", 0, 400n, 2)]), "ReceiptConflict");
      await refused(store.acceptReceipts([receipt("E", 0, 200n, 9)]), "ReceiptConflict");
      await refused(store.acceptReceipts([receipt("E", 0, 300n, 3, "forged")]), "ReceiptConflict");
    });

    it("stores a batch atomically: one refusal stores none and names its index", async () => {
      await store.acceptReceipts([receipt("E", 0, 300n, 3)]);
      const e = await refused(store.acceptReceipts([receipt("E", 1, 50n, 1), receipt("E", 0, 10n, 1)]), "ReceiptNotNewer");
      expect(e.index).to.equal(1);
      expect((await store.getExecution("E"))!.segments[1]!.receipt).to.equal(null);
      const u = await refused(store.acceptReceipts([receipt("E", 1, 50n, 1), receipt("E", 7, 1n, 1)]), "UnknownSegment");
      expect(u.index).to.equal(1);
      expect((await store.getExecution("E"))!.segments[1]!.receipt).to.equal(null);
    });

    it("concurrent batches commit independently: a refused one leaves nothing, its neighbours are kept", async () => {
      await store.assignSegment(segment("E", 2));
      await store.acceptReceipts([receipt("E", 0, 300n, 3)]);
      const [a, bad, b] = await Promise.allSettled([
        store.acceptReceipts([receipt("E", 1, 10n, 1)]),
        store.acceptReceipts([receipt("E", 2, 10n, 1), receipt("E", 0, 5n, 1)]),
        store.acceptReceipts([receipt("E", 0, 400n, 4)]),
      ]);
      expect(a.status).to.equal("fulfilled");
      expect(b.status).to.equal("fulfilled");
      expect(bad.status).to.equal("rejected");
      expect(isStoreError((bad as PromiseRejectedResult).reason, "ReceiptNotNewer")).to.equal(true);
      const segs = (await (await reopen()).getExecution("E"))!.segments;
      expect(segs.map((s) => s.receipt?.cumulativeUnits ?? null)).to.deep.equal([400n, 10n, null]);
    });

    it("refuses receipts for unknown executions and after finalizing starts", async () => {
      await refused(store.acceptReceipts([receipt("X", 0, 1n, 1)]), "UnknownExecution");
      await store.markExecutionComplete("E");
      expect((await store.acceptReceipts([receipt("E", 0, 5n, 1)]))[0]!.status).to.equal("accepted");
      await store.setExecutionStatus("E", ["complete"], "finalizing");
      await refused(store.acceptReceipts([receipt("E", 0, 6n, 2)]), "ExecutionClosed");
    });

    it("holds a u64 of units exactly", async () => {
      const max = 2n ** 64n - 1n;
      await store.acceptReceipts([receipt("E", 0, max - 1n, 1)]);
      await store.acceptReceipts([receipt("E", 0, max, 2)]);
      expect((await store.getExecution("E"))!.segments[0]!.receipt!.cumulativeUnits).to.equal(max);
    });

    it("under concurrent submissions keeps the highest receipt and loses none of the answers", async () => {
      const all = Array.from({ length: 20 }, (_, i) => store.acceptReceipts([receipt("E", 0, BigInt(10 * (i + 1)), i + 1)]).then(
        () => "ok",
        (e) => (isStoreError(e, "ReceiptNotNewer") ? "stale" : Promise.reject(e)),
      ));
      const outcomes = await Promise.all(all);
      expect(outcomes.filter((o) => o === "ok").length).to.be.greaterThan(0);
      const kept = (await store.getExecution("E"))!.segments[0]!.receipt!;
      expect([kept.cumulativeUnits, kept.sequence]).to.deep.equal([200n, 20]);
    });
  });

  describe("outbox", () => {
    const tx = (sig: string, items: Array<[number, bigint, number]>) => ({
      signature: sig,
      kind: "receipts" as const,
      wire: new Uint8Array([1, 2, 3, 250]),
      blockhash: "hash-1",
      lastValidBlockHeight: 2n ** 40n + 7n,
      executions: ["E"],
      items: items.map(([seg, units, sequence]) => ({ execution: "E", segment: seg, cumulativeUnits: units, sequence })),
    });

    beforeEach(async () => {
      await store.assignSegment(segment("E", 0));
      await store.acceptReceipts([receipt("E", 0, 100n, 1)]);
    });

    it("refuses to record a send of a transaction that was never written", async () => {
      await refused(store.markOutboxSent("never-written"), "OutboxMissing");
    });

    it("persists the signed bytes, blockhash and last valid height before sends, and counts sends", async () => {
      await store.putOutbox(tx("sig-1", [[0, 100n, 1]]));
      await refused(store.putOutbox(tx("sig-1", [[0, 100n, 1]])), "OutboxExists");
      const again = await reopen();
      const row = await again.getOutbox("sig-1");
      expect(row).to.include({ status: "pending", blockhash: "hash-1", sendCount: 0 });
      expect(row!.lastValidBlockHeight).to.equal(2n ** 40n + 7n);
      expect([...row!.wire]).to.deep.equal([1, 2, 3, 250]);
      expect(row!.items).to.deep.equal([{ execution: "E", segment: 0, cumulativeUnits: 100n, sequence: 1 }]);
      await again.markOutboxSent("sig-1");
      await again.markOutboxSent("sig-1");
      const sent = await store.getOutbox("sig-1");
      expect(sent).to.include({ status: "sent", sendCount: 2 });
      expect((await store.listOutbox(["sent"])).map((o) => o.signature)).to.deep.equal(["sig-1"]);
      expect((await store.stats()).outboxInFlight).to.equal(1);
    });

    it("on confirmation marks the receipts settled in the same commit; a newer receipt is pending again", async () => {
      await store.putOutbox(tx("sig-1", [[0, 100n, 1]]));
      await store.markOutboxSent("sig-1");
      await store.markOutboxConfirmed("sig-1", { slot: 77n, feeLamports: 5000n });
      const row = await store.getOutbox("sig-1");
      expect(row).to.include({ status: "confirmed" });
      expect(row!.feeLamports).to.equal(5000n);
      expect(await store.pendingReceipts()).to.deep.equal([]);
      expect((await store.stats()).pendingReceipts).to.equal(0);
      await store.acceptReceipts([receipt("E", 0, 180n, 2)]);
      const [p] = await store.pendingReceipts({ execution: "E" });
      expect([p!.cumulativeUnits, p!.settledUnits, p!.settledSequence]).to.deep.equal([180n, 100n, 1]);
      await store.markOutboxConfirmed("sig-1", { slot: 77n, feeLamports: 5000n }); // idempotent
    });

    it("adds up the fees of transactions confirmed since a time, for the daily budget", async () => {
      expect(await store.feesSince(0)).to.equal(0n);
      await store.putOutbox(tx("a", [[0, 100n, 1]]));
      await store.putOutbox(tx("b", [[0, 100n, 1]]));
      await store.putOutbox(tx("c", [[0, 100n, 1]]));
      await store.markOutboxConfirmed("a", { slot: 1n, feeLamports: 5000n });
      await store.markOutboxConfirmed("b", { slot: 2n, feeLamports: 2n ** 40n });
      await store.markOutboxFinal("c", "expired", "expired");
      expect(await store.feesSince(0)).to.equal(5000n + 2n ** 40n);
      expect(await store.feesSince(Date.now() + 60_000)).to.equal(0n);
      expect((await store.getOutbox("a"))!.confirmedAt).to.be.a("number");
    });

    it("a late confirmation of an older transaction never moves settlement backwards", async () => {
      await store.acceptReceipts([receipt("E", 0, 200n, 2)]);
      await store.putOutbox(tx("old", [[0, 100n, 1]]));
      await store.putOutbox(tx("new", [[0, 200n, 2]]));
      await store.markOutboxConfirmed("new", { slot: 10n, feeLamports: 5000n });
      await store.markOutboxConfirmed("old", { slot: 11n, feeLamports: 5000n });
      const kept = (await store.getExecution("E"))!.segments[0]!.receipt!;
      expect([kept.settledUnits, kept.settledSequence, kept.pending]).to.deep.equal([200n, 2, false]);
    });

    it("an expired transaction is final and is not sent again", async () => {
      await store.putOutbox(tx("sig-1", [[0, 100n, 1]]));
      await store.markOutboxSent("sig-1");
      await store.markOutboxFinal("sig-1", "expired", "blockhash expired at height 123");
      await refused(store.markOutboxSent("sig-1"), "InvalidTransition");
      await refused(store.markOutboxFinal("sig-1", "failed", "x"), "InvalidTransition");
      expect((await store.getOutbox("sig-1"))!.error).to.equal("blockhash expired at height 123");
      expect((await store.pendingReceipts()).length).to.equal(1);
    });
  });

  describe("leases", () => {
    it("gives a lease to one holder at a time; release hands it over with a new token", async () => {
      const a = await store.acquireLease("execution:E", "A", 10_000);
      expect(a).to.include({ holder: "A", token: 1 });
      expect(await store.acquireLease("execution:E", "B", 10_000)).to.equal(null);
      const renewed = await store.renewLease(a!, 10_000);
      expect(renewed?.token).to.equal(1);
      expect(renewed!.expiresAt).to.be.at.least(a!.expiresAt);
      await store.releaseLease(a!);
      const b = await store.acquireLease("execution:E", "B", 10_000);
      expect(b).to.include({ holder: "B", token: 2 });
      expect(await store.renewLease(a!, 10_000)).to.equal(null);
    });

    it("an expired lease goes to the next taker, and the old holder's fence no longer writes", async () => {
      await store.assignSegment(segment("E", 0));
      await store.acceptReceipts([receipt("E", 0, 100n, 1)]);
      const a = (await store.acquireLease("execution:E", "A", 150))!;
      await sleep(250);
      const b = await store.acquireLease("execution:E", "B", 10_000);
      expect(b).to.include({ holder: "B", token: 2 });
      expect(await store.renewLease(a, 10_000)).to.equal(null);
      const t = {
        signature: "s",
        kind: "receipts" as const,
        wire: new Uint8Array([1]),
        blockhash: "h",
        lastValidBlockHeight: 1n,
        executions: ["E"],
        items: [],
      };
      await refused(store.putOutbox(t, a), "LeaseLost");
      expect(await store.getOutbox("s")).to.equal(null);
      await store.putOutbox(t, b!);
      expect(await store.getOutbox("s")).to.not.equal(null);
    });

    it("claims executions with work that no one else holds", async () => {
      for (const e of ["E1", "E2", "E3"]) await store.assignSegment(segment(e, 0));
      await store.acceptReceipts([receipt("E1", 0, 1n, 1), receipt("E2", 0, 1n, 1)]);
      await store.markExecutionComplete("E3");
      await store.assignSegment(segment("idle", 0));
      await store.markSegmentLanded("idle", 0, Date.now()); // an unlanded segment is work (assign_segment)
      const a = await store.claimExecutions("A", 10_000, 10);
      expect(a.map((l) => l.key).sort()).to.deep.equal(["execution:E1", "execution:E2", "execution:E3"]);
      expect(await store.claimExecutions("B", 10_000, 10)).to.deep.equal([]);
      const again = await store.claimExecutions("A", 10_000, 10);
      expect(again.map((l) => l.token)).to.deep.equal([1, 1, 1]);
    });
  });

  describe("webhooks", () => {
    it("stores one delivery per matching subscription, once per event", async () => {
      const all = await store.addSubscription({ url: "http://127.0.0.1:1/a", secret: "s1", events: [] });
      const bills = await store.addSubscription({ url: "http://127.0.0.1:1/b", secret: "s2", events: ["bill"] });
      expect((await store.listSubscriptions()).map((s) => s.id)).to.have.members([all.id, bills.id]);
      const ev = { id: "ev-1", type: "settlement", payload: { amount: "5" }, createdAt: 1 };
      expect(await store.enqueueEvent(ev)).to.equal(1);
      expect(await store.enqueueEvent(ev)).to.equal(0);
      expect(await store.enqueueEvent({ id: "ev-2", type: "bill", payload: { total: "9" }, createdAt: 2 })).to.equal(2);
      const ds = await store.listDeliveries();
      expect(ds.map((d) => `${d.event.id} ${d.url}`).sort()).to.deep.equal([`ev-1 ${all.url}`, `ev-2 ${all.url}`, `ev-2 ${bills.url}`]);
      expect(ds[0]!.event.payload).to.deep.equal({ amount: "5" });
    });

    it("claims due deliveries once, retries failures at the given time, and ends in delivered or dead", async () => {
      await store.addSubscription({ url: "http://127.0.0.1:1/a", secret: "s", events: [] });
      await store.enqueueEvent({ id: "ev-1", type: "refund", payload: {}, createdAt: 1 });
      const [d] = await store.claimDueDeliveries(10, 60_000);
      expect(d?.attempts).to.equal(0);
      expect(await store.claimDueDeliveries(10, 60_000)).to.deep.equal([]);
      await store.recordDeliveryFailure(d!.id, "HTTP 500", Date.now() - 1);
      const [retry] = await store.claimDueDeliveries(10, 60_000);
      expect(retry).to.include({ id: d!.id, attempts: 1, lastError: "HTTP 500" });
      await store.recordDeliverySuccess(retry!.id);
      const [done] = await store.listDeliveries({ eventId: "ev-1" });
      expect(done).to.include({ status: "delivered", attempts: 2 });
      expect(done!.deliveredAt).to.be.a("number");

      await store.enqueueEvent({ id: "ev-2", type: "refund", payload: {}, createdAt: 2 });
      const [d2] = await store.claimDueDeliveries(10, 60_000);
      await store.recordDeliveryFailure(d2!.id, "timeout", null);
      expect((await store.listDeliveries({ status: "dead" })).map((x) => x.event.id)).to.deep.equal(["ev-2"]);
      expect((await store.stats()).webhookDeliveriesPending).to.equal(0);
    });

    it("removing a subscription stops its pending deliveries", async () => {
      const s = await store.addSubscription({ url: "http://127.0.0.1:1/a", secret: "s", events: [] });
      await store.enqueueEvent({ id: "ev-1", type: "bill", payload: {}, createdAt: 1 });
      expect(await store.removeSubscription(s.id)).to.equal(true);
      expect(await store.removeSubscription(s.id)).to.equal(false);
      expect(await store.listSubscriptions()).to.deep.equal([]);
      expect(await store.claimDueDeliveries(10, 1000)).to.deep.equal([]);
    });
  });

  describe("router's terms, refused segments, quarantine", () => {
    it("keeps the router's max price and budget; a refused segment takes new terms, a landed or live one does not", async () => {
      await store.assignSegment({ ...segment("E", 0), maxPrice: 7n, budget: 1000n });
      expect(await store.getSegment("E", 0)).to.include({ maxPrice: 7n, budget: 1000n, refused: null });
      expect(await store.assignSegment({ ...segment("E", 0), maxPrice: 7n, budget: 1000n })).to.equal("unchanged");
      await refused(store.assignSegment({ ...segment("E", 0), maxPrice: 9n, budget: 1000n }), "SegmentConflict");
      await store.refuseSegment("E", 0, "RateAboveMaxPrice: rate 8 above 7");
      expect((await store.getSegment("E", 0))!.refused).to.equal("RateAboveMaxPrice: rate 8 above 7");
      expect(await store.assignSegment({ ...segment("E", 0), maxPrice: 9n })).to.equal("updated");
      expect(await store.getSegment("E", 0)).to.include({ maxPrice: 9n, budget: null, refused: null });
      await store.markSegmentLanded("E", 0, 1);
      await store.refuseSegment("E", 0, "late"); // a landed segment is never marked refused
      expect((await store.getSegment("E", 0))!.refused).to.equal(null);
      await refused(store.refuseSegment("E", 5, "x"), "UnknownSegment");
    });

    it("quarantines exactly the kept receipt with its reason: no longer pending, listed, and a newer one is taken again", async () => {
      await store.assignSegment(segment("E", 0));
      await store.acceptReceipts([receipt("E", 0, 10n, 1), receipt("E", 0, 20n, 2)]);
      const item = { execution: "E", segment: 0, cumulativeUnits: 20n, sequence: 2 };
      expect(await store.quarantineReceipt({ ...item, sequence: 1, cumulativeUnits: 10n }, "stale")).to.equal(false);
      expect(await store.quarantineReceipt(item, "ReceiptSignerMismatch: not the operator's key")).to.equal(true);
      expect(await store.quarantineReceipt(item, "again")).to.equal(false); // no longer pending
      expect(await store.pendingReceipts()).to.deep.equal([]);
      const [q] = await store.listQuarantined({ execution: "E" });
      expect(q).to.include({ execution: "E", segment: 0, sequence: 2, cumulativeUnits: 20n, reason: "ReceiptSignerMismatch: not the operator's key" });
      expect(q!.message).to.deep.equal(receipt("E", 0, 20n, 2).message);
      expect((await store.stats()).quarantinedReceipts).to.equal(1);
      await store.acceptReceipts([receipt("E", 0, 30n, 3)]);
      expect((await store.pendingReceipts()).map((r) => r.sequence)).to.deep.equal([3]);
      expect(await store.listQuarantined()).to.have.length(1);
    });
  });

  describe("requeue against the chain", () => {
    it("puts a receipt counted settled back to pending from the chain's value, only when the chain holds less", async () => {
      await store.assignSegment(segment("E", 0));
      await store.acceptReceipts([receipt("E", 0, 20n, 2)]);
      const item = { execution: "E", segment: 0, cumulativeUnits: 20n, sequence: 2 };
      await store.recordSettled([item]);
      expect(await store.pendingReceipts()).to.deep.equal([]);
      expect(await store.requeueReceipt(item, { units: 20n, sequence: 2 })).to.equal(false); // the chain holds it
      expect(await store.requeueReceipt({ ...item, sequence: 1, cumulativeUnits: 10n }, { units: 0n, sequence: 0 })).to.equal(false); // not the kept one
      expect(await store.requeueReceipt(item, { units: 10n, sequence: 1 })).to.equal(true);
      const [r] = await store.pendingReceipts();
      expect(r).to.include({ sequence: 2, cumulativeUnits: 20n, settledUnits: 10n, settledSequence: 1, pending: true });
    });
  });

  describe("stats", () => {
    it("counts pending receipts and the oldest acceptance", async () => {
      expect(await store.stats()).to.deep.equal({ pendingReceipts: 0, oldestPendingAcceptedAt: null, outboxInFlight: 0, webhookDeliveriesPending: 0, quarantinedReceipts: 0 });
      await store.assignSegment(segment("E", 0));
      const before = Date.now();
      await store.acceptReceipts([receipt("E", 0, 1n, 1)]);
      const s = await store.stats();
      expect(s.pendingReceipts).to.equal(1);
      expect(s.oldestPendingAcceptedAt).to.be.within(before - 1000, Date.now());
    });
  });
}
