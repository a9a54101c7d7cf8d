// withdraw: available tokens out of the buyer's balance (never paused).
import type { Address, TransactionSigner } from "@solana/kit";
import { getWithdrawInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { balanceAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";
import { payoutAccount } from "./tokens.ts";

export async function withdraw(
  client: SolanaClient,
  deployment: Deployment,
  input: { buyer: TransactionSigner; amount: bigint; destination?: Address },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  if (input.amount <= 0n) throw clientError("ZeroAmount", "amount must be greater than zero");
  const payout = await payoutAccount(input.buyer, deployment.mint, deployment.tokenProgram, input.destination);
  const destination = payout.address;
  const instructions = [...payout.instructions];
  instructions.push(
    getWithdrawInstruction(
      {
        buyer: input.buyer,
        config: deployment.config,
        balance: await balanceAddress(deployment.config, input.buyer.address, deployment.programAddress),
        vault: deployment.vault,
        destination,
        mint: deployment.mint,
        tokenProgram: deployment.tokenProgram,
        amount: input.amount,
      },
      { programAddress: deployment.programAddress },
    ),
  );
  return { signature: await sendFlow(client, deployment, input.buyer, instructions, opts) };
}
