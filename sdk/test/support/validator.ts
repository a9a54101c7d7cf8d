// The real Agave test validator (../shared/bin from the repo root) for tests over RPC:
// ports 38000–38999 only, a fresh ledger in a temp dir, killed when the tests end.
// SBPF v0 builds deploy through the loader only with SIMD-0500 deactivated; v3 builds need nothing.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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

/** SBPF version of an ELF (its e_flags): 0 for v0, 3 for v3. */
export function sbpfVersion(elf: Uint8Array): number {
  return new DataView(elf.buffer, elf.byteOffset, elf.byteLength).getUint32(48, true);
}

/**
 * Starts the validator on `rpcPort` (faucet +2, gossip +3, dynamic range +10…+60) and waits
 * until it is healthy. Every feature stays active (as on devnet and mainnet) unless
 * `allowSbpfV0`: then SIMD-0500 is deactivated so v0 builds deploy through the loader.
 */
export async function startValidator(binary: string, rpcPort = 38000, extraArgs: string[] = [], allowSbpfV0 = false): Promise<RunningValidator> {
  const ledger = mkdtempSync(join(tmpdir(), "arknet-sdk-ledger-"));
  const args = [
    "--ledger", ledger, "--reset", "--quiet",
    "--bind-address", "127.0.0.1",
    "--rpc-port", String(rpcPort),
    "--faucet-port", String(rpcPort + 2),
    "--gossip-port", String(rpcPort + 3),
    "--dynamic-port-range", `${rpcPort + 10}-${rpcPort + 60}`,
    ...(allowSbpfV0 ? ["--deactivate-feature", SIMD_0500] : []),
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
    if (child.exitCode !== null) {
      const log = existsSync(join(ledger, "validator.log")) ? readFileSync(join(ledger, "validator.log"), "utf8").split("\n").filter((l) => /ERROR|panicked|Error/.test(l)).slice(-3).join("\n") : "";
      rmSync(ledger, { recursive: true, force: true });
      throw new Error(`solana-test-validator exited (${child.exitCode}) on port ${rpcPort}: ${stderr.slice(-1000)}${log}`);
    }
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
