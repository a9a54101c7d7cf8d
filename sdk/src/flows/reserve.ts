// reserve: moves max burn from the buyer's available balance into a new execution. Fails
// closed: the balance is read first and InsufficientBalance is thrown before anything is sent.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getReserveInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
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

/** What the reserve builders take: the flow's input with the execution id resolved. */
export type ReserveInstructionsInput = ReserveFlowInput & { executionId: bigint };

export interface ReserveResult extends FlowResult {
  execution: Address;
  executionId: bigint;
}

/** The instructions of a reservation and the execution account they create. */
export interface ReservationInstructions {
  instructions: Instruction[];
  execution: Address;
}

/** The accounts and arguments reserve and reserve_from_wallet share (PDAs derived, SKUs encoded). */
export async function reservationAccounts(deployment: Pick<DeploymentAccounts, "programAddress" | "config">, input: ReserveInstructionsInput) {
  const { address: execution, bump } = await executionAddress(deployment.config, input.buyer.address, input.executionId, deployment.programAddress);
  return {
    payer: input.payer ?? input.buyer,
    buyer: input.buyer,
    config: deployment.config,
    balance: await balanceAddress(deployment.config, input.buyer.address, deployment.programAddress),
    execution,
    executionId: input.executionId,
    maxBurn: input.maxBurn,
    durationSecs: input.durationSecs,
    bump,
    priceCaps: (input.priceCaps ?? []).map((c) => ({ sku: encodeSku(c.sku), maxPrice: c.maxPrice })),
  };
}

/** The reserve instruction for execution `executionId` (nothing sent, nothing read). */
export async function reserveInstructions(deployment: Pick<DeploymentAccounts, "programAddress" | "config">, input: ReserveInstructionsInput): Promise<ReservationInstructions> {
  const r = await reservationAccounts(deployment, input);
  return { instructions: [getReserveInstruction(r, { programAddress: deployment.programAddress })], execution: r.execution };
}

/**
 * Checks the arguments against the chain and resolves the execution id (shared with
 * reserveFromWallet): reads the buyer's balance, and with `needAvailable` throws
 * InsufficientBalance before anything is sent.
 */
export async function prepareReservation(client: SolanaClient, deployment: Deployment, input: ReserveFlowInput, needAvailable: boolean): Promise<ReserveInstructionsInput> {
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
  return { ...input, executionId: input.executionId ?? (balance?.lastExecutionId ?? 0n) + 1n };
}

export async function reserve(client: SolanaClient, deployment: Deployment, input: ReserveFlowInput, opts: FlowOptions = {}): Promise<ReserveResult> {
  const resolved = await prepareReservation(client, deployment, input, true);
  const { instructions, execution } = await reserveInstructions(deployment, resolved);
  const signature = await sendFlow(client, deployment, resolved.payer ?? resolved.buyer, instructions, opts);
  return { signature, execution, executionId: resolved.executionId };
}
