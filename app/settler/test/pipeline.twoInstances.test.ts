// Two settler processes on one PostgreSQL database, both with the pipeline on, leases deciding
// who submits for which execution; GPU nodes stream receipts to either. Mid-run instance A is
// killed with SIGKILL while it holds leases; B takes A's executions over once those leases
// expire and finishes everything. Nothing is submitted twice: every receipt is charged once
// on-chain (consumed == the last receipts, claimable and refunds exact, vault conserved), no
// receipt appears in two confirmed transactions, no transaction failed as "already settled",
// and there is exactly one confirmed assign per segment and one finalize per execution.
import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { RunningValidator } from "@arknet/localnet/launch";
import { openStore } from "../src/store/index.ts";
import { makeBuyer, makeEscrow, makeOperator, type TestEscrow, type TestOperator } from "./support/escrow.ts";
import { sleep } from "./support/fixtures.ts";
import { freePort } from "./support/ports.ts";
import { postgresSkipped, sharedPostgres } from "./support/postgres.ts";
import { signedReceipt } from "./support/receipts.ts";
import { expectSettledExactly, postUntil, waitFinalized } from "./support/settlement.ts";
import { kill9, startSettlerProcess } from "./support/settlerProcess.ts";
import { startTestValidator } from "./support/validators.ts";

const TOKEN = "two-instance-router-token-01";
const EXECUTIONS = Number(process.env.ARKNET_TWO_EXECUTIONS ?? 6);
const SEGMENTS = 2;
const RECEIPTS = Number(process.env.ARKNET_TWO_RECEIPTS ?? 16);
const LEASE_TTL_MS = 2_000;
const MAX_BURN = 1_000_000n;
const DEPOSIT = 20_000_000n;

