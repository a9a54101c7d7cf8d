// rate: the buyer gives 1–5 stars to an operator paid in a settled execution, once.
import type { Address, TransactionSigner } from "@solana/kit";
import { getRateInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { clientError } from "../errors.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export async function rate(
  client: SolanaClient,
  deployment: Deployment,
  input: { buyer: TransactionSigner; execution: Address; operator: Address; stars: number },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) throw clientError("InvalidRating", `stars must be 1-5, not ${input.stars}`);
  const ix = getRateInstruction({ buyer: input.buyer, execution: input.execution, operator: input.operator, stars: input.stars }, { programAddress: deployment.programAddress });
  return { signature: await sendFlow(client, deployment, input.buyer, [ix], opts) };
}
