// claim: an operator takes its claimable earnings out (works while paused or suspended).
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getClaimInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { operatorAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";
import { payoutAccount } from "./tokens.ts";

export interface ClaimFlowInput {
  authority: TransactionSigner;
  amount: bigint;
  /** Token account credited; the authority's associated token account (created if needed) by default. */
  destination?: Address;
}

/** The claim instruction, after the payout account's creation when it is the default (nothing sent). */
export async function claimInstructions(deployment: DeploymentAccounts, input: ClaimFlowInput): Promise<Instruction[]> {
  const payout = await payoutAccount(input.authority, deployment.mint, deployment.tokenProgram, input.destination);
  return [
    ...payout.instructions,
    getClaimInstruction(
      {
        authority: input.authority,
        config: deployment.config,
        operator: await operatorAddress(deployment.config, input.authority.address, deployment.programAddress),
        vault: deployment.vault,
        destination: payout.address,
        mint: deployment.mint,
        tokenProgram: deployment.tokenProgram,
        amount: input.amount,
      },
      { programAddress: deployment.programAddress },
    ),
  ];
}

export async function claim(client: SolanaClient, deployment: Deployment, input: ClaimFlowInput, opts: FlowOptions = {}): Promise<FlowResult> {
  if (input.amount <= 0n) throw clientError("ZeroAmount", "amount must be greater than zero");
  return { signature: await sendFlow(client, deployment, input.authority, await claimInstructions(deployment, input), opts) };
}
