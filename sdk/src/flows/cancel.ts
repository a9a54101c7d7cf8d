// cancel: the buyer ends an open execution that has no segment yet; full refund.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getCancelInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { balanceAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface CancelFlowInput {
  buyer: TransactionSigner;
  execution: Address;
}

/** The cancel instruction (nothing sent). */
export async function cancelInstructions(deployment: Pick<DeploymentAccounts, "programAddress" | "config">, input: CancelFlowInput): Promise<Instruction[]> {
  const balance = await balanceAddress(deployment.config, input.buyer.address, deployment.programAddress);
  return [getCancelInstruction({ buyer: input.buyer, execution: input.execution, balance }, { programAddress: deployment.programAddress })];
}

export async function cancel(
  client: SolanaClient,
  deployment: Deployment,
  input: CancelFlowInput,
  opts: FlowOptions = {},
): Promise<FlowResult> {
  return { signature: await sendFlow(client, deployment, input.buyer, await cancelInstructions(deployment, input), opts) };
}
