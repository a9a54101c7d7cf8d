// `arknet settler start`: the CLI runs the installed @arknet/settler as a real process with the
// flags after `start`, passes SIGINT on, and returns the settler's exit code.
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePortPair } from "./support/ports.ts";

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const PROGRAM_ID = JSON.parse(readFileSync(new URL("../../idl/arknet_escrow.json", import.meta.url), "utf8")).address as string;

describe("arknet settler start", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "arknet-settler-cli-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the settler with its own flags (even one named like ours) until SIGINT, then exits 0", async () => {
    const port = await freePortPair();
    const db = join(dir, "settler.sqlite");
    const args = ["settler", "start", "--db", db, "--port", String(port), "--router-token", "r".repeat(24), "--program-id", PROGRAM_ID];
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    try {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status).catch(() => 0);
      }
      expect(status, output).to.equal(200);
      expect(existsSync(db), "the SQLite file the settler was given").to.equal(true);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited, output).to.equal(0);
    expect(output).to.include("shutdown complete");
  });

  it("returns the settler's refusal of a bad flag as its non-zero exit, nothing started", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", MAIN, "settler", "start", "--port", "nope", "--db", join(dir, "never.sqlite")], { encoding: "utf8" });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/--port \/ ARKNET_SETTLER_PORT must be an integer/);
    expect(existsSync(join(dir, "never.sqlite"))).to.equal(false);
  });
});
