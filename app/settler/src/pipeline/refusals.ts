// Which refusals are permanent: trying the same thing again cannot change them. The program
// refused by name (RateAboveMaxPrice, ReceiptSignerMismatch, ExecutionSettled, ...), an
// instruction failed in simulation (a receipt whose ed25519 signature the precompile rejects),
// or the pipeline itself found there is nothing it could send. RPC and network failures are not:
// those are tried again on the next pass.
import { isArknetError } from "@arknet/escrow";

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

/** "Name: message", the reason stored with a refused segment or a quarantined receipt. */
export function refusalReason(e: Error): { name: string; reason: string } {
  const name = isArknetError(e) ? e.errorName : e.name;
  return { name, reason: `${name}: ${e.message}` };
}
