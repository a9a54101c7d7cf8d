// rate: the buyer gives 1–5 stars to an operator paid in a settled execution, once.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getRateInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { clientError } from "../errors.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface RateFlowInput {
  buyer: TransactionSigner;
  execution: Address;
  /** The operator account (PDA) rated. */
  operator: Address;
  stars: number;
}

/** The rate instruction (nothing sent, stars unchecked: the flow checks them). */
export function rateInstructions(deployment: Pick<DeploymentAccounts, "programAddress">, input: RateFlowInput): Instruction[] {
  return [getRateInstruction({ buyer: input.buyer, execution: input.execution, operator: input.operator, stars: input.stars }, { programAddress: deployment.programAddress })];
}

export async function rate(
  client: SolanaClient,
  deployment: Deployment,
  input: RateFlowInput,
  opts: FlowOptions = {},
): Promise<FlowResult> {
  if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) throw clientError("InvalidRating", `stars must be 1-5, not ${input.stars}`);
  return { signature: await sendFlow(client, deployment, input.buyer, rateInstructions(deployment, input), opts) };
}
