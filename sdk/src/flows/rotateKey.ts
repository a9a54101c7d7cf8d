// rotate_operator_key: the new receipt key co-signs and replaces the old one. Receipts
// signed by the old key are refused from then on.
import type { TransactionSigner } from "@solana/kit";
import { getRotateOperatorKeyInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { operatorAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export async function rotateKey(
  client: SolanaClient,
  deployment: Deployment,
  input: { authority: TransactionSigner; newSigningKey: TransactionSigner },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  const operator = await operatorAddress(deployment.config, input.authority.address, deployment.programAddress);
  const ix = getRotateOperatorKeyInstruction({ authority: input.authority, operator, newSigningKey: input.newSigningKey }, { programAddress: deployment.programAddress });
  return { signature: await sendFlow(client, deployment, input.authority, [ix], opts) };
}
