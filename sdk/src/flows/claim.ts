// claim: an operator takes its claimable earnings out (works while paused or suspended).
import type { Address, TransactionSigner } from "@solana/kit";
import { getClaimInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { operatorAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";
import { payoutAccount } from "./tokens.ts";

export async function claim(
  client: SolanaClient,
  deployment: Deployment,
  input: { authority: TransactionSigner; amount: bigint; destination?: Address },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  if (input.amount <= 0n) throw clientError("ZeroAmount", "amount must be greater than zero");
  const payout = await payoutAccount(input.authority, deployment.mint, deployment.tokenProgram, input.destination);
  const destination = payout.address;
  const instructions = [...payout.instructions];
  instructions.push(
    getClaimInstruction(
      {
        authority: input.authority,
        config: deployment.config,
        operator: await operatorAddress(deployment.config, input.authority.address, deployment.programAddress),
        vault: deployment.vault,
        destination,
        mint: deployment.mint,
        tokenProgram: deployment.tokenProgram,
        amount: input.amount,
      },
      { programAddress: deployment.programAddress },
    ),
  );
  return { signature: await sendFlow(client, deployment, input.authority, instructions, opts) };
}
