// One error type for everything the SDK refuses or the chain refuses: the program's own
// errors by name and message, client-side refusals made before anything is sent, and
// RPC / simulation failures with their logs.
import * as generatedErrors from "./generated/errors";
import { getArknetEscrowErrorMessage, type ArknetEscrowError } from "./generated/errors";

/** Where a failure came from. */
export type ErrorSource =
  /** The escrow program refused the instruction (custom error code). */
  | "program"
  /** The SDK refused before sending anything (bad input, fail-closed checks). */
  | "client"
  /** The runtime, another program, or the RPC node refused or failed. */
  | "transaction";

export interface ArknetErrorDetails {
  source: ErrorSource;
  /** The program's error code (6000…) for `source: "program"`. */
  code?: number;
  /** Program logs of the failed simulation or transaction. */
  logs?: readonly string[];
  /** Index of the failing instruction in the transaction. */
  instructionIndex?: number;
  /** Signature of a transaction that landed and failed. */
  signature?: string;
  cause?: unknown;
}

/**
 * A refusal with a stable name: the program error name (`InsufficientBalance`, …) for
 * program errors and client checks that mirror them, or a client name (`InvalidInput`,
 * `AccountNotFound`, `TransactionFailed`, `TransactionTooLarge`, …).
 */
export class ArknetError extends Error {
  readonly errorName: string;
  readonly source: ErrorSource;
  readonly code?: number;
  readonly logs: readonly string[];
  readonly instructionIndex?: number;
  readonly signature?: string;

  constructor(errorName: string, message: string, details: ArknetErrorDetails) {
    super(message, { cause: details.cause });
    this.name = "ArknetError";
    this.errorName = errorName;
    this.source = details.source;
    this.code = details.code;
    this.logs = details.logs ?? [];
    this.instructionIndex = details.instructionIndex;
    this.signature = details.signature;
  }
}

/** True when `e` is an ArknetError (of `name`, when given). */
export function isArknetError(e: unknown, name?: string): e is ArknetError {
  return e instanceof ArknetError && (name === undefined || e.errorName === name);
}

const PREFIX = "ARKNET_ESCROW_ERROR__";

/** Program error code → name (`InsufficientBalance`), built from the generated constants. */
export const PROGRAM_ERROR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(generatedErrors)
    .filter(([key, value]) => key.startsWith(PREFIX) && typeof value === "number")
    .map(([key, value]) => [value as number, pascalCase(key.slice(PREFIX.length))]),
);

function pascalCase(upperSnake: string): string {
  return upperSnake
    .split("_")
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join("");
}

/** The error code of program error `name`, or undefined. */
export function programErrorCode(name: string): number | undefined {
  for (const [code, n] of PROGRAM_ERROR_NAMES) if (n === name) return code;
  return undefined;
}

/** The typed error for program error `code` (the program's message), keeping logs. */
export function programError(code: number, details: Omit<ArknetErrorDetails, "source" | "code"> = {}): ArknetError {
  const name = PROGRAM_ERROR_NAMES.get(code);
  if (!name) return new ArknetError("UnknownProgramError", `unknown program error ${code}`, { ...details, source: "program", code });
  return new ArknetError(name, getArknetEscrowErrorMessage(code as ArknetEscrowError), { ...details, source: "program", code });
}

/** A refusal made by the SDK before sending anything. */
export function clientError(name: string, message: string, cause?: unknown): ArknetError {
  return new ArknetError(name, message, { source: "client", cause });
}
