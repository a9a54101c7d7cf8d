// The arknet-localnet bin as a user runs it: flags, the escrow and an extra --program under the
// upgradeable loader with the dev upgrade authority, --ledger saved on SIGTERM and resumed.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultEscrowProgram } from "../src/node.ts";
import { DEV_KEYS } from "../src/chain/keys.ts";

const BIN = fileURLToPath(new URL("../bin/arknet-localnet.mjs", import.meta.url));
const EXTRA_ID = "Extra11111111111111111111111111111111111111";

function start(args: string[]): Promise<{ child: ChildProcess; rpcUrl: string; out: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d.toString()));
  child.stderr!.on("data", (d) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 20_000);
    child.stdout!.on("data", () => {
      const m = out.match(/JSON-RPC (http:\/\/[^\s]+)/);
      if (m && out.includes("USDC-like mint")) {
        clearTimeout(timer);
        resolve({ child, rpcUrl: m[1], out: () => out });
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<number | null>((r) => (child.once("exit", (code) => r(code)), child.kill("SIGTERM")));

async function call(url: string, method: string, params: unknown[] = []) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return ((await res.json()) as any).result;
}

describe("arknet-localnet bin", function () {
  this.timeout(60_000);
  const escrow = defaultEscrowProgram();
  let dir: string;
  before(function () {
    if (!escrow) {
      console.log("    skipped: the escrow program is not built");
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), "arknet-cli-"));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("deploys the escrow and --program upgradeable with the dev authority; --ledger survives SIGTERM", async () => {
    const ledger = join(dir, "ledger");
    let node = await start(["--rpc-port", "0", "--slot-ms", "100", "--ledger", ledger, "--program", `${EXTRA_ID}=${escrow!.path}`]);
    expect(node.out()).to.include(DEV_KEYS.upgradeAuthority().address);
    for (const id of [escrow!.programId, EXTRA_ID]) {
      const program = await call(node.rpcUrl, "getAccountInfo", [id, { encoding: "jsonParsed", commitment: "processed" }]);
      expect(program.value.executable).to.equal(true);
      expect(program.value.data.parsed.type).to.equal("program");
      const pd = await call(node.rpcUrl, "getAccountInfo", [program.value.data.parsed.info.programData, { encoding: "jsonParsed", commitment: "processed" }]);
      expect(pd.value.data.parsed.type).to.equal("programData");
      expect(pd.value.data.parsed.info.authority).to.equal(DEV_KEYS.upgradeAuthority().address);
    }
    const sig: string = await call(node.rpcUrl, "requestAirdrop", ["4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi", 1_000_000_000]);
    expect(sig).to.be.a("string");
    expect(await stop(node.child)).to.equal(0);
    expect(existsSync(ledger) && existsSync(`${ledger}.meta.json`)).to.equal(true);

    node = await start(["--rpc-port", "0", "--ledger", ledger]);
    expect(node.out()).to.include("resumed");
    expect((await call(node.rpcUrl, "getBalance", ["4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi", { commitment: "processed" }])).value).to.equal(1_000_000_000);
    expect((await call(node.rpcUrl, "getSignatureStatuses", [[sig], { searchTransactionHistory: true }])).value[0].err).to.equal(null);
    await stop(node.child);

    node = await start(["--rpc-port", "0", "--ledger", ledger, "--reset"]);
    expect((await call(node.rpcUrl, "getBalance", ["4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi", { commitment: "processed" }])).value).to.equal(0);
    await stop(node.child);
  });

  it("refuses bad flags with a usage message", async () => {
    const child = spawn(process.execPath, [BIN, "--program", "nonsense"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += d.toString()));
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).to.equal(1);
    expect(err).to.include("--program wants ID=PATH.so");
  });
});
