// reserve_from_wallet: deposit exactly the max burn from the buyer's token account and
// reserve it, in one instruction.
import type { Address } from "@solana/kit";
import { getReserveFromWalletInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import type { SolanaClient } from "../tx/client.ts";
import { prepareReservation, type ReserveFlowInput, type ReserveResult } from "./reserve.ts";
import { sendFlow, type FlowOptions } from "./send.ts";
import { associatedTokenAccount } from "./tokens.ts";

export async function reserveFromWallet(
  client: SolanaClient,
  deployment: Deployment,
  input: ReserveFlowInput & { source?: Address },
  opts: FlowOptions = {},
): Promise<ReserveResult> {
  const r = await prepareReservation(client, deployment, input, false);
  const ix = getReserveFromWalletInstruction(
    {
      ...r.accounts,
      ...r.args,
      source: input.source ?? (await associatedTokenAccount(input.buyer.address, deployment.mint, deployment.tokenProgram)),
      vault: deployment.vault,
      mint: deployment.mint,
      tokenProgram: deployment.tokenProgram,
    },
    { programAddress: deployment.programAddress },
  );
  const signature = await sendFlow(client, deployment, r.accounts.payer, [ix], opts);
  return { signature, execution: r.execution, executionId: r.executionId };
}
