// Intake durability at process level: the real settler (src/main.ts) is killed with SIGKILL
// at random moments while nodes stream receipts, and restarted; every receipt it answered
// 202 to must still be there (or a newer one for its segment). Settlement is not part of it
// (the pipeline is not built yet); the full crash test lands with it.

import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../src/store/index.ts";
import { sleep } from "./support/fixtures.ts";
import { freePort } from "./support/ports.ts";
import { postgresSkipped, sharedPostgres } from "./support/postgres.ts";
import { newOperator, randomAddress, signedReceipt, type Operator } from "./support/receipts.ts";

const TOKEN = "crash-test-router-token-0123";
/** Kills per backend; the full crash test (≥ 20 kills, with settlement) comes with the pipeline. */
const KILLS = 3;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function startProcess(db: string, port: number, programId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/main.ts"), "--port", String(port), "--db", db], {
    cwd: root,
    env: { ...process.env, ARKNET_SETTLER_ROUTER_TOKEN: TOKEN, ARKNET_PROGRAM_ID: programId, ARKNET_SETTLER_LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`settler did not start: ${err}`);
    await sleep(50);
  }
  return child;
}

function crashSuite(name: string, database: () => Promise<string>) {
  it(`${name}: every receipt answered 202 survives SIGKILL of the settler (${KILLS} kills)`, async function () {
    this.timeout(120_000);
    const db = await database();
    const port = await freePort();
    const programId = randomAddress();
    const base = `http://127.0.0.1:${port}`;
    let child = await startProcess(db, port, programId);
    const segments: Array<{ exec: string; seg: number; op: Operator; next: number }> = [];
    try {
      for (let e = 0; e < 4; e++) {
        const exec = randomAddress();
        for (let seg = 0; seg < 3; seg++) {
          const op = newOperator();
          const res = await fetch(`${base}/v1/executions/${exec}/segments`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
            body: JSON.stringify({ segment: seg, operator: op.account, operatorKey: op.key, sku: "H100" }),
          });
          expect(res.status).to.equal(202);
          segments.push({ exec, seg, op, next: 1 });
        }
      }
      const acknowledged = new Map<string, bigint>();
      let answered = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        // Nodes stream until the settler dies under them; refused connections are retried later.
        let alive = true;
        const streams = segments.map(async (s) => {
          while (alive) {
            const n = s.next;
            const body = JSON.stringify({ receipts: [signedReceipt(s.op, programId, s.exec, s.seg, BigInt(n * 10), n)] });
            const res = await fetch(`${base}/v1/receipts`, { method: "POST", headers: { "content-type": "application/json" }, body }).catch(() => null);
            if (!res) return;
            await res.arrayBuffer().catch(() => undefined);
            // A receipt stored just before a kill whose 202 was lost comes back as a duplicate: 202 too.
            if (res.status !== 202) throw new Error(`unexpected ${res.status} for ${s.exec}/${s.seg} #${n}`);
            acknowledged.set(`${s.exec}/${s.seg}`, BigInt(n * 10));
            answered++;
            s.next++;
          }
        });
        await sleep(500 + Math.random() * 700);
        child.kill("SIGKILL");
        alive = false;
        await new Promise((r) => child.once("exit", r));
        await Promise.all(streams);
        child = await startProcess(db, port, programId);
      }
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));

      expect(answered, "receipts answered 202 across the kills").to.be.at.least(10);
      const store = await openStore(db);
      try {
        for (const [key, units] of acknowledged) {
          const [exec, seg] = key.split("/");
          const kept = (await store.getExecution(exec!))!.segments[Number(seg)]!.receipt;
          expect(kept?.cumulativeUnits ?? -1n, key).to.be.oneOf([units, units + 10n]);
        }
      } finally {
        await store.close();
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
}

describe("intake survives kill -9", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "arknet-settler-crash-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  crashSuite("SQLite", async () => join(dir, "settler.sqlite"));
  if (!postgresSkipped()) crashSuite("PostgreSQL", async () => (await sharedPostgres()).createDatabase(`crash_${process.pid}`));
});
