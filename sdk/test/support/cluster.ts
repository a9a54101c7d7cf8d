// One validator per test run, shared by every test file: Agave's real solana-test-validator
// from ../shared/bin when it is there (ports 38000–38999), else the project's localnet
// (in-process). ARKNET_VALIDATOR=localnet or =solana-test-validator forces one (the latter
// skips, printing why, when the binary is absent). Either way the SDK deploys the escrow itself
// (loader-v3 over RPC).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { airdropFactory, generateKeyPairSigner, lamports, type KeyPairSigner } from "@solana/kit";
import { startLocalnet } from "@arknet/localnet/launch";
import { createClient, type SolanaClient } from "../../src/tx/client.ts";
import { REPO_ROOT, startValidator, validatorBinary } from "./validator.ts";

export const SO_PATH = process.env.ARKNET_SO ?? join(REPO_ROOT, "target/deploy/arknet_escrow.so");
export const USE_AGAVE =
  process.env.ARKNET_VALIDATOR === "solana-test-validator" || (process.env.ARKNET_VALIDATOR !== "localnet" && validatorBinary() !== null);

export interface TestCluster {
  kind: "localnet" | "solana-test-validator";
  client: SolanaClient;
  rpcUrl: string;
  wsUrl: string;
  stop(): Promise<void>;
}

let started: Promise<TestCluster> | null = null;

export function clusterUnavailableReason(): string | null {
  if (USE_AGAVE && !validatorBinary()) return "skipped: ARKNET_VALIDATOR=solana-test-validator but ../shared/bin/solana-test-validator is absent";
  return null;
}

/** The shared validator; call from a `before` hook after `requireCluster`. */
export function cluster(): Promise<TestCluster> {
  started ??= (async () => {
    const v = USE_AGAVE
      ? { kind: "solana-test-validator" as const, ...(await startValidator(validatorBinary()!, Number(process.env.ARKNET_TEST_RPC_PORT ?? 38000))) }
      : { ...(await startLocalnet({ escrow: false, slotMs: 100 })), kind: "localnet" as const };
    return { kind: v.kind, client: createClient(v.rpcUrl, v.wsUrl), rpcUrl: v.rpcUrl, wsUrl: v.wsUrl, stop: v.stop };
  })();
  return started;
}

export async function stopCluster(): Promise<void> {
  if (!started) return;
  const c = await started.catch(() => null);
  started = null;
  await c?.stop();
}

/** A fresh keypair holding `sol` SOL from the faucet. */
export async function fundedSigner(client: SolanaClient, sol = 100n): Promise<KeyPairSigner> {
  const signer = await generateKeyPairSigner();
  await airdropFactory(client)({ recipientAddress: signer.address, lamports: lamports(sol * 1_000_000_000n), commitment: "confirmed" });
  return signer;
}

export function programElf(): Uint8Array {
  return new Uint8Array(readFileSync(SO_PATH));
}

/** Skips the suite (printing why) when the selected validator is absent. */
export function requireCluster(ctx: Mocha.Context): void {
  const reason = clusterUnavailableReason();
  if (reason) {
    console.log(`      ${reason}`);
    ctx.skip();
  }
}