describe("two settler instances on PostgreSQL (localnet over RPC): one killed, the other takes over", function () {
  this.timeout(Number(process.env.ARKNET_TWO_TIMEOUT_MS ?? 180_000));
  let v: RunningValidator;
  let t: TestEscrow;
  let dir: string;
  let url: string;
  const children: ChildProcess[] = [];

  before(async function () {
    if (postgresSkipped()) {
      console.log("      skipped: ARKNET_SKIP_POSTGRES=1");
      return this.skip();
    }
    url = await (await sharedPostgres()).createDatabase("settler_two_instances");
    v = await startTestValidator("localnet");
    t = await makeEscrow(v);
    dir = mkdtempSync(join(tmpdir(), "settler-two-"));
    writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
  });
  after(async () => {
    for (const c of children) await kill9(c);
    await v?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("finishes every execution without a double submission", async () => {
    const ops = [await makeOperator(t, 3n), await makeOperator(t, 5n)];
    const opOf = (s: number): TestOperator => ops[s % ops.length]!;
    const { buyer, executions } = await makeBuyer(t, DEPOSIT, Array(EXECUTIONS).fill(MAX_BURN));
    const start = async (name: string) => {
      const port = await freePort();
      const child = await startSettlerProcess({
        db: url,
        port,
        token: TOKEN,
        programId: t.deployment.programAddress,
        rpcUrl: v.rpcUrl,
        config: t.deployment.config,
        routerKeypair: join(dir, "router.json"),
        env: {
          ARKNET_SETTLER_INSTANCE: name,
          ARKNET_SETTLER_LEASE_TTL_MS: String(LEASE_TTL_MS),
          ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100",
          ARKNET_SETTLER_CRANK_INTERVAL_MS: "300",
          ARKNET_SETTLER_REBROADCAST_MS: "400",
        },
      });
      children.push(child);
      return { child, base: `http://127.0.0.1:${port}` };
    };
    // A starts first and takes the leases as the segments and the first receipts come in; B
    // joins once A holds leases and takes new work only when no live lease covers it, i.e.
    // once A is gone. (B joining before any receipt let A's assignment leases lapse during B's
    // start-up, and B could win every execution: then there was no A to take over from.)
    const a = await start("A");
    for (const e of executions) {
      for (let s = 0; s < SEGMENTS; s++) {
        const op = opOf(s);
        await postUntil([a.base], `/v1/executions/${e}/segments`, { segment: s, operator: op.account, operatorKey: op.key.address, sku: "H100" }, TOKEN, (st) => st === 202);
      }
    }
    let alive = [a.base];

    const total = EXECUTIONS * SEGMENTS * RECEIPTS;
    let posted = 0;
    const units = (n: number, s: number) => BigInt(40 * n + 3 * s);
    // Nodes spread their posts over both instances (a dead one is skipped, as a load balancer would).
    const nodes = executions.flatMap((e, i) =>
      Array.from({ length: SEGMENTS }, async (_, s) => {
        const op = opOf(s);
        for (let n = 1; n <= RECEIPTS; n++) {
          const r = signedReceipt({ secret: op.seed, key: op.key.address, account: op.account }, "", e, s, units(n, s), n);
          const bases = () => ((i + s + n) % 2 === 0 ? alive : [...alive].reverse());
          await postUntil(bases, "/v1/receipts", { receipts: [r] }, null, (st, text) => st === 202 || (st === 409 && text.includes("already settled")));
          posted++;
          await sleep(150 + Math.random() * 100);
        }
      }),
    );

    const db = new pg.Client(url);
    await db.connect();
    const leasesOfA = async () => {
      const { rows } = await db.query(`SELECT key FROM leases WHERE holder = 'A' AND expires_at > $1`, [Date.now()]);
      return rows.map((r: { key: string }) => r.key.slice(r.key.indexOf(":") + 1));
    };
    // B joins while A is working and holding leases.
    for (const deadline = Date.now() + 60_000; (await leasesOfA()).length === 0; await sleep(50)) {
      if (Date.now() > deadline) throw new Error(`A never took a lease (posted ${posted} of ${total})`);
    }
    const b = await start("B");
    alive = [a.base, b.base];

    // Mid-run, while A holds leases: kill -9 A.
    let heldByA: string[] = [];
    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        heldByA = await leasesOfA();
        if (posted >= total * 0.3 && heldByA.length > 0) break;
        if (Date.now() > deadline) throw new Error(`A never held a lease mid-run (posted ${posted} of ${total})`);
        await sleep(50);
      }
      alive = [b.base];
      await kill9(a.child);
    } finally {
      await db.end();
    }
    const postedAtKill = posted;
    expect(postedAtKill, "A was killed while receipts still streamed").to.be.below(total);

    await Promise.all(nodes);
    for (const e of executions) await postUntil(() => alive, `/v1/executions/${e}/complete`, {}, TOKEN, (st) => st === 202);

    const store = await openStore(url);
    try {
      await waitFinalized(store, executions, 120_000);
      const confirmed = await store.listOutbox(["confirmed"]);
      const failed = await store.listOutbox(["failed", "expired"]);
      console.log(
        `      (A killed after ${postedAtKill} of ${total} receipts holding ${heldByA.length} execution leases; ` +
          `${confirmed.length} transactions confirmed, ${failed.length} failed or expired)`,
      );
      // No receipt in two confirmed transactions; nothing refused on-chain as already done.
      const settledBy = new Map<string, string>();
      for (const row of confirmed.filter((o) => o.kind === "receipts")) {
        for (const it of row.items) {
          const key = `${it.execution}/${it.segment}/${it.sequence}`;
          expect(settledBy.get(key), `${key} confirmed in two transactions`).to.equal(undefined);
          settledBy.set(key, row.signature);
        }
      }
      expect(failed.filter((o) => /ReceiptNotNewer|ExecutionSettled|InvalidSegmentIndex/.test(o.error ?? "")), "double submissions").to.deep.equal([]);
      expect(confirmed.filter((o) => o.kind === "assign")).to.have.length(EXECUTIONS * SEGMENTS);
      expect(confirmed.filter((o) => o.kind === "finalize")).to.have.length(EXECUTIONS);
      for (const e of heldByA) expect((await store.getExecution(e))!.status, `${e} taken over from A`).to.be.oneOf(["finalized", "closed"]);
    } finally {
      await store.close();
    }
    await expectSettledExactly({ t, executions, segments: SEGMENTS, opOf, lastUnits: (s) => units(RECEIPTS, s), buyer: buyer.address, deposit: DEPOSIT });
  });
});
