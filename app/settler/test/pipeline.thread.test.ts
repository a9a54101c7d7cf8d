// Role all with --pipeline-thread (localnet over RPC, SQLite file): intake on the main thread, the
// submission pipeline and webhooks in a worker thread of the same process, each with its own
// store connection. The settler is launched as `npm start` launches it (node --import tsx
// src/main.ts), so the worker's TypeScript entry loads the way it will in production. Nodes
// post to the process's one API; every execution finalizes with exactly the last receipts on
// chain, /metrics carries the worker's counters (once), and /healthz its health. A worker that
// dies turns /healthz unhealthy with the reason. The thread also runs on PostgreSQL (its own pool).
import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningValidator } from "@arknet/localnet/launch";
import type { Settler } from "../src/settler.ts";
import { openStore } from "../src/store/index.ts";
import { makeBuyer, makeEscrow, makeOperator, type TestEscrow } from "./support/escrow.ts";
import { sleep } from "./support/fixtures.ts";
import { startInProcessSettler } from "./support/inProcess.ts";
import { freePort } from "./support/ports.ts";
import { postgresSkipped, sharedPostgres } from "./support/postgres.ts";
import { assignSegments, expectSettledExactly, postReceiptsAndComplete, waitFinalized } from "./support/settlement.ts";
import { kill9, startSettlerProcess } from "./support/settlerProcess.ts";
import { startTestValidator } from "./support/validators.ts";

