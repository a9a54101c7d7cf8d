// The whole deployment, idempotent: the program (deploy, upgrade or nothing), a deployment of
// it (initialize unless its config exists), and the IDL on-chain where the cluster allows.
// Used by `arknet deploy` and migrations/deploy.ts.
import { getAddressEncoder, getBase58Encoder, type Address, type KeyPairSigner } from "@solana/kit";
import { fetchDeployment, type Deployment } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { initialize } from "../flows/initialize.ts";
import { configAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import type { SendOptions } from "../tx/send.ts";
import { publishIdl, type IdlPublishResult } from "./idl.ts";
import { deployProgram, type DeployProgramResult, type DeployProgress } from "./loader.ts";

export interface DeploymentSettings {
  mint: Address;
  router: Address;
  feeBps: number;
  treasury?: Address;
  /** 32 bytes; derived from the cluster's genesis hash and the mint by default (stable across re-runs). */
  salt?: Uint8Array;
  expiryGraceSecs?: bigint;
  settlementWindowSecs?: bigint;
  minDurationSecs?: bigint;
  reviewWindowSecs?: bigint;
}

export interface DeployAllInput {
  elf: Uint8Array;
  program: KeyPairSigner;
  authority: KeyPairSigner;
  /** Initialize a deployment with these settings (skipped when absent). */
  deployment?: DeploymentSettings;
  /** The IDL JSON to publish (skipped when absent). */
  idlJson?: string;
  onProgress?: (p: DeployProgress) => void;
  send?: SendOptions;
}

export interface DeployAllResult {
  program: DeployProgramResult;
  deployment: (Deployment & { created: boolean; salt: Uint8Array }) | null;
  idl: IdlPublishResult;
}

/** sha256("arknet-escrow:deployment" ‖ genesis hash ‖ mint): one stable salt per cluster and mint. */
export async function defaultSalt(client: SolanaClient, mint: Address): Promise<Uint8Array> {
  const genesis = await client.rpc.getGenesisHash().send();
  const parts = [new TextEncoder().encode("arknet-escrow:deployment"), getBase58Encoder().encode(genesis), getAddressEncoder().encode(mint)];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

export async function deployAll(client: SolanaClient, input: DeployAllInput): Promise<DeployAllResult> {
  const program = await deployProgram(client, { elf: input.elf, program: input.program, authority: input.authority, onProgress: input.onProgress, send: input.send });
  let deployment: DeployAllResult["deployment"] = null;
  if (input.deployment) {
    const s = input.deployment;
    const salt = s.salt ?? (await defaultSalt(client, s.mint));
    const [config] = await configAddress(salt, input.program.address);
    const existing = await fetchDeployment(client.rpc, config).catch(() => null);
    if (existing) {
      if (existing.mint !== s.mint) throw clientError("InvalidInput", `deployment ${config} exists with mint ${existing.mint}, not ${s.mint}`);
      deployment = { ...existing, created: false, salt };
    } else {
      const r = await initialize(client, { ...s, salt, admin: input.authority, programAddress: input.program.address }, input.send);
      deployment = { ...r.deployment, created: true, salt };
    }
  }
  const idl: IdlPublishResult = input.idlJson
    ? await publishIdl(client, { program: input.program.address, authority: input.authority, idlJson: input.idlJson })
    : { action: "skipped", reason: "no IDL given" };
  return { program, deployment, idl };
}
