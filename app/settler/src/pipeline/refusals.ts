// Which refusals are permanent: trying the same thing again cannot change them. The program
// refused by name (RateAboveMaxPrice, ReceiptSignerMismatch, ...), an instruction failed in
// simulation (a receipt whose ed25519 signature the precompile rejects), or the pipeline itself
// found there is nothing it could send. RPC and network failures are not: those are tried again
// on the next pass. "Already done" refusals (ReceiptNotNewer, ExecutionSettled) are about what
// the chain holds right now, often because another transaction (ours, or a dead instance's still
// in flight) got there first: they say nothing about a receipt until the chain is read back.
import { isArknetError } from "@arknet/escrow";
import { ALREADY_DONE } from "../chain/escrowChain.ts";

export class PipelineRefusal extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export function permanentRefusal(e: Error): boolean {
  if (e instanceof PipelineRefusal) return true;
  return isArknetError(e) && (e.source === "program" || e.instructionIndex !== undefined);
}

/** ReceiptNotNewer / ExecutionSettled: decided by the chain read back, never by the refusal alone. */
export function alreadyDoneRefusal(e: Error): boolean {
  return isArknetError(e) && ALREADY_DONE.has(e.errorName);
}

/**
 * Where a receipt stands against its segment on-chain: "settled" when the chain holds it or a
 * newer one (units and sequence both at or above it); "blocked" when the chain holds one of the
 * two at or above it but not the other, so the program can never take it; else "above" (it still
 * has to land).
 */
export function receiptOnChain(r: { cumulativeUnits: bigint; sequence: number }, seg: { settledUnits: bigint; lastSeq: number } | null): "settled" | "above" | "blocked" {
  if (!seg) return "above";
  const units = seg.settledUnits >= r.cumulativeUnits;
  const seq = seg.lastSeq >= r.sequence;
  return units && seq ? "settled" : units || seq ? "blocked" : "above";
}

/** "Name: message", the reason stored with a refused segment or a quarantined receipt. */
export function refusalReason(e: Error): { name: string; reason: string } {
  const name = isArknetError(e) ? e.errorName : e.name;
  return { name, reason: `${name}: ${e.message}` };
}
