// The fee a leader charges: 5,000 lamports per signature (transaction signatures and the
// signatures verified by precompile instructions) plus the prioritization fee,
// ceil(compute-unit price in micro-lamports x requested compute-unit limit / 1e6).
import {
  BUILTIN_PROGRAMS,
  COMPUTE_BUDGET_PROGRAM,
  DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT,
  LAMPORTS_PER_SIGNATURE,
  MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT,
  MAX_COMPUTE_UNIT_LIMIT,
  PRECOMPILES,
} from "./constants.ts";
import { u32le, u64le } from "./codec.ts";
import type { CompiledIx } from "./wire.ts";

export interface FeeDetails {
  signatures: number;
  precompileSignatures: number;
  computeUnitLimit: number;
  /** micro-lamports per compute unit */
  computeUnitPrice: bigint;
  fee: bigint;
}

/** `programOf(ix)` gives the base58 program id of an instruction. */
export function feeDetails(numSignatures: number, instructions: CompiledIx[], programOf: (ix: CompiledIx) => string): FeeDetails {
  let precompileSignatures = 0;
  let requestedLimit: number | undefined;
  let computeUnitPrice = 0n;
  let defaultLimit = 0;
  for (const ix of instructions) {
    const program = programOf(ix);
    if (PRECOMPILES.has(program)) precompileSignatures += ix.data[0] ?? 0;
    if (program === COMPUTE_BUDGET_PROGRAM) {
      if (ix.data[0] === 2 && ix.data.length === 5) requestedLimit = u32le(ix.data, 1);
      if (ix.data[0] === 3 && ix.data.length === 9) computeUnitPrice = u64le(ix.data, 1);
    }
    defaultLimit += BUILTIN_PROGRAMS.has(program) ? MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT : DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT;
  }
  const computeUnitLimit = Math.min(requestedLimit ?? defaultLimit, MAX_COMPUTE_UNIT_LIMIT);
  const priority = (computeUnitPrice * BigInt(computeUnitLimit) + 999_999n) / 1_000_000n;
  const fee = LAMPORTS_PER_SIGNATURE * BigInt(numSignatures + precompileSignatures) + priority;
  return { signatures: numSignatures, precompileSignatures, computeUnitLimit, computeUnitPrice, fee };
}
