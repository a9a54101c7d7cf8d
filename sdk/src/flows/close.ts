// close: closes a settled execution and returns its rent to whoever paid it.
import type { Address, TransactionSigner } from "@solana/kit";
import { getCloseInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { readExecution } from "../read/accounts.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export async function close(
  client: SolanaClient,
  deployment: Deployment,
  input: { authority: TransactionSigner; execution: Address },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  const execution = await readExecution(client.rpc, input.execution, deployment.programAddress);
  const ix = getCloseInstruction({ authority: input.authority, execution: input.execution, rentPayer: execution.rentPayer }, { programAddress: deployment.programAddress });
  return { signature: await sendFlow(client, deployment, input.authority, [ix], opts) };
}