const TOKEN = "pipeline-thread-router-token-1";
const EXECUTIONS = 2;
const SEGMENTS = 2;
const RECEIPTS = 5;
const DEPOSIT = 10_000_000n;
const TIMINGS = { ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100", ARKNET_SETTLER_CRANK_INTERVAL_MS: "300" };

/** A sample's value in Prometheus text (no labels); every line that names it, so a double count shows. */
const samples = (text: string, name: string) => [...text.matchAll(new RegExp(`^${name} (\\S+)$`, "gm"))].map((m) => Number(m[1]));

async function healthz(url: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
}

describe("settler role all with --pipeline-thread (localnet over RPC; SQLite file, and PostgreSQL)", function () {
  this.timeout(120_000);
  let v: RunningValidator;
  let t: TestEscrow;
  let dir: string;
  let child: ChildProcess | null = null;
  let settler: Settler | null = null;

  before(async () => {
    v = await startTestValidator("localnet");
    t = await makeEscrow(v);
    dir = mkdtempSync(join(tmpdir(), "settler-thread-"));
    writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
  });
  after(async () => {
    if (child) await kill9(child);
    await settler?.stop();
    await v?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("settles receipts posted to the main thread's API from the pipeline thread; /metrics and /healthz cover the thread; SIGTERM stops it cleanly", async () => {
    const ops = [await makeOperator(t, 3n), await makeOperator(t, 5n)];
    const opOf = (s: number) => ops[s % ops.length]!;
    const { buyer, executions } = await makeBuyer(t, DEPOSIT, Array(EXECUTIONS).fill(1_000_000n));
    const db = join(dir, "process.sqlite");
    const port = await freePort();
    const env = { ...TIMINGS, ARKNET_SETTLER_PIPELINE_THREAD: "1" };
    child = await startSettlerProcess({ db, port, token: TOKEN, programId: t.deployment.programAddress, rpcUrl: v.rpcUrl, config: t.deployment.config, routerKeypair: join(dir, "router.json"), env });
    const api = `http://127.0.0.1:${port}`;
    const units = (n: number, s: number) => BigInt(40 * n + 3 * s);
    const run = { executions, segments: SEGMENTS, receipts: RECEIPTS, opOf, units, token: TOKEN };
    await assignSegments([api], run);
    await postReceiptsAndComplete([api], run);

    const store = await openStore(db);
    let landedReceipts: number;
    try {
      await waitFinalized(store, executions, 60_000);
      landedReceipts = (await store.listOutbox(["confirmed"])).filter((o) => o.kind === "receipts").reduce((a, o) => a + o.items.length, 0);
    } finally {
      await store.close();
    }
    await expectSettledExactly({ t, executions, segments: SEGMENTS, opOf, lastUnits: (s) => units(RECEIPTS, s), buyer: buyer.address, deposit: DEPOSIT });

    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(samples(metrics, "arknet_settler_receipts_accepted_total"), "accepted, counted by the main thread").to.deep.equal([EXECUTIONS * SEGMENTS * RECEIPTS]);
    const [confirmed] = samples(metrics, "arknet_settler_tx_confirmed_total");
    expect(confirmed, "transactions confirmed, counted by the pipeline thread").to.be.greaterThan(0);
    expect(landedReceipts).to.be.greaterThan(0);
    expect(samples(metrics, "arknet_settler_receipts_settled_total"), "receipts settled = receipts in confirmed transactions").to.deep.equal([landedReceipts]);
    expect(samples(metrics, "arknet_settler_sol_spent_lamports_total")[0]).to.be.greaterThan(0);
    expect(samples(metrics, "arknet_settler_queue_depth"), "store gauges once, from the main thread").to.deep.equal([0]);
    expect(samples(metrics, "arknet_settler_process_start_time_seconds"), "process metrics kept").to.have.length(1);
    const health = await healthz(api);
    expect(health.status, JSON.stringify(health.body)).to.equal(200);
    expect(health.body.checks.rpc).to.equal("ok");

    const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited, "graceful exit after the pipeline thread stopped").to.equal(0);
    child = null;
  });

  it("on PostgreSQL: the thread's own pool settles what the main thread's pool took in", async function () {
    if (postgresSkipped()) {
      console.log("      skipped: ARKNET_SKIP_POSTGRES=1");
      return this.skip();
    }
    const url = await (await sharedPostgres()).createDatabase("settler_pipeline_thread");
    const ops = [await makeOperator(t, 2n)];
    const opOf = () => ops[0]!;
    const { buyer, executions } = await makeBuyer(t, DEPOSIT, Array(EXECUTIONS).fill(1_000_000n));
    const own = mkdtempSync(join(dir, "postgres-"));
    settler = await startInProcessSettler(t, v, own, TOKEN, { ...TIMINGS, ARKNET_SETTLER_DB: url, ARKNET_SETTLER_PIPELINE_THREAD: "1", ARKNET_SETTLER_LOG_LEVEL: process.env.SETTLER_LOG ?? "error" });
    expect(settler.store.kind).to.equal("postgres");
    const units = (n: number) => BigInt(25 * n);
    const run = { executions, segments: 1, receipts: RECEIPTS, opOf, units, token: TOKEN };
    await assignSegments([settler.url], run);
    await postReceiptsAndComplete([settler.url], run);
    await waitFinalized(settler.store, executions, 60_000);
    await expectSettledExactly({ t, executions, segments: 1, opOf, lastUnits: () => units(RECEIPTS), buyer: buyer.address, deposit: DEPOSIT });
    await settler.stop();
    settler = null;
  });

  it("reports unhealthy with the reason when the pipeline thread dies, and still stops", async () => {
    const own = mkdtempSync(join(dir, "in-process-"));
    // The thread logs through its own pino at the configured level (the test's logger stays on the main thread).
    settler = await startInProcessSettler(t, v, own, TOKEN, { ...TIMINGS, ARKNET_SETTLER_PIPELINE_THREAD: "1", ARKNET_SETTLER_LOG_LEVEL: process.env.SETTLER_LOG ?? "error" });
    expect(settler.pipeline, "no pipeline on the main thread").to.equal(null);
    expect(settler.pipelineThread).to.not.equal(null);
    const deadline = Date.now() + 30_000;
    while ((await healthz(settler.url)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`never healthy: ${JSON.stringify((await healthz(settler.url)).body)}`);
      await sleep(100);
    }
    await settler.pipelineThread!.worker.terminate();
    const health = await healthz(settler.url);
    expect(health.status).to.equal(503);
    expect(health.body.status).to.equal("unhealthy");
    expect(health.body.checks.rpc).to.match(/pipeline thread exited/);
    expect(health.body.checks.store).to.equal("ok");
    expect((await fetch(`${settler.url}/metrics`)).status, "metrics still served from the main thread").to.equal(200);
    await settler.stop();
    settler = null;
  });
});
