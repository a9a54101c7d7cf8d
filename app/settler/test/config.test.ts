// Configuration from env and flags, and the real entrypoint as a process: it starts,
// serves, and shuts down cleanly on SIGTERM.

import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig, parseCorsOrigins, solToLamports, usage } from "../src/config.ts";
import { openStore } from "../src/store/index.ts";
import { freePort } from "./support/ports.ts";
import { newOperator, randomAddress, signedReceipt } from "./support/receipts.ts";

const PROGRAM = "ArkNetEscrow1111111111111111111111111111111";
const base = { ARKNET_SETTLER_ROUTER_TOKEN: "0123456789abcdef0123", ARKNET_PROGRAM_ID: PROGRAM };

function problems(argv: string[], env: Record<string, string>): string[] {
  try {
    loadConfig(argv, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("config", () => {
  it("reads defaults and environment, and flags override the environment", () => {
    const c = loadConfig(["--port", "9000", "--daily-sol-budget=2.5"], { ...base, ARKNET_SETTLER_PORT: "8000", ARKNET_SETTLER_DB: "postgres://u@127.0.0.1:48010/x" });
    expect(c.port).to.equal(9000);
    expect(c.database).to.equal("postgres://u@127.0.0.1:48010/x");
    expect(c.dailyFeeBudgetLamports).to.equal(2_500_000_000n);
    expect(c.host).to.equal("127.0.0.1");
    expect(c.rateLimit.receiptsPerSecond).to.equal(200);
    expect(c.webhooks.maxAttempts).to.equal(12);
    expect(c.programId).to.equal(PROGRAM);
  });

  it("reports every problem at once", () => {
    const p = problems(["--port", "70000", "--rate-receipts", "-3", "--daily-sol-budget", "lots", "--bogus", "1"], {
      ARKNET_SETTLER_ROUTER_TOKEN: "short",
      ARKNET_PROGRAM_ID: "0OIl",
    });
    expect(p.join("\n")).to.match(/--port .* 0\.\.65535/);
    expect(p.join("\n")).to.match(/--rate-receipts/);
    expect(p.join("\n")).to.match(/--daily-sol-budget .* SOL amount/);
    expect(p.join("\n")).to.match(/unknown flag --bogus/);
    expect(p.join("\n")).to.match(/router-token .* at least 16/);
    expect(p.join("\n")).to.match(/program-id .* base58/);
    expect(problems([], {})).to.include.members([
      "--router-token / ARKNET_SETTLER_ROUTER_TOKEN is required",
      "--program-id / ARKNET_PROGRAM_ID is required",
    ]);
  });

  it("takes a role: all by default, api or pipeline; pipeline needs an RPC URL", () => {
    expect(loadConfig([], base).role).to.equal("all");
    expect(loadConfig(["--role", "api"], base).role).to.equal("api");
    expect(loadConfig([], { ...base, ARKNET_SETTLER_ROLE: "api" }).role).to.equal("api");
    expect(problems(["--role", "intake"], base).join("\n")).to.match(/--role .* must be all, api or pipeline, got "intake"/);
    expect(problems(["--role", "pipeline"], base).join("\n")).to.match(/--role .* pipeline needs --rpc-url/);
  });

  it("takes --pipeline-thread as a switch (flag alone, or the variable 1/0), off by default, for role all with an RPC URL only", () => {
    const rpc = { ...base, ARKNET_RPC_URL: "http://127.0.0.1:8899", ARKNET_CONFIG: PROGRAM, ARKNET_ROUTER_KEYPAIR: "router.json" };
    expect(loadConfig([], rpc).pipelineThread).to.equal(false);
    expect(loadConfig(["--pipeline-thread"], rpc).pipelineThread).to.equal(true);
    // A switch takes no value: the next flag is read as its own.
    const c = loadConfig(["--pipeline-thread", "--port", "9100"], rpc);
    expect([c.pipelineThread, c.port]).to.deep.equal([true, 9100]);
    expect(loadConfig([], { ...rpc, ARKNET_SETTLER_PIPELINE_THREAD: "1" }).pipelineThread).to.equal(true);
    expect(loadConfig([], { ...rpc, ARKNET_SETTLER_PIPELINE_THREAD: "0" }).pipelineThread).to.equal(false);
    expect(loadConfig(["--pipeline-thread=false"], { ...rpc, ARKNET_SETTLER_PIPELINE_THREAD: "1" }).pipelineThread, "the flag wins").to.equal(false);
    expect(problems([], { ...rpc, ARKNET_SETTLER_PIPELINE_THREAD: "yes" }).join("\n")).to.match(/--pipeline-thread .* is a switch: 1 or 0 .* got "yes"/);
    expect(problems(["--pipeline-thread", "--role", "api"], rpc).join("\n")).to.match(/--pipeline-thread .* is for role all only .* got role "api"/);
    expect(problems(["--pipeline-thread", "--role", "pipeline"], rpc).join("\n")).to.match(/--pipeline-thread .* is for role all only/);
    expect(problems(["--pipeline-thread"], base).join("\n")).to.match(/--pipeline-thread .* needs --rpc-url/);
    expect(usage()).to.match(/--pipeline-thread +ARKNET_SETTLER_PIPELINE_THREAD .*worker thread/);
  });

  it("takes CORS origins as * or a list of exact origins, none by default, and refuses paths and other schemes", () => {
    expect(loadConfig([], base).corsOrigins).to.deep.equal([]);
    expect(loadConfig(["--cors-origin", "*"], base).corsOrigins).to.equal("*");
    expect(loadConfig([], { ...base, ARKNET_SETTLER_CORS_ORIGIN: "https://dash.example.com, http://127.0.0.1:5173" }).corsOrigins).to.deep.equal([
      "https://dash.example.com",
      "http://127.0.0.1:5173",
    ]);
    for (const bad of ["https://dash.example.com/", "dash.example.com", "ftp://x.example", "https://a.example/path"]) {
      expect(parseCorsOrigins(bad), bad).to.be.instanceOf(Error);
      expect(() => loadConfig(["--cors-origin", bad], base), bad).to.throw(ConfigError, /--cors-origin/);
    }
    expect(loadConfig([], base).shutdownGraceMs).to.equal(2000);
  });

  it("converts SOL to lamports exactly", () => {
    expect(solToLamports("0")).to.equal(0n);
    expect(solToLamports("0.000000001")).to.equal(1n);
    expect(solToLamports("12.5")).to.equal(12_500_000_000n);
    expect(solToLamports("1.0000000001")).to.equal(null);
    expect(solToLamports("-1")).to.equal(null);
  });
});

describe("entrypoint (npm start)", () => {
  it("starts from env and flags, accepts a receipt, and exits 0 on SIGTERM with the store closed", async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), "arknet-settler-main-"));
    const db = join(dir, "settler.sqlite");
    const port = await freePort();
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const programId = randomAddress();
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/main.ts"), "--port", String(port), "--db", db], {
      cwd: root,
      env: { ...process.env, ...base, ARKNET_PROGRAM_ID: programId, ARKNET_SETTLER_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`settler did not come up:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const op = newOperator();
      const exec = randomAddress();
      const headers = { "content-type": "application/json", authorization: `Bearer ${base.ARKNET_SETTLER_ROUTER_TOKEN}` };
      const seg = await fetch(`${url}/v1/executions/${exec}/segments`, {
        method: "POST",
        headers,
        body: JSON.stringify({ segment: 0, operator: op.account, operatorKey: op.key, sku: "H100" }),
      });
      expect(seg.status).to.equal(202);
      const rec = await fetch(`${url}/v1/receipts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ receipts: [signedReceipt(op, programId, exec, 0, 31n, 1)] }),
      });
      expect(rec.status).to.equal(202);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).to.match(/^arknet_settler_fee_budget_lamports 1000000000$/m);
      expect(metrics).to.match(/^arknet_settler_receipts_accepted_total 1$/m);
      child.kill("SIGTERM");
      expect(await exited).to.equal(0);
      expect(out).to.match(/shutdown complete/);
      const store = await openStore(db);
      expect((await store.getExecution(exec))!.segments[0]!.receipt!.cumulativeUnits).to.equal(31n);
      await store.close();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 2 with the reasons when the configuration is wrong", async function () {
    this.timeout(30_000);
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const env = { ...process.env };
    delete env.ARKNET_SETTLER_ROUTER_TOKEN;
    delete env.ARKNET_PROGRAM_ID;
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/main.ts"), "--port", "x"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code).to.equal(2);
    expect(err).to.match(/router-token .* required/);
    expect(err).to.match(/--port .* integer/);
  });
});
