// submit_receipts: settles signed receipts of one execution. Receipts are packed in order into
// as few transactions as fit (1232 bytes, 8 precompile signatures), each an Ed25519 precompile
// instruction followed by submit_receipts with the receipts' operators, sent one after another
// (cumulative receipts of a segment must land in sequence).
import { AccountRole, type Address, type Instruction, type Signature, type TransactionSigner } from "@solana/kit";
import { getSubmitReceiptsInstruction } from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import { clientError } from "../errors.ts";
import { readExecution } from "../read/accounts.ts";
import { packReceipts } from "../receipts/pack.ts";
import { getEd25519VerifyInstruction } from "../receipts/precompile.ts";
import type { SignedReceipt } from "../receipts/sign.ts";
import type { SolanaClient } from "../tx/client.ts";
import { transactionSize } from "../tx/send.ts";
import { MAX_TRANSACTION_BYTES } from "../program.ts";
import { sendFlow, type FlowOptions } from "./send.ts";

export interface SubmitReceiptsResult {
  signatures: Signature[];
  /** Receipts carried by each transaction. */
  batchSizes: number[];
}

/**
 * submit_receipts naming `operators` (operator accounts: the first in its slot, the rest
 * writable after it), without the precompile instruction it reads (nothing sent).
 */
export function submitReceiptsInstruction(deployment: Pick<Deployment, "programAddress">, input: { execution: Address; operators: Address[] }): Instruction {
  const [first, ...rest] = input.operators;
  const submit = getSubmitReceiptsInstruction({ execution: input.execution, operator: first }, { programAddress: deployment.programAddress });
  return { ...submit, accounts: [...submit.accounts, ...rest.map((address) => ({ address, role: AccountRole.WRITABLE }))] };
}

/** The two instructions that settle `receipts` (operator accounts by segment, in first-use order). */
export function submitReceiptsInstructions(deployment: Pick<Deployment, "programAddress">, execution: Address, receipts: SignedReceipt[], operatorOfSegment: (segment: number) => Address): Instruction[] {
  const operators = [...new Set(receipts.map((r) => operatorOfSegment(r.fields.segment)))];
  return [getEd25519VerifyInstruction(receipts), submitReceiptsInstruction(deployment, { execution, operators })];
}

export async function submitReceipts(
  client: SolanaClient,
  deployment: Deployment,
  input: { feePayer: TransactionSigner; execution: Address; receipts: SignedReceipt[] },
  opts: FlowOptions = {},
): Promise<SubmitReceiptsResult> {
  if (input.receipts.length === 0) throw clientError("InvalidInput", "no receipts to submit");
  for (const r of input.receipts) {
    if (r.fields.execution !== input.execution) throw clientError("InvalidReceipt", `a receipt is for execution ${r.fields.execution}, not ${input.execution}`);
  }
  const execution = await readExecution(client.rpc, input.execution, deployment.programAddress);
  const operatorOf = (segment: number) => {
    if (segment >= execution.segmentCount) throw clientError("InvalidReceipt", `segment ${segment} is not assigned in ${input.execution}`);
    return execution.segments[segment].operator;
  };
  const build = (batch: SignedReceipt[]) => submitReceiptsInstructions(deployment, input.execution, batch, operatorOf);
  // Without a priority fee the compute-unit limit instruction only trims the reserved units: a
  // batch may leave it out when that makes room for one more receipt (40 bytes; 6 receipts of
  // two operators instead of 5). With a priority fee the limit sets the fee, so it stays.
  const optional = !opts.priorityFee;
  const size = (batch: SignedReceipt[], withLimit: boolean) => transactionSize(input.feePayer, build(batch), { priorityFee: opts.priorityFee, computeUnitLimit: withLimit });
  const batches = packReceipts(input.receipts, (batch) => size(batch, !optional));
  const signatures: Signature[] = [];
  for (const batch of batches) {
    const computeUnitLimit = !optional || size(batch, true) <= MAX_TRANSACTION_BYTES;
    signatures.push(await sendFlow(client, deployment, input.feePayer, build(batch), { ...opts, computeUnitLimit }));
  }
  return { signatures, batchSizes: batches.map((b) => b.length) };
}
