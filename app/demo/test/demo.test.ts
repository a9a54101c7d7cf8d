// `npm start`'s bounded mode and its Ctrl-C, run as a user runs them: the real demo process on
// the localnet with a small workload. The bounded round must verify on-chain and exit 0; a
// SIGINT in the middle of a round must stop the settler and the validator and exit 0; neither
// may leave a process of its own behind or a port open.
import { expect } from "chai";
import { startDemo, taggedProcesses, testPorts } from "./support/demoProcess.ts";

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch (e) {
    return /ECONNREFUSED/.test(String((e as { cause?: unknown }).cause ?? e));
  }
}

describe("npm start (the demo)", function () {
  this.timeout(120_000);

  it("--once runs a round, verifies it through the SDK, exits 0 and leaves no process or port behind", async () => {
    const ports = testPorts();
    const demo = startDemo(["--once", "--buyers", "2", "--executions", "1", "--receipts", "4", "--tick-ms", "100", "--rpc-port", String(ports.rpc), "--settler-port", String(ports.settler)]);
    await demo.waitFor("round 1:", 90_000);
    const during = taggedProcesses(demo.tag);
    const code = await demo.exited;
    const out = demo.output();
    expect(code, out).to.equal(0);
    expect(during.length, `demo and settler should both run: ${during}`).to.be.at.least(2);
    expect(out).to.match(/check: every execution finalized and verified on-chain through the SDK/);
    expect(out).to.match(/24 receipts \(streamed in [\d.]+ s, \d+\/s\), burned [\d.]+, refunded [\d.]+, claimed [\d.]+, vault ([\d.]+) = liabilities \1/);
    expect(out).to.include("stopped cleanly (exit code 0)");
    expect(taggedProcesses(demo.tag)).to.deep.equal([]);
    expect(await refused(`http://127.0.0.1:${ports.settler}/healthz`)).to.equal(true);
    expect(await refused(`http://127.0.0.1:${ports.rpc}/health`)).to.equal(true);
  });

  async function interruptMidRound(viaNpm: boolean) {
    const ports = testPorts();
    const args = ["--loop", "--buyers", "2", "--executions", "1", "--receipts", "500", "--tick-ms", "200", "--rpc-port", String(ports.rpc), "--settler-port", String(ports.settler)];
    const demo = startDemo(args, { viaNpm });
    await demo.waitFor("router assigned", 90_000);
    await demo.waitFor("[ticker] executions 2 active", 30_000);
    expect(taggedProcesses(demo.tag).length, "demo and settler running").to.be.at.least(2);
    demo.interrupt();
    const code = await Promise.race([demo.exited, new Promise((r) => setTimeout(() => r("timeout"), 40_000))]);
    const out = demo.output();
    expect(out).to.include("SIGINT: stopping");
    expect(out, out).not.to.match(/demo failed|stopping the (settler|validator|ticker|data directory):/);
    expect(out).to.include("stopped cleanly (exit code 0)");
    expect(taggedProcesses(demo.tag)).to.deep.equal([]);
    expect(await refused(`http://127.0.0.1:${ports.settler}/healthz`)).to.equal(true);
    expect(await refused(`http://127.0.0.1:${ports.rpc}/health`)).to.equal(true);
    return { code, out };
  }

  it("SIGINT during a round stops the workload, the settler (gracefully) and the validator, exit 0", async () => {
    const { code, out } = await interruptMidRound(false);
    expect(code, out).to.equal(0);
  });

  it("Ctrl-C on `npm start` (SIGINT to the whole process group, relayed by npm and tsx) stops everything cleanly", async () => {
    const { code, out } = await interruptMidRound(true);
    // npm reports any Ctrl-C'd script as killed by SIGINT (130 in a shell) whatever the script's own exit code.
    expect(code === null || code === 130, `npm exit ${code}\n${out}`).to.equal(true);
  });

  it("refuses a bad flag with the usage and exit 2, starting nothing", async () => {
    const demo = startDemo(["--buyers", "zero"]);
    expect(await demo.exited).to.equal(2);
    expect(demo.output()).to.include("--buyers must be an integer");
    expect(demo.output()).to.include("--once");
  });
});
