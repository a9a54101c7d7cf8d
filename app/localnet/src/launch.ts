// Starting a validator for tests and tools: the embedded localnet (in-process), or Agave's
// real solana-test-validator (a child process on free ports in 28000–28999, its ledger in a
// temporary directory, killed on stop and on exit). `startValidator` picks one from
// ARKNET_VALIDATOR so every e2e test runs against either.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, accessSync, constants } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_KEYS, writeKeypairFile, type Keypair } from "./chain/keys.ts";
import { TOKEN_PROGRAM } from "./chain/constants.ts";
import { toBase64 } from "./chain/codec.ts";
import { stringify } from "./rpc/encode.ts";
import { defaultEscrowProgram, startNode, USDC_DECIMALS, type LocalnetOptions } from "./node.ts";
import type { ProgramSpec } from "./chain/svm.ts";

export interface RunningValidator {
  kind: "localnet" | "solana-test-validator";
  rpcUrl: string;
  wsUrl: string;
  /** Deployed programs (upgradeable, authority `upgradeAuthority`). */
  programs: ProgramSpec[];
  /** Dev keys shared by both validators: funded, and the mint's authority (faucet). */
  upgradeAuthority: Keypair;
  faucet: Keypair;
  usdcMint: string;
  usdcDecimals: number;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export async function startLocalnet(opts: LocalnetOptions = {}): Promise<RunningValidator> {
  const node = await startNode({ rpcPort: 0, log: () => {}, ...opts });
  return {
    kind: "localnet",
    rpcUrl: node.rpcUrl,
    wsUrl: node.wsUrl,
    programs: node.programs,
    upgradeAuthority: node.upgradeAuthority,
    faucet: node.faucet,
    usdcMint: node.usdcMint,
    usdcDecimals: USDC_DECIMALS,
    stop: () => node.stop(),
  };
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where solana-test-validator is: $PATH, then ../shared/bin from the repo root; or why not. */
export function findAgave(): { path: string } | { reason: string } {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, "solana-test-validator");
    if (dir && executable(p)) return { path: p };
  }
  const candidates = [join(REPO_ROOT, "..", "shared", "bin", "solana-test-validator")];
  // In a git worktree, ../shared is beside the main checkout.
  try {
    const gitFile = readFileSync(join(REPO_ROOT, ".git"), "utf8");
    const m = gitFile.match(/^gitdir: (.*)\/\.git\/worktrees\//m);
    if (m) candidates.push(join(m[1], "..", "shared", "bin", "solana-test-validator"));
  } catch {}
  for (const c of candidates) if (executable(c)) return { path: c };
  return { reason: `solana-test-validator is neither on PATH nor at ${candidates.join(" or ")}` };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** A block of 100 ports in 28000–28999 whose first four are free. */
async function portBlock(): Promise<number> {
  const blocks = [...Array(10).keys()].map((k) => 28000 + 100 * k).sort(() => Math.random() - 0.5);
  for (const base of blocks) {
    const free = await Promise.all([0, 1, 2, 3].map((i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error("no free port block in 28000–28999");
}

function accountFile(dir: string, name: string, address: string, lamports: bigint, data: Uint8Array, owner: string): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    stringify({
      pubkey: address,
      account: { lamports, data: [toBase64(data), "base64"], owner, executable: false, rentEpoch: 2n ** 64n - 1n, space: data.length },
    }),
  );
  return path;
}

async function rpcCall(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  return res.json();
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }
});

export interface AgaveOptions {
  /** Programs besides the escrow (deployed at genesis with --upgradeable-program). */
  programs?: ProgramSpec[];
  escrow?: boolean;
  slotMs?: number;
  bin?: string;
  startTimeoutMs?: number;
}

/**
 * Starts Agave's solana-test-validator with the same genesis as the localnet (escrow program
 * with the dev upgrade authority, the USDC-like mint, funded dev keys), or returns null when
 * the binary cannot be found (`findAgave()` says why).
 */
export async function startAgave(opts: AgaveOptions = {}): Promise<RunningValidator | null> {
  const found = opts.bin ? { path: opts.bin } : findAgave();
  if (!("path" in found)) return null;
  const programs = [...(opts.programs ?? [])];
  const escrow = opts.escrow === false ? null : defaultEscrowProgram();
  if (escrow && !programs.some((p) => p.programId === escrow.programId)) programs.unshift(escrow);
  const upgradeAuthority = DEV_KEYS.upgradeAuthority();
  const faucet = DEV_KEYS.faucet();
  const mint = DEV_KEYS.usdcMint();
  const dir = mkdtempSync(join(tmpdir(), "arknet-agave-"));
  const ledger = join(dir, "ledger");
  const mintData = new Uint8Array(82);
  mintData[0] = 1;
  mintData.set(faucet.publicKey, 4);
  mintData[44] = USDC_DECIMALS;
  mintData[45] = 1;
  const accounts = [
    accountFile(dir, "faucet", faucet.address, 500_000_000n * 1_000_000_000n, new Uint8Array(0), "11111111111111111111111111111111"),
    accountFile(dir, "authority", upgradeAuthority.address, 1_000_000_000_000n, new Uint8Array(0), "11111111111111111111111111111111"),
    accountFile(dir, "mint", mint.address, 1_461_600n, mintData, TOKEN_PROGRAM),
  ];
  writeKeypairFile(join(dir, "upgrade-authority.json"), upgradeAuthority);
  const base = await portBlock();
  const args = [
    "--ledger", ledger, "--reset", "--quiet",
    "--bind-address", "127.0.0.1",
    "--rpc-port", String(base),
    "--faucet-port", String(base + 2),
    "--gossip-port", String(base + 3),
    "--dynamic-port-range", `${base + 10}-${base + 99}`,
  ];
  for (const a of accounts) {
    const name = JSON.parse(readFileSync(a, "utf8")).pubkey;
    args.push("--account", name, a);
  }
  for (const p of programs) args.push("--upgradeable-program", p.programId, p.path, upgradeAuthority.address);
  if (opts.slotMs) args.push("--slots-per-epoch", "432000");
  const child = spawn(found.path, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  live.add(child);
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d.toString()));
  const rpcUrl = `http://127.0.0.1:${base}`;
  let exited = false;
  child.once("exit", () => {
    exited = true;
    live.delete(child);
  });
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
      await new Promise<void>((resolve) => (exited ? resolve() : child.once("exit", () => resolve())));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`solana-test-validator exited at start: ${stderr.slice(-2000)}`);
    }
    try {
      const r = await rpcCall(rpcUrl, "getSlot", [{ commitment: "processed" }]);
      if (typeof r.result === "number" && r.result >= 1) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error("solana-test-validator did not start in time");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    kind: "solana-test-validator",
    rpcUrl,
    wsUrl: `ws://127.0.0.1:${base + 1}`,
    programs,
    upgradeAuthority,
    faucet,
    usdcMint: mint.address,
    usdcDecimals: USDC_DECIMALS,
    stop,
  };
}

/** Which validator ARKNET_VALIDATOR asks for: "solana-test-validator" or the embedded localnet. */
export function selectedValidator(): "localnet" | "solana-test-validator" {
  return process.env.ARKNET_VALIDATOR === "solana-test-validator" ? "solana-test-validator" : "localnet";
}

/** Starts the validator ARKNET_VALIDATOR selects (the localnet by default). */
export async function startValidator(opts: LocalnetOptions & AgaveOptions = {}): Promise<RunningValidator> {
  if (selectedValidator() === "localnet") return startLocalnet(opts);
  const agave = await startAgave(opts);
  if (!agave) {
    const f = findAgave();
    throw new Error(`ARKNET_VALIDATOR=solana-test-validator: ${"reason" in f ? f.reason : "not found"}`);
  }
  return agave;
}

export { existsSync };
