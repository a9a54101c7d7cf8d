// close: closes a settled execution and returns its rent to whoever paid it.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getCloseInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { readExecution } from "../read/accounts.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

/** The close instruction (nothing sent); `rentPayer` is the execution's (read by the flow). */
export function closeInstructions(
  deployment: Pick<DeploymentAccounts, "programAddress">,
  input: { authority: TransactionSigner; execution: Address; rentPayer: Address },
): Instruction[] {
  return [getCloseInstruction({ authority: input.authority, execution: input.execution, rentPayer: input.rentPayer }, { programAddress: deployment.programAddress })];
}

export async function close(
  client: SolanaClient,
  deployment: Deployment,
  input: { authority: TransactionSigner; execution: Address },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  const execution = await readExecution(client.rpc, input.execution, deployment.programAddress);
  const instructions = closeInstructions(deployment, { ...input, rentPayer: execution.rentPayer });
  return { signature: await sendFlow(client, deployment, input.authority, instructions, opts) };
}
