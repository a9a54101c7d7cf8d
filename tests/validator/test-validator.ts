// The real Agave solana-test-validator (../shared/bin from the repo root), started on this
// suite's own loopback ports with a throwaway ledger, and stopped by the caller's after().
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSolanaRpc, type Rpc, type SolanaRpcApi } from "@solana/kit";

/**
 * `../shared/bin/solana-test-validator` relative to the repository root, or the launcher
 * ARKNET_TEST_VALIDATOR names (a git worktree elsewhere than beside shared/).
 */
export const VALIDATOR_BIN =
  process.env.ARKNET_TEST_VALIDATOR ?? fileURLToPath(new URL("../../../shared/bin/solana-test-validator", import.meta.url));

/** SIMD-0500: refuses loader deployments of SBPF v0/v1/v2 programs. */
export const DISABLE_SBPF_V0_DEPLOYMENT = "B8JJXCy5amZyWG9r7EnUYLwzXSXTxG7GZ1qZ1qggo83g";

// Ports 18000-18999 belong to this suite. The RPC's websocket takes rpc port + 1.
const RPC_PORT = 18899;
const FAUCET_PORT = 18901;
const GOSSIP_PORT = 18001;
const DYNAMIC_PORTS = "18010-18080";

export interface RunningValidator {
  rpc: Rpc<SolanaRpcApi>;
  stop(): Promise<void>;
}

/** Why the validator tests cannot run here, or undefined when they can. */
export function unavailableReason(): string | undefined {
  if (!existsSync(VALIDATOR_BIN)) return `${VALIDATOR_BIN} is absent (only CI and the project's machines have it)`;
  return undefined;
}

/** Starts a validator with every feature on except `deactivate`, and waits until its RPC answers. */
export async function startValidator(deactivate: string[] = []): Promise<RunningValidator> {
  const ledger = mkdtempSync(join(tmpdir(), "arknet-validator-"));
  const args = [
    VALIDATOR_BIN,
    "--ledger", ledger, "--reset", "--quiet",
    "--bind-address", "127.0.0.1",
    "--rpc-port", String(RPC_PORT),
    "--faucet-port", String(FAUCET_PORT),
    "--gossip-port", String(GOSSIP_PORT),
    "--dynamic-port-range", DYNAMIC_PORTS,
    ...deactivate.flatMap((f) => ["--deactivate-feature", f]),
  ];
  // The launcher execs the validator, so this pid is the validator's.
  const child = spawn("bash", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (b) => (stderr += b));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    await kill(child, exited);
    rmSync(ledger, { recursive: true, force: true });
  };
  const rpc = createSolanaRpc(`http://127.0.0.1:${RPC_PORT}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`solana-test-validator exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      if ((await rpc.getSlot({ commitment: "confirmed" }).send()) > 0n) return { rpc, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`solana-test-validator did not answer on ${RPC_PORT} within 60 s: ${stderr}`);
    }
    await sleep(250);
  }
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
