// withdraw: available tokens out of the buyer's balance (never paused).
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getWithdrawInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { balanceAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";
import { payoutAccount } from "./tokens.ts";

export interface WithdrawFlowInput {
  buyer: TransactionSigner;
  amount: bigint;
  /** Token account credited; the buyer's associated token account (created if needed) by default. */
  destination?: Address;
}

/** The withdraw instruction, after the payout account's creation when it is the default (nothing sent). */
export async function withdrawInstructions(deployment: DeploymentAccounts, input: WithdrawFlowInput): Promise<Instruction[]> {
  const payout = await payoutAccount(input.buyer, deployment.mint, deployment.tokenProgram, input.destination);
  return [
    ...payout.instructions,
    getWithdrawInstruction(
      {
        buyer: input.buyer,
        config: deployment.config,
        balance: await balanceAddress(deployment.config, input.buyer.address, deployment.programAddress),
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

export async function withdraw(client: SolanaClient, deployment: Deployment, input: WithdrawFlowInput, opts: FlowOptions = {}): Promise<FlowResult> {
  if (input.amount <= 0n) throw clientError("ZeroAmount", "amount must be greater than zero");
  return { signature: await sendFlow(client, deployment, input.buyer, await withdrawInstructions(deployment, input), opts) };
}
