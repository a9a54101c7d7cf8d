// The terminal's live status: every second, the deployment's accounts through the SDK
// (executions active and settled, tokens burned against the max burn, operators' earnings and
// claims, the vault check) and the settler's counters from GET /metrics (receipts accepted and
// settled with their rates, transactions sent and confirmed). On a terminal it is one line
// redrawn in place, with log lines printed above it; otherwise a line every few seconds.
import { deploymentAccounts, fetchDeployment, tokenBalance, vaultCheck } from "@arknet/escrow";
import type { DemoWorld } from "./setup.ts";
import type { SettlerApi, SettlerCounters } from "./settlerApi.ts";

export interface Snapshot {
  at: number;
  active: number;
  settled: number;
  burned: bigint;
  maxBurn: bigint;
  earned: bigint;
  claimed: bigint;
  vault: bigint;
  vaultOk: boolean;
  settler: SettlerCounters;
}

const OPEN = 1;
const SETTLED = 2;
const tokens = (v: bigint) => (Number(v) / 1e6).toFixed(2);

export async function snapshot(world: DemoWorld, api: SettlerApi): Promise<Snapshot> {
  const d = world.deployment;
  const [accounts, vault, config, settler] = await Promise.all([
    deploymentAccounts(world.client.rpc, d.programAddress, d.config),
    tokenBalance(world.client.rpc, d.vault),
    fetchDeployment(world.client.rpc, d.config),
    api.counters(),
  ]);
  const ex = accounts.executions.map((e) => e.data);
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  return {
    at: performance.now(),
    active: ex.filter((e) => e.status === OPEN).length,
    settled: ex.filter((e) => e.status === SETTLED).length,
    burned: sum(ex.map((e) => e.consumed)),
    maxBurn: sum(ex.map((e) => e.maxBurn)),
    earned: sum(accounts.operators.map((o) => o.data.totalEarned)),
    claimed: sum(accounts.operators.map((o) => o.data.totalClaimed)),
    vault,
    vaultOk: vaultCheck(vault, config.data, accounts).surplus === 0n,
    settler,
  };
}

/** Receipts per second between two snapshots. */
export function rates(prev: Snapshot | null, now: Snapshot): { accepted: number; settled: number } {
  if (!prev || now.at <= prev.at) return { accepted: 0, settled: 0 };
  const secs = (now.at - prev.at) / 1000;
  return { accepted: (now.settler.accepted - prev.settler.accepted) / secs, settled: (now.settler.settled - prev.settler.settled) / secs };
}

/** Three lines of at most ~90 characters: executions and tokens, receipts and transactions, the vault. */
export function render(s: Snapshot, r: { accepted: number; settled: number }): string[] {
  const c = s.settler;
  return [
    `executions ${s.active} active, ${s.settled} finalized │ burned ${tokens(s.burned)} of max ${tokens(s.maxBurn)} │ operators earned ${tokens(s.earned)}, claimed ${tokens(s.claimed)}`,
    `receipts ${c.accepted} accepted (${r.accepted.toFixed(0)}/s), ${c.settled} landed (${r.settled.toFixed(0)}/s), ${c.queueDepth} queued │ tx ${c.txSent} sent, ${c.txConfirmed} confirmed`,
    `vault ${tokens(s.vault)} ${s.vaultOk ? "= liabilities (conserved)" : "≠ LIABILITIES"}`,
  ];
}

export interface Ticker {
  /** Prints a line above the status line. */
  log(line: string): void;
  /** Peak and mean receipts/s accepted so far. */
  stats(): { peakAccepted: number; peakSettled: number };
  stop(): Promise<void>;
}

export function startTicker(world: DemoWorld, api: SettlerApi, out: NodeJS.WriteStream = process.stdout, periodMs = 1_000): Ticker {
  const tty = out.isTTY === true;
  let status: string[] = [];
  let drawn = 0; // status lines on screen below the log
  let prev: Snapshot | null = null;
  let peakAccepted = 0;
  let peakSettled = 0;
  let lastPrinted = 0;
  let stopped = false;
  const fit = (line: string) => (out.columns > 10 && line.length >= out.columns ? `${line.slice(0, out.columns - 2)}…` : line);
  /** Back to the first status line and clear from there down. */
  const erase = () => {
    if (drawn > 0) out.write(`\r${drawn > 1 ? `\x1b[${drawn - 1}A` : ""}\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    if (!tty || status.length === 0) return;
    erase();
    out.write(status.map(fit).join("\n"));
    drawn = status.length;
  };
  const tick = async () => {
    try {
      const now = await snapshot(world, api);
      const r = rates(prev, now);
      peakAccepted = Math.max(peakAccepted, r.accepted);
      peakSettled = Math.max(peakSettled, r.settled);
      prev = now;
      status = render(now, r);
      if (stopped) return;
      if (tty) draw();
      else if (now.at - lastPrinted >= 3_000) {
        lastPrinted = now.at;
        out.write(`[ticker] ${status.join(" │ ")}\n`);
      }
    } catch {
      // The validator or settler is busy or going away: keep the last lines.
    }
  };
  let running = tick();
  const timer = setInterval(() => {
    running = running.then(tick);
  }, periodMs);
  return {
    log(line) {
      if (!tty) return void out.write(`${line}\n`);
      erase();
      out.write(`${line}\n`);
      draw();
    },
    stats: () => ({ peakAccepted, peakSettled }),
    async stop() {
      clearInterval(timer);
      await running;
      stopped = true;
      if (tty && status.length > 0) {
        draw();
        out.write("\n");
        drawn = 0;
      }
    },
  };
}
