// The demo's world on a fresh validator, made through the SDK only: the program deployed
// through the upgradeable loader with a deployment (deployAll), the router, three operators
// with a GPU node key each and a rate card for three SKUs (registered, activated), and buyers
// holding SOL and an account of the validator's USDC-like mint.
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  OperatorStatus,
  createAssociatedTokenAccountIdempotent,
  deployAll,
  registerOperator,
  sendInstructions,
  setOperatorStatus,
  type Deployment,
  type SolanaClient,
} from "@arknet/escrow";
import { airdropFactory, createKeyPairSignerFromBytes, generateKeyPairSigner, lamports, type Address, type KeyPairSigner } from "@solana/kit";
import { PROGRAM_SO } from "./paths.ts";

export const SKUS = ["H100", "A100", "RTX5090"] as const;
export type Sku = (typeof SKUS)[number];

/** Token base units (6 decimals) per GPU-second, one rate card per operator. */
const RATE_CARDS: { name: string; rates: Record<Sku, bigint> }[] = [
  { name: "atlas", rates: { H100: 800n, A100: 500n, RTX5090: 200n } },
  { name: "boreal", rates: { H100: 760n, A100: 530n, RTX5090: 180n } },
  { name: "cirrus", rates: { H100: 840n, A100: 470n, RTX5090: 220n } },
];
export const FEE_BPS = 250;

export interface DemoOperator {
  name: string;
  authority: KeyPairSigner;
  /** The GPU nodes' receipt signing key. */
  key: KeyPairSigner;
  account: Address;
  rates: Record<Sku, bigint>;
}

export interface DemoBuyer {
  name: string;
  signer: KeyPairSigner;
  tokenAccount: Address;
}

export interface DemoWorld {
  client: SolanaClient;
  deployment: Deployment;
  admin: KeyPairSigner;
  router: KeyPairSigner;
  /** The router's 64-byte secret key, for the settler's keypair file. */
  routerSecret: Uint8Array;
  /** The mint's authority (the validator's dev faucet). */
  mintAuthority: KeyPairSigner;
  operators: DemoOperator[];
  buyers: DemoBuyer[];
  deploySeconds: number;
}

/** A fresh ed25519 key as a Solana CLI secret key (seed ‖ public key). */
function newSecretKey(): Uint8Array {
  const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  return new Uint8Array([...Buffer.from(jwk.d!, "base64url"), ...Buffer.from(jwk.x!, "base64url")]);
}

async function funded(client: SolanaClient, sol: bigint): Promise<KeyPairSigner> {
  const s = await generateKeyPairSigner();
  await airdropFactory(client)({ recipientAddress: s.address, lamports: lamports(sol * 1_000_000_000n), commitment: "confirmed" });
  return s;
}

async function makeOperator(client: SolanaClient, d: Deployment, admin: KeyPairSigner, card: (typeof RATE_CARDS)[number]): Promise<DemoOperator> {
  const authority = await funded(client, 2n);
  const key = await generateKeyPairSigner();
  const rates = SKUS.map((sku) => ({ sku, price: card.rates[sku] }));
  const { operator } = await registerOperator(client, d, { authority, signingKey: key, rates });
  await setOperatorStatus(client, d, { admin, operator, status: OperatorStatus.Active });
  return { name: card.name, authority, key, account: operator, rates: card.rates };
}

async function makeBuyer(client: SolanaClient, d: Deployment, index: number): Promise<DemoBuyer> {
  const signer = await funded(client, 2n);
  const ata = await createAssociatedTokenAccountIdempotent(signer, signer.address, d.mint, d.tokenProgram);
  await sendInstructions(client, signer, [ata.instruction]);
  return { name: `buyer-${index + 1}`, signer, tokenAccount: ata.address };
}

export async function setupWorld(client: SolanaClient, input: { mint: Address; mintAuthoritySecret: Uint8Array; buyers: number }): Promise<DemoWorld> {
  const admin = await funded(client, 20n);
  const routerSecret = newSecretKey();
  const router = await createKeyPairSignerFromBytes(routerSecret);
  await airdropFactory(client)({ recipientAddress: router.address, lamports: lamports(50n * 1_000_000_000n), commitment: "confirmed" });
  const mintAuthority = await createKeyPairSignerFromBytes(input.mintAuthoritySecret);
  const program = await generateKeyPairSigner();
  const started = performance.now();
  const deployed = await deployAll(client, {
    elf: new Uint8Array(readFileSync(PROGRAM_SO)),
    program,
    authority: admin,
    deployment: { mint: input.mint, router: router.address, feeBps: FEE_BPS, minDurationSecs: 1n },
  });
  const deploySeconds = (performance.now() - started) / 1000;
  const deployment = deployed.deployment!;
  const operators = await Promise.all(RATE_CARDS.map((card) => makeOperator(client, deployment, admin, card)));
  const buyers = await Promise.all(Array.from({ length: input.buyers }, (_, i) => makeBuyer(client, deployment, i)));
  return { client, deployment, admin, router, routerSecret, mintAuthority, operators, buyers, deploySeconds };
}
