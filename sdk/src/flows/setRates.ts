// set_operator_rate for one or more SKUs, in one transaction.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getSetOperatorRateInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { operatorAddress } from "../pdas.ts";
import { encodeSku } from "../receipts/sku.ts";
import type { SolanaClient } from "../tx/client.ts";
import type { RateCardEntry } from "./registerOperator.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface SetRatesFlowInput {
  authority: TransactionSigner;
  rates: RateCardEntry[];
}

/** One set_operator_rate instruction per rate of the authority's operator (nothing sent). */
export async function setRatesInstructions(deployment: Pick<DeploymentAccounts, "programAddress" | "config">, input: SetRatesFlowInput): Promise<Instruction[]> {
  const operator = await operatorAddress(deployment.config, input.authority.address, deployment.programAddress);
  return rateCardInstructions(deployment, input.authority, operator, input.rates);
}

/** set_operator_rate for each entry of a rate card of `operator` (shared with registerOperator). */
export function rateCardInstructions(
  deployment: Pick<DeploymentAccounts, "programAddress">,
  authority: TransactionSigner,
  operator: Address,
  rates: RateCardEntry[],
): Instruction[] {
  return rates.map((r) => getSetOperatorRateInstruction({ authority, operator, sku: encodeSku(r.sku), price: r.price }, { programAddress: deployment.programAddress }));
}

export async function setRates(client: SolanaClient, deployment: Deployment, input: SetRatesFlowInput, opts: FlowOptions = {}): Promise<FlowResult> {
  if (input.rates.length === 0) throw clientError("InvalidInput", "no rates given");
  return { signature: await sendFlow(client, deployment, input.authority, await setRatesInstructions(deployment, input), opts) };
}
