// A deployment for flow tests, made only through the SDK over RPC: the program deployed with
// loader-v3 at a fresh address, a 6-decimal mint, and `initialize`. Made once per test run.
import { generateKeyPairSigner, type Address, type KeyPairSigner } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import { getInitializeMint2Instruction, getMintSize, getMintToInstruction, TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import { deployProgram } from "../../src/deploy/loader.ts";
import type { Deployment } from "../../src/deployment.ts";
import { initialize } from "../../src/flows/initialize.ts";
import { createAssociatedTokenAccountIdempotent } from "../../src/flows/tokens.ts";
import { sendInstructions } from "../../src/tx/send.ts";
import type { SolanaClient } from "../../src/tx/client.ts";
import { cluster, fundedSigner, programElf, type TestCluster } from "./cluster.ts";

export interface TestDeployment {
  c: TestCluster;
  client: SolanaClient;
  deployment: Deployment;
  admin: KeyPairSigner;
  router: KeyPairSigner;
  programId: Address;
}

let made: Promise<TestDeployment> | null = null;

export function testDeployment(): Promise<TestDeployment> {
  made ??= (async () => {
    const c = await cluster();
    const client = c.client;
    const admin = await fundedSigner(client, 50n);
    const router = await fundedSigner(client, 10n);
    const program = await generateKeyPairSigner();
    await deployProgram(client, { elf: programElf(), program, authority: admin });
    const mint = await createMint(client, admin, 6);
    const { deployment } = await initialize(client, {
      admin,
      programAddress: program.address,
      mint,
      router: router.address,
      feeBps: 250,
      expiryGraceSecs: 4n,
      settlementWindowSecs: 2n,
      minDurationSecs: 1n,
      reviewWindowSecs: 3n,
    });
    return { c, client, deployment, admin, router, programId: program.address };
  })();
  return made;
}

/**
 * A mint of `tokenProgram` (SPL Token, or Token-2022 without extensions: the base mint layout
 * and InitializeMint2 are the same in both).
 */
export async function createMint(client: SolanaClient, authority: KeyPairSigner, decimals: number, tokenProgram: Address = TOKEN_PROGRAM_ADDRESS): Promise<Address> {
  const mint = await generateKeyPairSigner();
  const space = getMintSize();
  const rent = await client.rpc.getMinimumBalanceForRentExemption(BigInt(space)).send();
  await sendInstructions(client, authority, [
    getCreateAccountInstruction({ payer: authority, newAccount: mint, lamports: rent, space, programAddress: tokenProgram }),
    getInitializeMint2Instruction({ mint: mint.address, decimals, mintAuthority: authority.address }, { programAddress: tokenProgram as typeof TOKEN_PROGRAM_ADDRESS }),
  ]);
  return mint.address;
}

/** A funded wallet whose associated token account holds `tokens` base units. */
export async function newWallet(t: TestDeployment, tokens = 0n): Promise<{ wallet: KeyPairSigner; tokenAccount: Address }> {
  const wallet = await fundedSigner(t.client, 10n);
  const ata = await createAssociatedTokenAccountIdempotent(wallet, wallet.address, t.deployment.mint, t.deployment.tokenProgram);
  const ixs = [ata.instruction];
  const tokenProgram = { programAddress: t.deployment.tokenProgram as typeof TOKEN_PROGRAM_ADDRESS };
  if (tokens > 0n) ixs.push(getMintToInstruction({ mint: t.deployment.mint, token: ata.address, mintAuthority: t.admin, amount: tokens }, tokenProgram));
  await sendInstructions(t.client, t.admin, ixs.length > 1 ? ixs : ixs, {});
  return { wallet, tokenAccount: ata.address };
}
