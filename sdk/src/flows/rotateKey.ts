// rotate_operator_key: the new receipt key co-signs and replaces the old one. Receipts
// signed by the old key are refused from then on.
import type { Instruction, TransactionSigner } from "@solana/kit";
import { getRotateOperatorKeyInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { operatorAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface RotateKeyFlowInput {
  authority: TransactionSigner;
  newSigningKey: TransactionSigner;
}

/** The rotate_operator_key instruction of the authority's operator (nothing sent). */
export async function rotateKeyInstructions(deployment: Pick<DeploymentAccounts, "programAddress" | "config">, input: RotateKeyFlowInput): Promise<Instruction[]> {
  const operator = await operatorAddress(deployment.config, input.authority.address, deployment.programAddress);
  return [getRotateOperatorKeyInstruction({ authority: input.authority, operator, newSigningKey: input.newSigningKey }, { programAddress: deployment.programAddress })];
}

export async function rotateKey(client: SolanaClient, deployment: Deployment, input: RotateKeyFlowInput, opts: FlowOptions = {}): Promise<FlowResult> {
  return { signature: await sendFlow(client, deployment, input.authority, await rotateKeyInstructions(deployment, input), opts) };
}
