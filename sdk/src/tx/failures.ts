// Turns what the runtime and the RPC report into ArknetErrors: custom errors of the escrow
// program become its typed errors; everything else keeps its description and the logs.
import {
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  type Address,
} from "@solana/kit";
import { ArknetError, programError } from "../errors.ts";

interface FailureContext {
  /** Program of each instruction of the transaction, in order. */
  programs: readonly Address[];
  /** The escrow program whose custom codes are mapped. */
  programAddress: Address;
  logs?: readonly string[];
  signature?: string;
}

/** The ArknetError for a transaction error as the RPC returns it (`{ InstructionError: [i, { Custom: n }] }`). */
export function fromTransactionError(err: unknown, ctx: FailureContext): ArknetError {
  const ie = (err as { InstructionError?: [unknown, unknown] } | null)?.InstructionError;
  if (ie) {
    const index = Number(ie[0]);
    const custom = (ie[1] as { Custom?: unknown } | null)?.Custom;
    if (custom !== undefined && ctx.programs[index] === ctx.programAddress) {
      return programError(Number(custom), { logs: ctx.logs, instructionIndex: index, signature: ctx.signature, cause: err });
    }
    return new ArknetError("TransactionFailed", `instruction ${index} failed: ${describe(ie[1])}${lastLog(ctx.logs)}`, {
      source: "transaction",
      logs: ctx.logs,
      instructionIndex: index,
      signature: ctx.signature,
      cause: err,
    });
  }
  return new ArknetError("TransactionFailed", `transaction failed: ${describe(err)}${lastLog(ctx.logs)}`, {
    source: "transaction",
    logs: ctx.logs,
    signature: ctx.signature,
    cause: err,
  });
}

/** The ArknetError for anything thrown while sending or confirming. */
export function fromThrown(e: unknown, ctx: FailureContext): ArknetError {
  if (e instanceof ArknetError) return e;
  let logs = ctx.logs;
  if (isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)) {
    logs = (e.context.logs as readonly string[] | undefined) ?? logs;
  }
  for (let cur: unknown = e; cur; cur = (cur as { cause?: unknown }).cause) {
    if (isSolanaError(cur, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) {
      const index = Number(cur.context.index);
      if (ctx.programs[index] === ctx.programAddress) {
        return programError(Number(cur.context.code), { logs, instructionIndex: index, signature: ctx.signature, cause: e });
      }
    }
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ArknetError("TransactionFailed", `${message}${lastLog(logs)}`, { source: "transaction", logs, signature: ctx.signature, cause: e });
}

function describe(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? Number(x) : x));
}

/** The most telling log line: the last one a program wrote itself, else the last one. */
function lastLog(logs?: readonly string[]): string {
  const own = logs?.filter((l) => !/^Program (\S+ (invoke|success|consumed|failed)|consumption|return)/.test(l));
  const last = own?.at(-1) ?? logs?.at(-1);
  return last ? ` (${last})` : "";
}
