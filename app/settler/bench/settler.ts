// `npm run bench:settler`: receipts settled end to end on the localnet over RPC. 100 executions ×
// 4 segments × 50 receipts are POSTed one per request by 64 concurrent clients (each the node of
// its segments, sending them in order, in a separate process: bench/settlerClient.ts) to a settler with
// its pipeline on (SQLite file); measured: receipts/s accepted (POST→202), receipts/s settled
// (first POST to the last confirmation), and per receipt the latency from its POST to the
// confirmation of a transaction that settles it (the newest cumulative receipt of a segment
// settles every older one). Writes bench/results/settler.json.
// ARKNET_BENCH_SPLIT=1: the same deployment split by role on the same SQLite file, the pipeline
// (role pipeline) in this process and BENCH_API_PROCESSES (default 1) API processes (role api,
// src/main.ts) taking the nodes' requests; writes bench/results/settler-split.json.
// BENCH_PIPELINE_THREAD=1: one process in role all with --pipeline-thread (intake on the main
// thread, pipeline and webhooks in a worker thread); writes bench/results/settler-thread.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import { DEV_KEYS } from "@arknet/localnet";
import { startLocalnet, type RunningValidator } from "@arknet/localnet/launch";
import { freePort, PORT_HIGH } from "../test/support/ports.ts";
import { pino } from "pino";
import { loadConfig } from "../src/config.ts";
import { startSettler } from "../src/settler.ts";
import { makeBuyer, makeEscrow, makeOperator } from "../test/support/escrow.ts";
import { signedReceipt } from "../test/support/receipts.ts";
import { kill9, startSettlerProcess } from "../test/support/settlerProcess.ts";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 100);
const SEGMENTS = 4;
const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TOKEN = "bench-router-token-0123456";
const SPLIT = process.env.ARKNET_BENCH_SPLIT === "1";
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
const THREAD = process.env.BENCH_PIPELINE_THREAD === "1";
if (SPLIT && THREAD) throw new Error("ARKNET_BENCH_SPLIT and BENCH_PIPELINE_THREAD are two different deployments: pick one");
const OUT = join(dirname(fileURLToPath(import.meta.url)), `../../../bench/results/${SPLIT ? "settler-split" : THREAD ? "settler-thread" : "settler"}.json`);

