// Building, sizing, simulating, sending and confirming one transaction. The compute-unit
// limit comes from a simulation (× margin) so fees track what the program really uses.
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionSize,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Blockhash,
  type Commitment,
  type Instruction,
  type Signature,
  type TransactionSigner,
} from "@solana/kit";
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
  MAX_COMPUTE_UNIT_LIMIT,
} from "@solana-program/compute-budget";
import { ArknetError } from "../errors.ts";
import { MAX_TRANSACTION_BYTES, PROGRAM_ID } from "../program.ts";
import type { SolanaClient } from "./client.ts";
import { fromThrown, fromTransactionError } from "./failures.ts";

export interface SendOptions {
  /** Priority fee in micro-lamports per compute unit (none when absent or 0). */
  priorityFee?: bigint;
  /** Confirmation level to wait for; `confirmed` by default. */
  commitment?: Commitment;
  /** Compute-unit limit = simulated units × this; 1.1 by default. */
  computeUnitMargin?: number;
  /**
   * Whether to add the SetComputeUnitLimit instruction (default true). Without it the runtime's
   * default limit applies; it saves 40 bytes where a transaction is otherwise full.
   */
  computeUnitLimit?: boolean;
  /** Escrow program whose custom errors are mapped (the IDL's address by default). */
  programAddress?: Address;
  abortSignal?: AbortSignal;
}

export interface Lifetime {
  blockhash: Blockhash;
  lastValidBlockHeight: bigint;
}

/** A transaction message: fee payer, blockhash, compute budget (when a limit is given), instructions. */
export function buildMessage(
  feePayer: TransactionSigner,
  instructions: readonly Instruction[],
  lifetime: Lifetime,
  computeUnitLimit?: number,
  priorityFee?: bigint,
) {
  const budget: Instruction[] = computeUnitLimit === undefined ? [] : [getSetComputeUnitLimitInstruction({ units: computeUnitLimit })];
  if (priorityFee && priorityFee > 0n) budget.push(getSetComputeUnitPriceInstruction({ microLamports: priorityFee }));
  return pipe(
    createTransactionMessage({ version: "legacy" }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
    (m) => appendTransactionMessageInstructions([...budget, ...instructions], m),
  );
}

/** Wire size in bytes of the transaction these instructions make (signatures and compute budget included). */
export function transactionSize(
  feePayer: TransactionSigner,
  instructions: readonly Instruction[],
  opts: Pick<SendOptions, "priorityFee" | "computeUnitLimit"> = {},
): number {
  const lifetime = { blockhash: "11111111111111111111111111111111" as Blockhash, lastValidBlockHeight: 0n };
  const limit = opts.computeUnitLimit === false ? undefined : MAX_COMPUTE_UNIT_LIMIT;
  return getTransactionSize(compileTransaction(buildMessage(feePayer, instructions, lifetime, limit, opts.priorityFee)));
}

export interface Simulation {
  unitsConsumed: number;
  logs: readonly string[];
}

/**
 * Simulates the instructions (no signatures checked, fresh blockhash) and returns the units
 * they use, or throws the typed error of the failure with the simulation's logs.
 */
export async function simulate(
  client: Pick<SolanaClient, "rpc">,
  feePayer: TransactionSigner,
  instructions: readonly Instruction[],
  opts: SendOptions & { lifetime?: Lifetime } = {},
): Promise<Simulation> {
  const commitment = opts.commitment ?? "confirmed";
  const lifetime = opts.lifetime ?? (await client.rpc.getLatestBlockhash({ commitment }).send(opts)).value;
  const message = buildMessage(feePayer, instructions, lifetime, opts.computeUnitLimit === false ? undefined : MAX_COMPUTE_UNIT_LIMIT, opts.priorityFee);
  const wire = getBase64EncodedWireTransaction(compileTransaction(message));
  const programs = message.instructions.map((ix) => ix.programAddress);
  const programAddress = opts.programAddress ?? PROGRAM_ID;
  let result;
  try {
    result = await client.rpc
      .simulateTransaction(wire, { encoding: "base64", sigVerify: false, replaceRecentBlockhash: true, commitment })
      .send(opts);
  } catch (e) {
    throw fromThrown(e, { programs, programAddress });
  }
  const logs = result.value.logs ?? [];
  if (result.value.err) throw fromTransactionError(result.value.err, { programs, programAddress, logs });
  return { unitsConsumed: Number(result.value.unitsConsumed ?? 0n), logs };
}

/** The compute-unit limit to request for `unitsConsumed` simulated units. */
export function computeUnitLimitFor(unitsConsumed: number, margin = 1.1): number {
  return Math.min(MAX_COMPUTE_UNIT_LIMIT, Math.ceil(unitsConsumed * margin));
}

/**
 * Sends the instructions as one transaction paid by `feePayer` and signed by every signer
 * they carry: simulate → compute-unit limit → size check → sign → send → confirm.
 * Returns the signature; throws an ArknetError (program error by name, or the failure
 * with its logs). Nothing is sent when the simulation or the size check fails.
 */
export async function sendInstructions(
  client: SolanaClient,
  feePayer: TransactionSigner,
  instructions: readonly Instruction[],
  opts: SendOptions = {},
): Promise<Signature> {
  const commitment = opts.commitment ?? "confirmed";
  const programAddress = opts.programAddress ?? PROGRAM_ID;
  const { value: lifetime } = await client.rpc.getLatestBlockhash({ commitment }).send(opts);
  const { unitsConsumed } = await simulate(client, feePayer, instructions, { ...opts, lifetime });
  const limit = opts.computeUnitLimit === false ? undefined : computeUnitLimitFor(unitsConsumed, opts.computeUnitMargin);
  const message = buildMessage(feePayer, instructions, lifetime, limit, opts.priorityFee);
  const size = getTransactionSize(compileTransaction(message));
  if (size > MAX_TRANSACTION_BYTES) {
    throw new ArknetError("TransactionTooLarge", `transaction is ${size} bytes, above the ${MAX_TRANSACTION_BYTES}-byte limit`, {
      source: "client",
    });
  }
  const signed = await signTransactionMessageWithSigners(message);
  const signature = getSignatureFromTransaction(signed);
  const programs = message.instructions.map((ix) => ix.programAddress);
  try {
    await sendAndConfirmTransactionFactory(client)(signed as Parameters<ReturnType<typeof sendAndConfirmTransactionFactory>>[0], {
      commitment,
      abortSignal: opts.abortSignal,
    });
  } catch (e) {
    const logs = await landedLogs(client, signature).catch(() => undefined);
    throw fromThrown(e, { programs, programAddress, logs, signature });
  }
  return signature;
}

/** Logs of a transaction that landed (and failed), when the node has it. */
async function landedLogs(client: SolanaClient, signature: Signature): Promise<readonly string[] | undefined> {
  const tx = await client.rpc
    .getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" })
    .send();
  return tx?.meta?.logMessages ?? undefined;
}
