// An escrow deployment on a validator process, made only through the SDK over RPC: the
// localnet's escrow (deployed at the IDL address), its USDC-like mint, `initialize` with short
// windows, active operators, funded buyers with reserved executions.
import {
  OperatorStatus,
  createAssociatedTokenAccountIdempotent,
  createClient,
  deposit,
  initialize,
  registerOperator,
  reserve,
  sendInstructions,
  setOperatorStatus,
  type Deployment,
  type SolanaClient,
} from "@arknet/escrow";
import { airdropFactory, createKeyPairSignerFromBytes, generateKeyPairSigner, lamports, type Address, type KeyPairSigner } from "@solana/kit";
import { getMintToInstruction } from "@solana-program/token";
import type { RunningValidator } from "@arknet/localnet/launch";
import { ed25519 } from "@noble/curves/ed25519.js";

/** A Solana CLI secret key: 32-byte seed then public key. */
function secretKey(): Uint8Array {
  const seed = ed25519.utils.randomSecretKey();
  return new Uint8Array([...seed, ...ed25519.getPublicKey(seed)]);
}

export interface TestEscrow {
  client: SolanaClient;
  deployment: Deployment;
  admin: KeyPairSigner;
  router: KeyPairSigner;
  /** The router's 64-byte Solana CLI secret key (the settler's keypair file). */
  routerSecret: Uint8Array;
  faucet: KeyPairSigner;
}

export interface TestOperator {
  authority: KeyPairSigner;
  /** The operator account (PDA). */
  account: Address;
  /** 32-byte ed25519 seed of the receipt signing key. */
  seed: Uint8Array;
  key: KeyPairSigner;
  price: bigint;
}

export async function funded(client: SolanaClient, sol = 10n): Promise<KeyPairSigner> {
  const s = await generateKeyPairSigner();
  await airdropFactory(client)({ recipientAddress: s.address, lamports: lamports(sol * 1_000_000_000n), commitment: "confirmed" });
  return s;
}

export async function makeEscrow(v: RunningValidator, timing = { reviewWindowSecs: 1n, expiryGraceSecs: 2n, settlementWindowSecs: 1n }): Promise<TestEscrow> {
  const client = createClient(v.rpcUrl, v.wsUrl);
  const admin = await createKeyPairSignerFromBytes(v.upgradeAuthority.secretKey);
  const faucet = await createKeyPairSignerFromBytes(v.faucet.secretKey);
  const routerSecret = secretKey();
  const router = await createKeyPairSignerFromBytes(routerSecret);
  await airdropFactory(client)({ recipientAddress: router.address, lamports: lamports(50n * 1_000_000_000n), commitment: "confirmed" });
  const { deployment } = await initialize(client, {
    admin,
    mint: v.usdcMint as Address,
    router: router.address,
    feeBps: 250,
    minDurationSecs: 1n,
    ...timing,
  });
  return { client, deployment, admin, router, routerSecret, faucet };
}

export async function makeOperator(t: TestEscrow, price: bigint, sku = "H100"): Promise<TestOperator> {
  const authority = await funded(t.client);
  const secret = secretKey();
  const seed = secret.slice(0, 32);
  const key = await createKeyPairSignerFromBytes(secret);
  const { operator } = await registerOperator(t.client, t.deployment, { authority, signingKey: key, rates: [{ sku, price }] });
  await setOperatorStatus(t.client, t.deployment, { admin: t.admin, operator, status: OperatorStatus.Active });
  return { authority, account: operator, seed, key, price };
}

/** A buyer with `tokens` deposited and one execution reserved per max burn given. */
export async function makeBuyer(t: TestEscrow, tokens: bigint, maxBurns: bigint[], durationSecs = 3600n): Promise<{ buyer: KeyPairSigner; executions: Address[] }> {
  const buyer = await funded(t.client);
  const ata = await createAssociatedTokenAccountIdempotent(buyer, buyer.address, t.deployment.mint, t.deployment.tokenProgram);
  await sendInstructions(t.client, buyer, [ata.instruction]);
  await sendInstructions(t.client, t.faucet, [getMintToInstruction({ mint: t.deployment.mint, token: ata.address, mintAuthority: t.faucet, amount: tokens })]);
  await deposit(t.client, t.deployment, { depositor: buyer, amount: tokens });
  const executions: Address[] = [];
  for (const maxBurn of maxBurns) executions.push((await reserve(t.client, t.deployment, { buyer, maxBurn, durationSecs })).execution);
  return { buyer, executions };
}
