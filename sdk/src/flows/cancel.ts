// cancel: the buyer ends an open execution that has no segment yet; full refund.
import type { Address, TransactionSigner } from "@solana/kit";
import { getCancelInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { balanceAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export async function cancel(
  client: SolanaClient,
  deployment: Deployment,
  input: { buyer: TransactionSigner; execution: Address },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  const ix = getCancelInstruction(
    { buyer: input.buyer, execution: input.execution, balance: await balanceAddress(deployment.config, input.buyer.address, deployment.programAddress) },
    { programAddress: deployment.programAddress },
  );
  return { signature: await sendFlow(client, deployment, input.buyer, [ix], opts) };
}
