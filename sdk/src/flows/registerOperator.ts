// register_operator: an operator's wallet and its GPU node's receipt key co-sign the
// registration (the key proves it is held); rates can be set in the same transaction.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getRegisterOperatorInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { operatorAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";
import { rateCardInstructions } from "./setRates.ts";

export interface RateCardEntry {
  sku: string;
  /** Price per work unit in token base units; 0 withdraws the SKU. */
  price: bigint;
}

export interface RegisterOperatorFlowInput {
  authority: TransactionSigner;
  /** The receipt signing key (must sign the registration). */
  signingKey: TransactionSigner;
  rates?: RateCardEntry[];
}

/** register_operator, then set_operator_rate per rate (nothing sent), and the operator account it creates. */
export async function registerOperatorInstructions(
  deployment: Pick<DeploymentAccounts, "programAddress" | "config">,
  input: RegisterOperatorFlowInput,
): Promise<{ instructions: Instruction[]; operator: Address }> {
  const operator = await operatorAddress(deployment.config, input.authority.address, deployment.programAddress);
  const register = getRegisterOperatorInstruction(
    { authority: input.authority, config: deployment.config, operator, signingKey: input.signingKey },
    { programAddress: deployment.programAddress },
  );
  return { instructions: [register, ...rateCardInstructions(deployment, input.authority, operator, input.rates ?? [])], operator };
}

export async function registerOperator(
  client: SolanaClient,
  deployment: Deployment,
  input: RegisterOperatorFlowInput,
  opts: FlowOptions = {},
): Promise<FlowResult & { operator: Address }> {
  const { instructions, operator } = await registerOperatorInstructions(deployment, input);
  return { signature: await sendFlow(client, deployment, input.authority, instructions, opts), operator };
}
