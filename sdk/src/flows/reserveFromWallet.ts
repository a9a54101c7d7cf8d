// reserve_from_wallet: deposit exactly the max burn from the buyer's token account and
// reserve it, in one instruction.
import type { Address } from "@solana/kit";
import { getReserveFromWalletInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import type { SolanaClient } from "../tx/client.ts";
import { prepareReservation, reservationAccounts, type ReservationInstructions, type ReserveFlowInput, type ReserveInstructionsInput, type ReserveResult } from "./reserve.ts";
import { sendFlow, type FlowOptions } from "./send.ts";
import { associatedTokenAccount } from "./tokens.ts";

/** Token account debited; the buyer's associated token account by default. */
type Source = { source?: Address };

/** The reserve_from_wallet instruction for execution `executionId` (nothing sent, nothing read). */
export async function reserveFromWalletInstructions(deployment: DeploymentAccounts, input: ReserveInstructionsInput & Source): Promise<ReservationInstructions> {
  const r = await reservationAccounts(deployment, input);
  const ix = getReserveFromWalletInstruction(
    {
      ...r,
      source: input.source ?? (await associatedTokenAccount(input.buyer.address, deployment.mint, deployment.tokenProgram)),
      vault: deployment.vault,
      mint: deployment.mint,
      tokenProgram: deployment.tokenProgram,
    },
    { programAddress: deployment.programAddress },
  );
  return { instructions: [ix], execution: r.execution };
}

export async function reserveFromWallet(
  client: SolanaClient,
  deployment: Deployment,
  input: ReserveFlowInput & Source,
  opts: FlowOptions = {},
): Promise<ReserveResult> {
  const resolved = await prepareReservation(client, deployment, input, false);
  const { instructions, execution } = await reserveFromWalletInstructions(deployment, { ...resolved, source: input.source });
  const signature = await sendFlow(client, deployment, resolved.payer ?? resolved.buyer, instructions, opts);
  return { signature, execution, executionId: resolved.executionId };
}
