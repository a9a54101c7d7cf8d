// The whole stack for one `npm start`: the local validator, the program deployed through the
// SDK, operators and buyers, the settler (child process) serving the dashboard, the live
// ticker and the workload rounds. Everything started is stopped in reverse order on the way
// out, whether the round failed, the bounded mode finished, or Ctrl-C came.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@arknet/escrow";
import { startValidator } from "@arknet/localnet/launch";
import type { Address } from "@solana/kit";
import { dashboardEnv } from "./dashboard.ts";
import type { DemoOptions } from "./options.ts";
import { settlerApi } from "./settlerApi.ts";
import { startSettlerProcess } from "./settlerProcess.ts";
import { FEE_BPS, SKUS, setupWorld } from "./setup.ts";
import { startTicker, type Ticker } from "./ticker.ts";
import { verifyRound } from "./verify.ts";
import { runRound } from "./workload.ts";

class Interrupted extends Error {}

const tokens = (v: bigint) => (Number(v) / 1e6).toFixed(2);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs the demo; resolves with the process exit code once everything has stopped. */
export async function runDemo(o: DemoOptions): Promise<number> {
  const started = performance.now();
  const ctrl = new AbortController();
  const aborted = new Promise<never>((_, reject) => ctrl.signal.addEventListener("abort", () => reject(new Interrupted("interrupted")), { once: true }));
  aborted.catch(() => {});
  /** Awaits `p` unless Ctrl-C comes first (what `p` was doing is then torn down with the rest). */
  const step = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => {});
    return Promise.race([p, aborted]);
  };
  let ticker: Ticker | undefined;
  const say = (line: string) => (ticker ? ticker.log(line) : console.log(line));
  // A terminal's Ctrl-C reaches every process of the foreground group, and npm and tsx relay
  // it too: copies arriving within a moment are one Ctrl-C; a later one means "now".
  let firstSignalAt = 0;
  const onSignal = (signal: string) => {
    if (firstSignalAt && performance.now() - firstSignalAt < 1_500) return;
    if (firstSignalAt) {
      console.error(`\nsecond ${signal}: exiting without waiting`);
      process.exit(130); // the settler and Agave launchers kill their children on exit
    }
    firstSignalAt = performance.now();
    say(`${signal}: stopping the workload, the settler and the validator…`);
    ctrl.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
  let roundInFlight: Promise<unknown> | null = null;
  let code = 0;
  try {
    const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), "arknet-demo-"));
    if (o.dataDir) mkdirSync(dataDir, { recursive: true });
    else cleanups.push({ name: "data directory", run: async () => rmSync(dataDir, { recursive: true, force: true }) });

    const v = await step(startValidator({ escrow: false, rpcPort: o.rpcPort, slotMs: o.slotMs }));
    cleanups.push({ name: "validator", run: () => v.stop() });
    console.log(`validator   ${v.rpcUrl}, PubSub ${v.wsUrl} (${v.kind === "localnet" ? "the project's localnet: LiteSVM behind JSON-RPC" : "Agave's solana-test-validator"})`);

    const client = createClient(v.rpcUrl, v.wsUrl);
    const world = await step(setupWorld(client, { mint: v.usdcMint as Address, mintAuthoritySecret: v.faucet.secretKey, buyers: o.buyers }));
    const d = world.deployment;
    console.log(`program     ${d.programAddress} deployed through loader-v3 by the SDK in ${world.deploySeconds.toFixed(1)} s`);
    console.log(`deployment  ${d.config}, vault ${d.vault}, fee ${FEE_BPS / 100}%, mint ${d.mint}`);
    for (const op of world.operators) {
      console.log(`operator    ${op.name.padEnd(7)} ${op.account}  ${SKUS.map((s) => `${s} ${op.rates[s]}`).join(", ")} (base units per GPU-second)`);
    }

    const port = o.settlerPort || (await freePort());
    const routerToken = randomBytes(24).toString("hex");
    const routerKeypairFile = join(dataDir, "router.json");
    writeFileSync(routerKeypairFile, JSON.stringify([...world.routerSecret]), { mode: 0o600 });
    const dashboard = dashboardEnv(v.wsUrl);
    const settler = await step(
      startSettlerProcess({ port, dataDir, routerToken, routerKeypairFile, programId: d.programAddress, escrowConfig: d.config, rpcUrl: v.rpcUrl, env: dashboard ?? {} }),
    );
    cleanups.push({
      name: "settler",
      run: async () => {
        const exit = await settler.stop();
        if (exit !== 0) throw new Error(`the settler exited with ${exit}; its log ends:\n${logTail(settler.logFile)}`);
      },
    });
    const api = settlerApi(settler.url, routerToken);
    console.log(`settler     ${settler.url} (pid ${settler.pid}, SQLite and log in ${dataDir})`);
    const served = dashboard !== null && (await api.servesDashboard());
    if (!dashboard) console.log(`dashboard   not built (app/dashboard/dist is missing)`);
    else if (served) console.log(`dashboard   ${settler.url}/`);
    else console.log(`dashboard   built, but this settler does not serve it (ARKNET_SETTLER_DASHBOARD_DIR)`);
    console.log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    ticker = startTicker(world, api);
    cleanups.push({ name: "ticker", run: () => ticker!.stop() });

    const round = async (n: number): Promise<boolean> => {
      say(`round ${n}: ${o.buyers} buyers × ${o.executions} executions × ${SKUS.length} segments × ${o.receipts} receipts`);
      const result = await step((roundInFlight = runRound(world, { executionsPerBuyer: o.executions, receipts: o.receipts, tickMs: o.tickMs, api, signal: ctrl.signal, log: (l) => say(`  ${l}`) })));
      const check = await step(verifyRound(world, result));
      const receipts = result.executions.length * SKUS.length * o.receipts;
      say(
        `  round ${n} in ${result.seconds.toFixed(1)} s: ${receipts} receipts (streamed in ${result.streamSeconds.toFixed(1)} s, ${(receipts / result.streamSeconds).toFixed(0)}/s), burned ${tokens(check.consumed)}, refunded ${tokens(check.refunded)}, claimed ${tokens(check.claimed)}, vault ${tokens(check.vault)} = liabilities ${tokens(check.liabilities)}`,
      );
      say(check.ok ? `  check: every execution finalized and verified on-chain through the SDK` : `  CHECK FAILED:\n    ${check.failures.join("\n    ")}`);
      return check.ok;
    };

    if (o.once) {
      const ok = await round(1);
      const peak = ticker.stats();
      say(`done in ${((performance.now() - started) / 1000).toFixed(1)} s (peak ${peak.peakAccepted.toFixed(0)} receipts/s accepted, ${peak.peakSettled.toFixed(0)}/s settled)`);
      code = ok ? 0 : 1;
    } else {
      const dashboardHint = served ? `browse ${settler.url}/, ` : "";
      for (let n = 1; ; n++) {
        try {
          await round(n);
        } catch (e) {
          if (e instanceof Interrupted) throw e;
          say(`  round ${n} failed: ${(e as Error).message}`);
        }
        if (o.loop) continue;
        say(`the stack stays up: ${dashboardHint}${process.stdin.isTTY ? "press Enter for another round, " : ""}Ctrl-C to stop`);
        await step(nextRoundRequested());
      }
    }
  } catch (e) {
    if (e instanceof Interrupted) code = 0;
    else {
      console.error(`\ndemo failed: ${(e as Error).stack ?? e}`);
      code = 1;
    }
  } finally {
    ctrl.abort();
    process.stdin.pause();
    // Let the nodes' requests in flight finish before the settler is asked to stop.
    if (roundInFlight) await Promise.race([roundInFlight.catch(() => {}), new Promise((r) => setTimeout(r, 5_000))]);
    for (const c of cleanups.reverse()) {
      try {
        await c.run();
      } catch (e) {
        console.error(`stopping the ${c.name}: ${(e as Error).message}`);
        code = 1;
      }
    }
  }
  console.log(code === 0 ? "stopped cleanly (exit code 0)" : `stopped (with errors above, exit code ${code})`);
  return code;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-15).join("\n");
  } catch (e) {
    return (e as Error).message;
  }
}

/** Resolves when the user presses Enter (never without a terminal). */
function nextRoundRequested(): Promise<void> {
  if (!process.stdin.isTTY) return new Promise(() => {});
  return new Promise((resolve) => {
    process.stdin.resume();
    process.stdin.once("data", () => {
      process.stdin.pause();
      resolve();
    });
  });
}
