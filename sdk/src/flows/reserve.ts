// reserve: moves max burn from the buyer's available balance into a new execution. Fails
// closed: the balance is read first and InsufficientBalance is thrown before anything is sent.
import type { Address, TransactionSigner } from "@solana/kit";
import { getReserveInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { ArknetError, clientError, programErrorCode } from "../errors.ts";
import { readBalance } from "../read/accounts.ts";
import { balanceAddress, executionAddress } from "../pdas.ts";
import { encodeSku } from "../receipts/sku.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface PriceCapInput {
  sku: string;
  /** Highest price per work unit the buyer accepts for this SKU. */
  maxPrice: bigint;
}

export interface ReserveFlowInput {
  buyer: TransactionSigner;
  /** Pays the execution's rent (refunded on close); the buyer by default. */
  payer?: TransactionSigner;
  maxBurn: bigint;
  durationSecs: bigint;
  /** Must exceed every earlier id of this buyer; last id + 1 by default. */
  executionId?: bigint;
  priceCaps?: PriceCapInput[];
}

export interface ReserveResult extends FlowResult {
  execution: Address;
  executionId: bigint;
}

/** Checks the arguments and resolves the execution id and address (shared with reserveFromWallet). */
export async function prepareReservation(client: SolanaClient, deployment: Deployment, input: ReserveFlowInput, needAvailable: boolean) {
  if (input.maxBurn <= 0n) throw clientError("ZeroAmount", "max burn must be greater than zero");
  if (input.durationSecs <= 0n) throw clientError("InvalidInput", "duration must be positive");
  const balance = await readBalance(client.rpc, deployment, input.buyer.address);
  const available = balance?.available ?? 0n;
  if (needAvailable && available < input.maxBurn) {
    throw new ArknetError(
      "InsufficientBalance",
      `available balance ${available} is below the max burn ${input.maxBurn} (nothing was sent)`,
      { source: "client", code: programErrorCode("InsufficientBalance") },
    );
  }
  const executionId = input.executionId ?? (balance?.lastExecutionId ?? 0n) + 1n;
  const { address: execution, bump } = await executionAddress(deployment.config, input.buyer.address, executionId, deployment.programAddress);
  return {
    execution,
    executionId,
    accounts: {
      payer: input.payer ?? input.buyer,
      buyer: input.buyer,
      config: deployment.config,
      balance: await balanceAddress(deployment.config, input.buyer.address, deployment.programAddress),
      execution,
    },
    args: {
      executionId,
      maxBurn: input.maxBurn,
      durationSecs: input.durationSecs,
      bump,
      priceCaps: (input.priceCaps ?? []).map((c) => ({ sku: encodeSku(c.sku), maxPrice: c.maxPrice })),
    },
  };
}

export async function reserve(client: SolanaClient, deployment: Deployment, input: ReserveFlowInput, opts: FlowOptions = {}): Promise<ReserveResult> {
  const r = await prepareReservation(client, deployment, input, true);
  const ix = getReserveInstruction({ ...r.accounts, ...r.args }, { programAddress: deployment.programAddress });
  const signature = await sendFlow(client, deployment, r.accounts.payer, [ix], opts);
  return { signature, execution: r.execution, executionId: r.executionId };
}
