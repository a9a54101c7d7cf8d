// The program's events in a LiteSVM transaction, decoded by the SDK.
import { expect } from "chai";
import { decodeEvents } from "@arknet/escrow";
import { PROGRAM_ID, type TxResult } from "./svm.ts";

/** The program's events in `result`, in order (data as the SDK decodes it, untyped for assertions). */
export function programEvents(result: Pick<TxResult, "logs">): { name: string; data: any }[] {
  return decodeEvents(result.logs, PROGRAM_ID);
}

/** Names of the program's events in `result`, in order. */
export function eventNames(result: TxResult): string[] {
  return programEvents(result).map((e) => e.name);
}

/** The data of the one event `name` that `result` emitted. */
export function eventOf(result: TxResult, name: string): any {
  const found = programEvents(result).filter((e) => e.name === name);
  expect(found, `events: ${eventNames(result).join(", ")}`).to.have.length(1);
  return found[0].data;
}
