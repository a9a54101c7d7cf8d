// Intake benchmark: receipts/s accepted (verified, durable, 202) by the real service over
// loopback HTTP with its SQLite file, and POST→202 latency. Workload of the bench:
// 100 executions × 4 segments × 50 cumulative receipts, one receipt per request, from
// CONCURRENCY clients; each segment's receipts go in order. Settlement on-chain is not in it
// (the pipeline is not built yet). The clients run in a separate process. Writes bench/results/settler-intake.json at the repo root.

import { encodeReceiptMessage } from "@arknet/escrow";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createHash, createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getAddressDecoder, getAddressEncoder } from "@solana/kit";
import { pino } from "pino";
import { loadConfig } from "../src/config.ts";
import { startSettler } from "../src/settler.ts";
import { freePort } from "../test/support/ports.ts";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 100);
const SEGMENTS = 4;
const RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PORT = await freePort();

const addr = (b: Uint8Array) => getAddressDecoder().decode(b);
const randomAddr = () => addr(new Uint8Array(createHash("sha256").update(String(Math.random())).digest()));

function message(_programId: string, execution: string, segment: number, units: bigint, seq: number): Buffer {
  return Buffer.from(encodeReceiptMessage({ execution: execution as never, segment, sku: "H100", cumulativeUnits: units, sequence: seq }));
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const dir = mkdtempSync(join(tmpdir(), "arknet-settler-bench-"));
const programId = randomAddr();
const token = "bench-router-token-0123456789";
const config = loadConfig(["--db", join(dir, "settler.sqlite"), "--port", String(PORT), "--rate-receipts", "1000000", "--rate-receipts-burst", "1000000", "--rate-ip", "1000000", "--rate-ip-burst", "1000000"], {
  ARKNET_SETTLER_ROUTER_TOKEN: token,
  ARKNET_PROGRAM_ID: programId,
});
const settler = await startSettler(config, { logger: pino({ level: process.env.BENCH_LOG ?? "warn" }), chainChecks: async () => undefined });
const base = settler.url;

// Operators and their pre-signed streams (signing is the nodes' cost, not the settler's).
const streams: string[][] = [];
for (let e = 0; e < EXECUTIONS; e++) {
  const execution = randomAddr();
  for (let s = 0; s < SEGMENTS; s++) {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const key = addr(Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url"));
    const res = await fetch(`${base}/v1/executions/${execution}/segments`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ segment: s, operator: randomAddr(), operatorKey: key, sku: "H100" }),
    });
    if (res.status !== 202) throw new Error(`assign failed: ${res.status} ${await res.text()}`);
    const pk = createPrivateKey(privateKey.export({ format: "pem", type: "pkcs8" }));
    const body: string[] = [];
    for (let i = 1; i <= RECEIPTS; i++) {
      const m = message(programId, execution, s, BigInt(i * 1000), i);
      body.push(
        JSON.stringify({ receipts: [{ execution, signer: key, message: m.toString("base64"), signature: sign(null, m, pk).toString("base64") }] }),
      );
    }
    streams.push(body);
  }
}

// The clients run in another process (the nodes are remote in real life).
const streamsFile = join(dir, "streams.json");
writeFileSync(streamsFile, JSON.stringify(streams));
const here = dirname(fileURLToPath(import.meta.url));
const { stdout } = await promisify(execFile)(
  process.execPath,
  ["--import", "tsx", join(here, "intakeClient.ts"), streamsFile, base, String(CONCURRENCY)],
  { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
const client = JSON.parse(stdout) as { seconds: number; latencies: number[]; refused: number };
const { seconds, latencies, refused } = client;
const stats = await settler.store.stats();
await settler.stop();
rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const total = latencies.length;
const result = {
  benchmark: "settler receipt intake (verify + durable SQLite commit + 202), loopback HTTP",
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  workload: { executions: EXECUTIONS, segmentsPerExecution: SEGMENTS, receiptsPerSegment: RECEIPTS, receiptsPerRequest: 1, concurrency: CONCURRENCY },
  receipts: total,
  refused,
  seconds: Number(seconds.toFixed(3)),
  acceptedPerSecond: Math.round((total - refused) / seconds),
  latencyMs: { p50: Number(pct(latencies, 50).toFixed(2)), p99: Number(pct(latencies, 99).toFixed(2)), max: Number(latencies[total - 1]!.toFixed(2)) },
  target: { acceptedPerSecond: 2000 },
  pendingSegmentsAfter: stats.pendingReceipts,
  notes: "Settlement on-chain is not measured: the pipeline lands with the SDK. The machine is shared (2 cores).",
};
const out = join(dirname(fileURLToPath(import.meta.url)), "../../../bench/results/settler-intake.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
if (refused > 0 || stats.pendingReceipts !== EXECUTIONS * SEGMENTS) process.exit(1);
