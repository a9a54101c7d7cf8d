// One real validator per test run, shared by every test file: started on first use,
// stopped by the root hook. Tests that need it skip with the reason when it is absent.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { airdropFactory, generateKeyPairSigner, lamports, type KeyPairSigner } from "@solana/kit";
import { createClient, type SolanaClient } from "../../src/tx/client.ts";
import { REPO_ROOT, startValidator, validatorBinary, type RunningValidator } from "./validator.ts";

export const SO_PATH = process.env.ARKNET_SO ?? join(REPO_ROOT, "target/deploy/arknet_escrow.so");

export interface TestCluster {
  validator: RunningValidator;
  client: SolanaClient;
  rpcUrl: string;
}

let started: Promise<TestCluster> | null = null;

export function clusterUnavailableReason(): string | null {
  return validatorBinary() ? null : "skipped: ../shared/bin/solana-test-validator is absent";
}

/** The shared validator; call from a `before` hook after checking `clusterUnavailableReason`. */
export function cluster(): Promise<TestCluster> {
  started ??= (async () => {
    const validator = await startValidator(validatorBinary()!, Number(process.env.ARKNET_TEST_RPC_PORT ?? 38000));
    return { validator, client: createClient(validator.rpcUrl, validator.wsUrl), rpcUrl: validator.rpcUrl };
  })();
  return started;
}

export async function stopCluster(): Promise<void> {
  if (!started) return;
  const c = await started.catch(() => null);
  started = null;
  await c?.validator.stop();
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

/** Skips the suite (printing why) when the validator is absent. */
export function requireCluster(ctx: Mocha.Context): void {
  const reason = clusterUnavailableReason();
  if (reason) {
    console.log(`      ${reason}`);
    ctx.skip();
  }
}
