// top_up: more of the buyer's available balance into an open execution's max burn.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getTopUpInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { balanceAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface TopUpFlowInput {
  buyer: TransactionSigner;
  execution: Address;
  amount: bigint;
}

/** The top_up instruction (nothing sent, amount unchecked: the flow checks it). */
export async function topUpInstructions(deployment: Pick<DeploymentAccounts, "programAddress" | "config">, input: TopUpFlowInput): Promise<Instruction[]> {
  return [
    getTopUpInstruction(
      {
        buyer: input.buyer,
        config: deployment.config,
        balance: await balanceAddress(deployment.config, input.buyer.address, deployment.programAddress),
        execution: input.execution,
        amount: input.amount,
      },
      { programAddress: deployment.programAddress },
    ),
  ];
}

export async function topUp(client: SolanaClient, deployment: Deployment, input: TopUpFlowInput, opts: FlowOptions = {}): Promise<FlowResult> {
  if (input.amount <= 0n) throw clientError("ZeroAmount", "amount must be greater than zero");
  return { signature: await sendFlow(client, deployment, input.buyer, await topUpInstructions(deployment, input), opts) };
}
