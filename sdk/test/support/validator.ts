// The real Agave test validator (../shared/bin from the repo root) for tests over RPC:
// ports 38000–38999 only, a fresh ledger in a temp dir, killed when the tests end.
// SBPF v0 builds deploy through the loader only with SIMD-0500 deactivated.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const SIMD_0500 = "B8JJXCy5amZyWG9r7EnUYLwzXSXTxG7GZ1qZ1qggo83g";

/** ../shared/bin/solana-test-validator from the repo root (or from a worktree's parent), or null. */
export function validatorBinary(): string | null {
  const candidates = [process.env.ARKNET_TEST_VALIDATOR, join(REPO_ROOT, "../shared/bin/solana-test-validator"), join(REPO_ROOT, "../../shared/bin/solana-test-validator")];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? null;
}

export interface RunningValidator {
  rpcUrl: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/** Starts the validator on `rpcPort` (faucet +2, gossip +3, dynamic range +10…+60) and waits until it is healthy. */
export async function startValidator(binary: string, rpcPort = 38000, extraArgs: string[] = []): Promise<RunningValidator> {
  const ledger = mkdtempSync(join(tmpdir(), "arknet-sdk-ledger-"));
  const args = [
    "--ledger", ledger, "--reset", "--quiet",
    "--bind-address", "127.0.0.1",
    "--rpc-port", String(rpcPort),
    "--faucet-port", String(rpcPort + 2),
    "--gossip-port", String(rpcPort + 3),
    "--dynamic-port-range", `${rpcPort + 10}-${rpcPort + 60}`,
    "--deactivate-feature", SIMD_0500,
    ...extraArgs,
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: false });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const kill = () => child.exitCode === null && child.kill("SIGKILL");
  process.once("exit", kill);
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`solana-test-validator exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    const ok = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }),
    }).then((r) => r.json()).then((j: any) => j.result === "ok").catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      kill();
      throw new Error("solana-test-validator did not become healthy in 60 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    rpcUrl,
    wsUrl: `ws://127.0.0.1:${rpcPort + 1}`,
    async stop() {
      process.removeListener("exit", kill);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        kill();
      }
      rmSync(ledger, { recursive: true, force: true });
    },
  };
}
