// What every flow shares: its options and one call that sends its instructions with the
// deployment's program as the one whose errors are mapped.
import type { Instruction, Signature, TransactionSigner } from "@solana/kit";
import type { Deployment } from "../deployment.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendInstructions, type SendOptions } from "../tx/send.ts";

/** Priority fee, commitment and compute margin of the transaction a flow sends. */
export type FlowOptions = Omit<SendOptions, "programAddress">;

export interface FlowResult {
  signature: Signature;
}

export function sendFlow(
  client: SolanaClient,
  deployment: Pick<Deployment, "programAddress">,
  feePayer: TransactionSigner,
  instructions: Instruction[],
  opts: FlowOptions = {},
): Promise<Signature> {
  return sendInstructions(client, feePayer, instructions, { ...opts, programAddress: deployment.programAddress });
}
