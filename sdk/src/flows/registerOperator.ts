// register_operator: an operator's wallet and its GPU node's receipt key co-sign the
// registration (the key proves it is held); rates can be set in the same transaction.
import type { Address, TransactionSigner } from "@solana/kit";
import { getRegisterOperatorInstruction, getSetOperatorRateInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { operatorAddress } from "../pdas.ts";
import { encodeSku } from "../receipts/sku.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

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

export async function registerOperator(
  client: SolanaClient,
  deployment: Deployment,
  input: RegisterOperatorFlowInput,
  opts: FlowOptions = {},
): Promise<FlowResult & { operator: Address }> {
  const operator = await operatorAddress(deployment.config, input.authority.address, deployment.programAddress);
  const programAddress = deployment.programAddress;
  const instructions = [
    getRegisterOperatorInstruction({ authority: input.authority, config: deployment.config, operator, signingKey: input.signingKey }, { programAddress }),
    ...(input.rates ?? []).map((r) =>
      getSetOperatorRateInstruction({ authority: input.authority, operator, sku: encodeSku(r.sku), price: r.price }, { programAddress }),
    ),
  ];
  return { signature: await sendFlow(client, deployment, input.authority, instructions, opts), operator };
}