// The validator runs in its own process, as a validator does (BENCH_VALIDATOR=inprocess shares this one).
const v = process.env.BENCH_VALIDATOR === "inprocess" ? await startLocalnet({ slotMs: 100 }) : await startLocalnetProcess(100);
const dir = mkdtempSync(join(tmpdir(), "settler-bench-"));
const apiChildren: Awaited<ReturnType<typeof startSettlerProcess>>[] = [];
try {
  const t = await makeEscrow(v, { reviewWindowSecs: 3600n, expiryGraceSecs: 2n, settlementWindowSecs: 1n });
  const ops: Awaited<ReturnType<typeof makeOperator>>[] = [];
  for (let s = 0; s < SEGMENTS; s++) ops.push(await makeOperator(t, 2n));
  const executions: string[] = [];
  for (let i = 0; i < EXECUTIONS; i += 25) {
    const n = Math.min(25, EXECUTIONS - i);
    executions.push(...(await makeBuyer(t, BigInt(n) * 10_000_000n, Array(n).fill(10_000_000n))).executions);
  }
  writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
  const limits = {
    ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "50",
    ARKNET_SETTLER_RATE_RECEIPTS: "100000",
    ARKNET_SETTLER_RATE_RECEIPTS_BURST: "200000",
    ARKNET_SETTLER_RATE_IP: "100000",
    ARKNET_SETTLER_RATE_IP_BURST: "200000",
  };
  const db = join(dir, "settler.sqlite");
  const settler = await startSettler(
    loadConfig([], {
      ARKNET_SETTLER_DB: db,
      ARKNET_SETTLER_PORT: "0",
      ARKNET_SETTLER_ROUTER_TOKEN: TOKEN,
      ARKNET_PROGRAM_ID: t.deployment.programAddress,
      ARKNET_RPC_URL: v.rpcUrl,
      ARKNET_CONFIG: t.deployment.config,
      ARKNET_ROUTER_KEYPAIR: join(dir, "router.json"),
      ARKNET_SETTLER_ROLE: SPLIT ? "pipeline" : "all",
      ARKNET_SETTLER_PIPELINE_THREAD: THREAD ? "1" : "0",
      ARKNET_SETTLER_LOG_LEVEL: process.env.BENCH_LOG ?? "warn",
      ...limits,
    }),
    { logger: pino({ level: process.env.BENCH_LOG ?? "warn" }) },
  );
  // Where the nodes post: this process, or the API processes of the split.
  const intake: string[] = [];
  if (!SPLIT) intake.push(settler.url);
  for (let i = 0; SPLIT && i < API_PROCESSES; i++) {
    const port = await freePort();
    const o = { db, port, token: TOKEN, programId: t.deployment.programAddress, rpcUrl: v.rpcUrl, config: t.deployment.config, routerKeypair: join(dir, "router.json") };
    // BENCH_API_PROFILE=<dir>: CPU profiles of the api processes.
    const nodeArgs = process.env.BENCH_API_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_API_PROFILE}`] : [];
    apiChildren.push(await startSettlerProcess({ ...o, nodeArgs, env: { ...limits, ARKNET_SETTLER_ROLE: "api", ARKNET_SETTLER_LOG_LEVEL: process.env.BENCH_LOG ?? "warn" } }));
    intake.push(`http://127.0.0.1:${port}`);
  }
  const post = (path: string, body: unknown, auth = false) =>
    fetch(intake[0] + path, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) }, body: JSON.stringify(body) });
  for (const e of executions) {
    for (let s = 0; s < SEGMENTS; s++) {
      const res = await post(`/v1/executions/${e}/segments`, { segment: s, operator: ops[s]!.account, operatorKey: ops[s]!.key.address, sku: "H100" }, true);
      if (res.status !== 202) throw new Error(`assign: ${res.status} ${await res.text()}`);
    }
  }
  // Segments land first (assign_segment), so receipts are not refused by the chain checks' view.
  for (;;) {
    const recs = await Promise.all(executions.map((e) => settler.store.getExecution(e)));
    if (recs.every((r) => r!.segments.every((s) => s.landedAt !== null))) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  // Work: receipt n of every segment before n + 1 (nodes report as they meter).
  const work: Array<{ e: string; s: number; n: number }> = [];
  for (let n = 1; n <= RECEIPTS; n++) for (const e of executions) for (let s = 0; s < SEGMENTS; s++) work.push({ e, s, n });
  const bodies = work.map(({ e, s, n }) => JSON.stringify({ receipts: [signedReceipt({ secret: ops[s]!.seed, key: ops[s]!.key.address, account: ops[s]!.account }, "", e, s, BigInt(10 * n), n)] }));
  const bodiesFile = join(dir, "bodies.json");
  writeFileSync(bodiesFile, JSON.stringify(bodies));
  // The nodes run in their own process (bench/settlerClient.ts), as GPU nodes are elsewhere.
  // BENCH_CLIENT_PROFILE=<dir>: a CPU profile of the nodes' process.
  const clientProfile = process.env.BENCH_CLIENT_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CLIENT_PROFILE}`] : [];
  const client = spawn(process.execPath, [...clientProfile, "--import", "tsx", join(dirname(fileURLToPath(import.meta.url)), "settlerClient.ts"), bodiesFile, intake.join(","), String(CONCURRENCY), String(EXECUTIONS * SEGMENTS)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  client.stdout!.on("data", (d) => (out += d));
  await new Promise((r) => client.once("exit", r));
  const { startedAt: t0, endedAt, postedAt, acceptMs, refused, refusedCount } = JSON.parse(out) as {
    startedAt: number;
    endedAt: number;
    postedAt: number[];
    acceptMs: number[];
    refused: string[];
    refusedCount: number;
  };
  if (refusedCount > 0) throw new Error(`${refusedCount} receipts refused, e.g. ${refused.join("; ")}`);
  const acceptedIn = (endedAt - t0) / 1000;
  for (;;) {
    const st = await settler.store.stats();
    if (st.pendingReceipts === 0 && st.outboxInFlight === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const confirmed = (await settler.store.listOutbox(["confirmed"])).filter((o) => o.kind === "receipts");
  const lastConfirm = Math.max(...confirmed.map((o) => o.confirmedAt!));
  // Per segment, confirmations in order: the first one at or past a receipt's sequence settles it.
  const landings = new Map<string, Array<{ seq: number; at: number }>>();
  for (const o of confirmed) for (const it of o.items) landings.set(`${it.execution}/${it.segment}`, [...(landings.get(`${it.execution}/${it.segment}`) ?? []), { seq: it.sequence, at: o.confirmedAt! }]);
  for (const l of landings.values()) l.sort((a, b) => a.at - b.at);
  const latencies = work.map(({ e, s, n }, i) => {
    const l = landings.get(`${e}/${s}`)!.find((x) => x.seq >= n)!;
    return Math.max(0, l.at - postedAt[i]!);
  });
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
  const result = {
    bench: SPLIT
      ? `settler end to end split by role (localnet over RPC, one SQLite file, ${API_PROCESSES} api process(es) + 1 pipeline process)`
      : THREAD
        ? "settler end to end in one process, role all with --pipeline-thread (localnet over RPC, SQLite file; intake on the main thread, pipeline and webhooks in a worker thread)"
        : "settler end to end (localnet over RPC, SQLite file, pipeline on)",
    executions: EXECUTIONS,
    segments: SEGMENTS,
    receiptsPerSegment: RECEIPTS,
    receipts: work.length,
    clients: CONCURRENCY,
    acceptedPerSecond: Math.round(work.length / acceptedIn),
    settledPerSecond: Math.round(work.length / ((lastConfirm - t0) / 1000)),
    postTo202Ms: { p50: pct(acceptMs, 50), p99: pct(acceptMs, 99) },
    postToConfirmedMs: { p50: pct(latencies, 50), p99: pct(latencies, 99) },
    receiptTransactions: confirmed.length,
    receiptsLandedPerTransaction: +(confirmed.reduce((a, o) => a + o.items.length, 0) / confirmed.length).toFixed(2),
    machine: { cpus: cpus().length, loadavg1: +loadavg()[0]!.toFixed(2) },
    validator: process.env.BENCH_VALIDATOR === "inprocess" ? "localnet in the settler's process" : "localnet in its own process (slot 100 ms)",
    note: SPLIT
      ? `nodes (HTTP clients), ${API_PROCESSES} settler api process(es), the settler pipeline process and the validator in ${API_PROCESSES + 3} processes on the machine's 2 cores, shared with other work`
      : THREAD
        ? "nodes (HTTP clients), settler (two threads: intake, pipeline) and validator in three processes on the machine's 2 cores, shared with other work"
        : "nodes (HTTP clients), settler and validator in three processes on the machine's 2 cores, shared with other work",
    nodes: "receipts signed before the timed window (signing is the GPU nodes' work, on their machines); posted with node:http on kept-alive connections, one receipt per request",
    at: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
  await settler.stop();
} finally {
  // SIGTERM (a graceful stop, which also writes their CPU profiles), SIGKILL after 10 s.
  for (const c of apiChildren) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    const timer = setTimeout(() => void kill9(c), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await v.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);

/** The localnet CLI as a child process on a free port (RPC) and the next one (PubSub). */
async function startLocalnetProcess(slotMs: number): Promise<RunningValidator> {
  // An even port with the next one (PubSub) inside the range too (ARKNET_TEST_PORTS moves it).
  let port = await freePort();
  while (port % 2 === 1 || port >= PORT_HIGH) port = await freePort();
  const cli = join(dirname(fileURLToPath(import.meta.url)), "../../localnet/src/cli.ts");
  // BENCH_VALIDATOR_PROFILE=<dir>: a CPU profile of the validator process (written when it stops).
  const profile = process.env.BENCH_VALIDATOR_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_VALIDATOR_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", cli, "--rpc-port", String(port), "--slot-ms", String(slotMs)], { stdio: ["ignore", "ignore", "inherit"] });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"getSlot"}' }).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("localnet process did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    kind: "localnet",
    rpcUrl,
    wsUrl: `ws://127.0.0.1:${port + 1}`,
    programs: [],
    upgradeAuthority: DEV_KEYS.upgradeAuthority(),
    faucet: DEV_KEYS.faucet(),
    usdcMint: DEV_KEYS.usdcMint().address,
    usdcDecimals: 6,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
