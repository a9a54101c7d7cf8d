// set_operator_rate for one or more SKUs, in one transaction.
import type { TransactionSigner } from "@solana/kit";
import { getSetOperatorRateInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { operatorAddress } from "../pdas.ts";
import { encodeSku } from "../receipts/sku.ts";
import type { SolanaClient } from "../tx/client.ts";
import type { RateCardEntry } from "./registerOperator.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export async function setRates(
  client: SolanaClient,
  deployment: Deployment,
  input: { authority: TransactionSigner; rates: RateCardEntry[] },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  if (input.rates.length === 0) throw clientError("InvalidInput", "no rates given");
  const operator = await operatorAddress(deployment.config, input.authority.address, deployment.programAddress);
  const instructions = input.rates.map((r) =>
    getSetOperatorRateInstruction({ authority: input.authority, operator, sku: encodeSku(r.sku), price: r.price }, { programAddress: deployment.programAddress }),
  );
  return { signature: await sendFlow(client, deployment, input.authority, instructions, opts) };
}
