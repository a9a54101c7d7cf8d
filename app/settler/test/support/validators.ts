// The validators the end-to-end tests run against: the project's localnet (in-process, always),
// and Agave's real solana-test-validator from ../shared/bin (genuine blockhash expiry,
// commitment progression and fees), skipped with a printed reason when it is absent.
import { findAgave, startAgave, startLocalnet, type RunningValidator } from "@arknet/localnet/launch";

export type ValidatorKind = "localnet" | "solana-test-validator";

export const VALIDATORS: ValidatorKind[] = ["localnet", "solana-test-validator"];

/** Why this validator cannot run here, or null. */
export function unavailable(kind: ValidatorKind): string | null {
  if (kind === "localnet") return null;
  const found = findAgave();
  return "path" in found ? null : `skipped: Agave solana-test-validator not found (${found.reason})`;
}

export async function startTestValidator(kind: ValidatorKind): Promise<RunningValidator> {
  if (kind === "localnet") return startLocalnet({ slotMs: 100 });
  const v = await startAgave();
  if (!v) throw new Error("Agave solana-test-validator did not start");
  return v;
}
