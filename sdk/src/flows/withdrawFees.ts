// withdraw_fees: the admin sweeps the fees owed by the operators passed, then withdraws
// settled fees to the configured treasury.
import { AccountRole, type Address, type TransactionSigner } from "@solana/kit";
import { getWithdrawFeesInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export async function withdrawFees(
  client: SolanaClient,
  deployment: Deployment,
  input: { admin: TransactionSigner; amount: bigint; sweep?: Address[] },
  opts: FlowOptions = {},
): Promise<FlowResult> {
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
  const accounts = [...ix.accounts, ...(input.sweep ?? []).map((address) => ({ address, role: AccountRole.WRITABLE }))];
  return { signature: await sendFlow(client, deployment, input.admin, [{ ...ix, accounts }], opts) };
}
