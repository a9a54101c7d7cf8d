// assign_segment: the execution's router gives the next segment to an operator for a SKU,
// pinning the operator's current rate if it is at most `maxPrice`; `budget` caps the segment.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { getAssignSegmentInstruction } from "../generated/instructions";
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import { readExecution } from "../read/accounts.ts";
import { encodeSku } from "../receipts/sku.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

export interface AssignSegmentFlowInput {
  router: TransactionSigner;
  execution: Address;
  /** The operator account (PDA), not its wallet. */
  operator: Address;
  sku: string;
  /** Highest rate the router accepts (RateAboveMaxPrice otherwise). */
  maxPrice: bigint;
  /** Most the segment may charge; 0 (default) for no budget. */
  budget?: bigint;
  /** Segment index; the execution's next one by default (read from the chain). */
  segmentIndex?: number;
}

/** The assign_segment instruction (nothing sent); `segmentIndex` must be given. */
export function assignSegmentInstructions(
  deployment: Pick<DeploymentAccounts, "programAddress">,
  input: AssignSegmentFlowInput & { segmentIndex: number },
): Instruction[] {
  return [
    getAssignSegmentInstruction(
      {
        router: input.router,
        execution: input.execution,
        operator: input.operator,
        segmentIndex: input.segmentIndex,
        sku: encodeSku(input.sku),
        maxPrice: input.maxPrice,
        budget: input.budget ?? 0n,
      },
      { programAddress: deployment.programAddress },
    ),
  ];
}

export async function assignSegment(
  client: SolanaClient,
  deployment: Deployment,
  input: AssignSegmentFlowInput,
  opts: FlowOptions = {},
): Promise<FlowResult & { segmentIndex: number }> {
  const segmentIndex = input.segmentIndex ?? (await readExecution(client.rpc, input.execution, deployment.programAddress)).segmentCount;
  const instructions = assignSegmentInstructions(deployment, { ...input, segmentIndex });
  return { signature: await sendFlow(client, deployment, input.router, instructions, opts), segmentIndex };
}
