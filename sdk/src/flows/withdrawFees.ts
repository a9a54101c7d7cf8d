// withdraw_fees: the admin sweeps the fees owed by the operators passed, then withdraws
// settled fees to the configured treasury.
import { AccountRole, type Address, type Instruction, type TransactionSigner } from "@solana/kit";
import { getWithdrawFeesInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface WithdrawFeesFlowInput {
  admin: TransactionSigner;
  amount: bigint;
  /** Operator accounts whose owed fees are swept first (writable, after the named accounts). */
  sweep?: Address[];
}

/** The withdraw_fees instruction to the deployment's treasury (nothing sent). */
export function withdrawFeesInstructions(deployment: DeploymentAccounts, input: WithdrawFeesFlowInput): Instruction[] {
  const ix = getWithdrawFeesInstruction(
    {
      admin: input.admin,
      config: deployment.config,
      vault: deployment.vault,
      treasury: deployment.treasury,
      mint: deployment.mint,
      tokenProgram: deployment.tokenProgram,
      amount: input.amount,
    },
    { programAddress: deployment.programAddress },
  );
  return [{ ...ix, accounts: [...ix.accounts, ...(input.sweep ?? []).map((address) => ({ address, role: AccountRole.WRITABLE }))] }];
}

export async function withdrawFees(client: SolanaClient, deployment: Deployment, input: WithdrawFeesFlowInput, opts: FlowOptions = {}): Promise<FlowResult> {
  return { signature: await sendFlow(client, deployment, input.admin, withdrawFeesInstructions(deployment, input), opts) };
}
