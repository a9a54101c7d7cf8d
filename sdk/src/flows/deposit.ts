// deposit: tokens from the depositor's token account into a buyer's balance (a sponsor may
// fund someone else's). Creates the balance on first use.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getDepositInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { balanceAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";
import { associatedTokenAccount } from "./tokens.ts";

export interface DepositFlowInput {
  depositor: TransactionSigner;
  amount: bigint;
  /** Whose balance is credited; the depositor's by default. */
  buyer?: Address;
  /** Token account debited; the depositor's associated token account by default. */
  source?: Address;
}

/** The deposit instruction (nothing sent, amount unchecked: the flow checks it). */
export async function depositInstructions(deployment: DeploymentAccounts, input: DepositFlowInput): Promise<Instruction[]> {
  const buyer = input.buyer ?? input.depositor.address;
  return [
    getDepositInstruction(
      {
        depositor: input.depositor,
        buyer,
        config: deployment.config,
        balance: await balanceAddress(deployment.config, buyer, deployment.programAddress),
        source: input.source ?? (await associatedTokenAccount(input.depositor.address, deployment.mint, deployment.tokenProgram)),
        vault: deployment.vault,
        mint: deployment.mint,
        tokenProgram: deployment.tokenProgram,
        amount: input.amount,
      },
      { programAddress: deployment.programAddress },
    ),
  ];
}

export async function deposit(client: SolanaClient, deployment: Deployment, input: DepositFlowInput, opts: FlowOptions = {}): Promise<FlowResult> {
  if (input.amount <= 0n) throw clientError("ZeroAmount", "amount must be greater than zero");
  return { signature: await sendFlow(client, deployment, input.depositor, await depositInstructions(deployment, input), opts) };
}
