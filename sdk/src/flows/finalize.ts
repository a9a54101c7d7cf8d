// finalize: ends an execution with a reason; the unburnt max burn goes back to the buyer's
// available balance and the bill is emitted. A "completed" end passes every paid operator.
import { AccountRole, type Address, type Instruction, type TransactionSigner } from "@solana/kit";
import { getFinalizeInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { readExecution } from "../read/accounts.ts";
import { balanceAddress } from "../pdas.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

/** Why an execution ended (`Execution.endReason`). */
export const EndReason = { Completed: 1, Preempted: 2, Failed: 3, Expired: 4, Cancelled: 5 } as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];
export const END_REASON_NAMES: Record<number, string> = { 1: "completed", 2: "preempted", 3: "failed", 4: "expired", 5: "cancelled" };

export interface FinalizeInstructionsInput {
  authority: TransactionSigner;
  execution: Address;
  /** The execution's buyer (whose balance gets the refund). */
  buyer: Address;
  reason: number;
  /** Operator accounts paid in the execution (writable, after the named accounts); see `paidOperators`. */
  paidOperators?: Address[];
}

/** The finalize instruction (nothing sent, nothing read, reason unchecked: the flow checks it). */
export async function finalizeInstructions(deployment: Pick<DeploymentAccounts, "programAddress" | "config">, input: FinalizeInstructionsInput): Promise<Instruction[]> {
  const ix = getFinalizeInstruction(
    {
      authority: input.authority,
      execution: input.execution,
      balance: await balanceAddress(deployment.config, input.buyer, deployment.programAddress),
      reason: input.reason,
    },
    { programAddress: deployment.programAddress },
  );
  return [{ ...ix, accounts: [...ix.accounts, ...(input.paidOperators ?? []).map((address) => ({ address, role: AccountRole.WRITABLE }))] }];
}

export async function finalize(
  client: SolanaClient,
  deployment: Deployment,
  input: { authority: TransactionSigner; execution: Address; reason: EndReason },
  opts: FlowOptions = {},
): Promise<FlowResult> {
  if (!(input.reason >= 1 && input.reason <= 4)) throw clientError("InvalidEndReason", `end reason ${input.reason} is not 1 completed, 2 preempted, 3 failed or 4 expired`);
  const execution = await readExecution(client.rpc, input.execution, deployment.programAddress);
  const paid = input.reason === EndReason.Completed ? paidOperators(execution.segments.slice(0, execution.segmentCount)) : [];
  // The balance is the one of the execution's own config and buyer, as read.
  const instructions = await finalizeInstructions({ ...deployment, config: execution.config }, { ...input, buyer: execution.buyer, paidOperators: paid });
  return { signature: await sendFlow(client, deployment, input.authority, instructions, opts) };
}

/** Operators paid in these segments (charged > 0), once each. */
export function paidOperators(segments: readonly { operator: Address; charged: bigint }[]): Address[] {
  return [...new Set(segments.filter((s) => s.charged > 0n).map((s) => s.operator))];
}
