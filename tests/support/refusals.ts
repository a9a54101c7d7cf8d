// Asserting refusals: the exact program error (named by the SDK's error mapping), and that
// nothing moved.
import { expect } from "chai";
import type { LiteSVM } from "litesvm";
import type { Address } from "@solana/kit";
import { PROGRAM_ERROR_NAMES } from "@arknet/escrow";
import type { TxResult } from "./svm.ts";

/** Bytes, owner and lamports of each account (absent accounts as null). */
export function snapshot(svm: LiteSVM, addresses: Address[]): Map<Address, string | null> {
  return new Map(
    addresses.map((a) => {
      const acc = svm.getAccount(a);
      return [a, acc.exists ? `${acc.lamports}:${acc.programAddress}:${Buffer.from(acc.data).toString("hex")}` : null];
    }),
  );
}

/** The program error name of a custom error code (undefined for codes the program does not define). */
export function errorName(code: number | undefined): string | undefined {
  return code === undefined ? undefined : PROGRAM_ERROR_NAMES.get(code);
}

/** Expects `result` to have failed with program error `name`. */
export function expectProgramError(result: TxResult, name: string): void {
  expect(result.ok, `expected ${name}, but the transaction succeeded`).to.equal(false);
  expect(errorName(result.errorCode), `${result.error}\n${result.logs.join("\n")}`).to.equal(name);
}

/**
 * Sends through `run` and expects program error `name` with every account in `watched`
 * byte-for-byte and lamport-for-lamport unchanged.
 */
export async function expectRefused(
  svm: LiteSVM,
  watched: Address[],
  name: string,
  run: () => Promise<TxResult>,
): Promise<TxResult> {
  const before = snapshot(svm, watched);
  const result = await run();
  expectProgramError(result, name);
  const after = snapshot(svm, watched);
  for (const a of watched) expect(after.get(a), `account ${a} changed`).to.equal(before.get(a));
  return result;
}

export async function expectOk(p: Promise<TxResult> | TxResult, what = "transaction"): Promise<TxResult> {
  const r = await p;
  if (!r.ok) throw new Error(`${what} failed: ${r.error} (code ${r.errorCode})\n${r.logs.join("\n")}`);
  return r;
}
