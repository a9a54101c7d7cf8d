// Two settler instances on one database: two store clients with their own connections, as
// two processes would have. One dies (stops renewing), the other takes over after expiry,
// and no execution is ever held, or written for, by both.

import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStoreError, openStore, type Lease, type SettlerStore } from "../src/store/index.ts";
import { receipt, segment, sleep } from "./support/fixtures.ts";
import { postgresSkipped, sharedPostgres } from "./support/postgres.ts";

const outboxFor = (execution: string, holder: string, n: number) => ({
  signature: `${holder}-${execution}-${n}`,
  kind: "receipts" as const,
  wire: new Uint8Array([n]),
  blockhash: "h",
  lastValidBlockHeight: 100n,
  executions: [execution],
  items: [{ execution, segment: 0, cumulativeUnits: 1n, sequence: 1 }],
});

function twoInstances(name: string, database: () => Promise<string>) {
  describe(`leases: two instances on ${name}`, () => {
    let a: SettlerStore;
    let b: SettlerStore;
    let url: string;
    beforeEach(async function () {
      this.timeout(60_000);
      url = await database();
      a = await openStore(url);
      b = await openStore(url);
    });
    afterEach(async () => {
      await a.close().catch(() => undefined);
      await b.close().catch(() => undefined);
    });

    it("racing for one lease, exactly one instance wins each round", async () => {
      for (let round = 0; round < 30; round++) {
        const [la, lb] = await Promise.all([a.acquireLease("execution:R", "A", 10_000), b.acquireLease("execution:R", "B", 10_000)]);
        const winners = [la, lb].filter((l): l is Lease => l !== null);
        expect(winners.length, `round ${round}`).to.equal(1);
        expect(winners[0]!.token).to.equal(round + 1);
        await (la ? a : b).releaseLease(winners[0]!);
      }
    });

    it("claiming at the same moment splits the executions: none claimed twice, none left out", async () => {
      const names = Array.from({ length: 12 }, (_, i) => `C${i}`);
      for (const e of names) await a.assignSegment(segment(e, 0));
      await a.acceptReceipts(names.map((e) => receipt(e, 0, 1n, 1)));
      const [la, lb] = await Promise.all([a.claimExecutions("A", 10_000, 7), b.claimExecutions("B", 10_000, 7)]);
      const ka = la.map((l) => l.key);
      const kb = lb.map((l) => l.key);
      expect(ka.filter((k) => kb.includes(k))).to.deep.equal([]);
      const more = await b.claimExecutions("B", 10_000, 20);
      const all = new Set([...ka, ...kb, ...more.map((l) => l.key)]);
      expect([...all].sort()).to.deep.equal(names.map((e) => `execution:${e}`).sort());
      expect(ka.length + kb.length + more.filter((l) => !kb.includes(l.key)).length).to.equal(12);
    });

    it("both instances accepting receipts at once: the newest survives, crossed batches never deadlock", async () => {
      for (const e of ["X", "Y"]) for (const s of [0, 1]) await a.assignSegment(segment(e, s));
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const by = i % 2 === 0 ? a : b;
          const n = i + 1;
          // Even rounds name X before Y, odd rounds Y before X.
          const batch = i % 2 === 0 ? [receipt("X", 0, BigInt(n), n), receipt("Y", 1, BigInt(n), n)] : [receipt("Y", 1, BigInt(n), n), receipt("X", 0, BigInt(n), n)];
          return by.acceptReceipts(batch).then(
            () => "ok",
            (e) => (isStoreError(e, "ReceiptNotNewer") ? "stale" : `unexpected: ${String(e)}`),
          );
        }),
      );
      expect(outcomes.filter((o) => o !== "ok" && o !== "stale")).to.deep.equal([]);
      for (const [e, s] of [["X", 0], ["Y", 1]] as const) {
        const kept = (await b.getExecution(e))!.segments[s]!.receipt!;
        expect([kept.cumulativeUnits, kept.sequence], e).to.deep.equal([40n, 40]);
      }
    });

    it("when one instance dies the other takes over its executions after the lease expires, without a double submission", async () => {
      const names = ["D0", "D1", "D2", "D3", "D4", "D5"];
      for (const e of names) await a.assignSegment(segment(e, 0));
      await a.acceptReceipts(names.map((e) => receipt(e, 0, 1n, 1)));
      const ttl = 1500;
      const heldByA = await a.claimExecutions("A", ttl, 3);
      const heldByB = await b.claimExecutions("B", 10_000, 10);
      expect(heldByA.length).to.equal(3);
      expect(heldByB.map((l) => l.key).filter((k) => heldByA.some((l) => l.key === k))).to.deep.equal([]);
      // A submits for its executions, then dies without releasing anything.
      const submittedByA = heldByA[0]!.key.slice("execution:".length);
      await a.putOutbox(outboxFor(submittedByA, "A", 1), heldByA[0]);
      const diedAt = Date.now();
      await a.close();

      // B keeps claiming; it gets A's executions only once A's leases have expired.
      const taken = new Map<string, Lease>();
      while (taken.size < heldByA.length) {
        for (const l of await b.claimExecutions("B", 10_000, 10)) {
          if (heldByA.some((x) => x.key === l.key)) {
            const aExpiry = heldByA.find((x) => x.key === l.key)!.expiresAt;
            expect(Date.now(), `${l.key} taken before A's lease expired`).to.be.at.least(aExpiry - 5);
            taken.set(l.key, l);
          }
        }
        expect(Date.now() - diedAt, "takeover within 5 s").to.be.below(5_000);
        await sleep(50);
      }
      for (const l of taken.values()) expect(l.token).to.equal(2);

      // A comes back as a zombie with its old fence: it can no longer write for those executions.
      const zombie = await openStore(url);
      try {
        for (const l of heldByA) {
          const e = l.key.slice("execution:".length);
          try {
            await zombie.putOutbox(outboxFor(e, "A", 2), l);
            expect.fail(`zombie A wrote for ${e}`);
          } catch (err) {
            expect(isStoreError(err, "LeaseLost"), String(err)).to.equal(true);
          }
        }
      } finally {
        await zombie.close();
      }
      // B submits once for each execution A had not submitted for; A's earlier one stays the only one for its execution.
      for (const l of taken.values()) {
        const e = l.key.slice("execution:".length);
        if (e !== submittedByA) await b.putOutbox(outboxFor(e, "B", 1), l);
      }
      const rows = await b.listOutbox(["pending", "sent"]);
      const perExecution = new Map<string, number>();
      for (const r of rows) for (const e of r.executions) perExecution.set(e, (perExecution.get(e) ?? 0) + 1);
      for (const l of heldByA) expect(perExecution.get(l.key.slice("execution:".length)), l.key).to.equal(1);
    });
  });
}

if (postgresSkipped()) {
  describe("leases: two instances on PostgreSQL", () => {
    it("skipped: ARKNET_SKIP_POSTGRES=1");
  });
} else {
  let n = 0;
  twoInstances("PostgreSQL", async () => (await sharedPostgres()).createDatabase(`leases_${process.pid}_${n++}`));
}

describe("", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "arknet-settler-leases-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  twoInstances("one SQLite file", async () => join(dir, `leases-${n++}.sqlite`));
});
