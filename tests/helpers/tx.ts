// Small tools for per-instruction tests: a second signer on an instruction, an account
// passed without its signature, and the one event of a name in a transaction's logs.
import { expect } from "chai";
import type { LiteSVM } from "litesvm";
import {
  addSignersToInstruction,
  downgradeRoleToNonSigner,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { decodeEvents } from "./idl.ts";
import type { TxResult } from "./svm.ts";

/** `instruction` also signed by `signers` (besides the fee payer `send` signs with). */
export function signedBy(instruction: Instruction, ...signers: KeyPairSigner[]): Instruction {
  return addSignersToInstruction(signers, instruction);
}

/** `instruction` with `account` passed without its signature (writability kept). */
export function unsigned(instruction: Instruction, account: Address): Instruction {
  let found = false;
  const accounts = (instruction.accounts ?? []).map((meta) => {
    if (meta.address !== account) return meta;
    found = true;
    return { address: meta.address, role: downgradeRoleToNonSigner(meta.role) };
  });
  if (!found) throw new Error(`${account} is not an account of the instruction`);
  return { ...instruction, accounts };
}

/** Names of the program's events in `result`, in order. */
export function eventNames(result: TxResult): string[] {
  return decodeEvents(result.logs).map((e) => e.name);
}

/** The data of the one event `name` that `result` emitted (decoded through the IDL). */
export function eventOf(result: TxResult, name: string): any {
  const found = decodeEvents(result.logs).filter((e) => e.name === name);
  expect(found, `events: ${eventNames(result).join(", ")}`).to.have.length(1);
  return found[0].data;
}

/** `instruction` with account `from` replaced by `to` in every slot (same roles). */
export function replaceAccount(instruction: Instruction, from: Address, to: Address): Instruction {
  if (!(instruction.accounts ?? []).some((meta) => meta.address === from)) {
    throw new Error(`${from} is not an account of the instruction`);
  }
  const accounts = instruction.accounts!.map((meta) => (meta.address === from ? { ...meta, address: to } : meta));
  return { ...instruction, accounts };
}

/** Lamports of `at`, 0 when the account does not exist. */
export function lamportsOf(svm: LiteSVM, at: Address): bigint {
  const a = svm.getAccount(at);
  return a.exists ? a.lamports : 0n;
}

/** Data of the existing account `at`. */
export function dataOf(svm: LiteSVM, at: Address): Uint8Array {
  const a = svm.getAccount(at);
  if (!a.exists) throw new Error(`${at} does not exist`);
  return a.data;
}

/** The rent-exempt minimum for the size of the existing account `at`. */
export function rentExemptMinimum(svm: LiteSVM, at: Address): bigint {
  return svm.minimumBalanceForRentExemption(BigInt(dataOf(svm, at).length));
}
