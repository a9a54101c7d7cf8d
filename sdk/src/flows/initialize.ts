// initialize: the program's upgrade authority creates a deployment (Config at
// ["config", salt]) with its vault (the config PDA's associated token account) and treasury.
import { fetchEncodedAccount, type Address, type Instruction, type TransactionSigner } from "@solana/kit";
import { getInitializeInstruction } from "../generated/instructions";
import { programDataAddress } from "../deploy/loaderAccounts.ts";
import { fetchDeployment, type Deployment } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { configAddress } from "../pdas.ts";
import { PROGRAM_ID } from "../program.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";
import { createAssociatedTokenAccountIdempotent, payoutAccount } from "./tokens.ts";

export interface InitializeFlowInput {
  /** The program's upgrade authority; becomes the admin. */
  admin: TransactionSigner;
  programAddress?: Address;
  mint: Address;
  /** Fee destination (a token account of the mint); the admin's associated token account by default. */
  treasury?: Address;
  /** Default router of new executions. */
  router: Address;
  /** 32 bytes telling this deployment apart; fresh random bytes by default. */
  salt?: Uint8Array;
  feeBps: number;
  expiryGraceSecs?: bigint;
  settlementWindowSecs?: bigint;
  minDurationSecs?: bigint;
  reviewWindowSecs?: bigint;
}

export interface InitializeResult extends FlowResult {
  deployment: Deployment;
  salt: Uint8Array;
}

/** What the initialize builder takes: the flow's input with the salt and the mint's token program known. */
export interface InitializeInstructionsInput extends InitializeFlowInput {
  salt: Uint8Array;
  /** The mint's owner (SPL Token or Token-2022). */
  tokenProgram: Address;
  /** The vault (a token account of the mint owned by the config); the config's associated token account, created, by default. */
  vault?: Address;
}

/**
 * Creates the vault and treasury associated token accounts when they are the defaults, then
 * initialize (nothing sent, nothing read), and the config account it creates.
 */
export async function initializeInstructions(input: InitializeInstructionsInput): Promise<{ instructions: Instruction[]; config: Address }> {
  const programAddress = input.programAddress ?? PROGRAM_ID;
  const [config] = await configAddress(input.salt, programAddress);
  const vault = input.vault
    ? { address: input.vault, instructions: [] }
    : await createAssociatedTokenAccountIdempotent(input.admin, config, input.mint, input.tokenProgram).then((a) => ({ address: a.address, instructions: [a.instruction] }));
  const treasury = await payoutAccount(input.admin, input.mint, input.tokenProgram, input.treasury);
  const initialize = getInitializeInstruction(
    {
      admin: input.admin,
      config,
      mint: input.mint,
      vault: vault.address,
      treasury: treasury.address,
      router: input.router,
      tokenProgram: input.tokenProgram,
      programData: await programDataAddress(programAddress),
      salt: input.salt,
      feeBps: input.feeBps,
      expiryGraceSecs: input.expiryGraceSecs ?? 3_600n,
      settlementWindowSecs: input.settlementWindowSecs ?? 600n,
      minDurationSecs: input.minDurationSecs ?? 60n,
      reviewWindowSecs: input.reviewWindowSecs ?? 604_800n,
    },
    { programAddress },
  );
  return { instructions: [...vault.instructions, ...treasury.instructions, initialize], config };
}

export async function initialize(client: SolanaClient, input: InitializeFlowInput, opts: FlowOptions = {}): Promise<InitializeResult> {
  const programAddress = input.programAddress ?? PROGRAM_ID;
  const salt = input.salt ?? crypto.getRandomValues(new Uint8Array(32));
  if (salt.length !== 32) throw clientError("InvalidInput", `salt must be 32 bytes, not ${salt.length}`);
  const mint = await fetchEncodedAccount(client.rpc, input.mint, { commitment: "confirmed" });
  if (!mint.exists) throw clientError("AccountNotFound", `mint ${input.mint} does not exist`);
  const { instructions, config } = await initializeInstructions({ ...input, salt, tokenProgram: mint.programAddress });
  const signature = await sendFlow(client, { programAddress }, input.admin, instructions, opts);
  return { signature, salt, deployment: await fetchDeployment(client.rpc, config) };
}
