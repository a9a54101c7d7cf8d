// Reading request parameters the way agave's RPC does, with its error messages.
import { fromBase58 } from "../chain/codec.ts";
import type { Chain, Commitment } from "../chain/chain.ts";
import { invalidParams, MIN_CONTEXT_SLOT_NOT_REACHED, RpcError } from "./errors.ts";

export type Params = unknown[];

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "number") return Number.isInteger(v) && Math.abs(v) < 2 ** 64 ? `integer \`${v}\`` : `floating point \`${v}\``;
  if (typeof v === "boolean") return `boolean \`${v}\``;
  if (typeof v === "string") return `string "${v}"`;
  if (Array.isArray(v)) return "sequence";
  return "map";
}

export const typeError = (v: unknown, expected: string) => invalidParams(`Invalid params: invalid type: ${describe(v)}, expected ${expected}.`);

/** Checks the positional parameter count: at least `min`, at most `max`. */
export function arity(params: Params, min: number, max: number): void {
  if (params.length < min) throw invalidParams(`\`params\` should have at least ${min} argument(s)`);
  if (params.length > max) throw invalidParams(`Invalid parameters: Expected from ${min} to ${max} parameters.`, `"Got: ${params.length}"`);
}

export function str(v: unknown): string {
  if (typeof v !== "string") throw typeError(v, "a string");
  return v;
}

/** A base58 public key parameter ("Invalid param: WrongSize" / "Invalid param: Invalid"). */
export function pubkey(v: unknown, prefix = "Invalid param: "): string {
  const s = str(v);
  let bytes: Uint8Array;
  try {
    bytes = fromBase58(s);
  } catch {
    throw invalidParams(`${prefix}Invalid`);
  }
  if (bytes.length !== 32) throw invalidParams(`${prefix}WrongSize`);
  return s;
}

export function signature(v: unknown): string {
  const s = str(v);
  let bytes: Uint8Array;
  try {
    bytes = fromBase58(s);
  } catch {
    throw invalidParams("Invalid param: Invalid");
  }
  if (bytes.length !== 64) throw invalidParams("Invalid param: WrongSize");
  return s;
}

export function config(v: unknown): Record<string, any> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw typeError(v, "struct config");
  return v as Record<string, any>;
}

const ALIASES: Record<string, Commitment> = {
  processed: "processed",
  confirmed: "confirmed",
  finalized: "finalized",
  recent: "processed",
  single: "confirmed",
  singleGossip: "confirmed",
  root: "finalized",
  max: "finalized",
};

/** The commitment of a config (finalized by default, like agave). */
export function commitment(cfg: Record<string, any>): Commitment {
  const c = cfg.commitment;
  if (c === undefined || c === null) return "finalized";
  if (typeof c !== "string") throw typeError(c, "a string");
  const found = ALIASES[c];
  if (!found) throw invalidParams(`Invalid params: unknown variant \`${c}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\`.`);
  return found;
}

/** The commitment's slot, refusing a `minContextSlot` not reached yet. */
export function contextSlot(chain: Chain, cfg: Record<string, any>, c: Commitment = commitment(cfg)): number {
  const slot = chain.commitmentSlot(c);
  const min = cfg.minContextSlot;
  if (min !== undefined && min !== null) {
    if (typeof min !== "number" || !Number.isInteger(min) || min < 0) throw typeError(min, "u64");
    if (slot < min) throw new RpcError(MIN_CONTEXT_SLOT_NOT_REACHED, "Minimum context slot has not been reached", { contextSlot: slot });
  }
  return slot;
}

export function enumOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "string") throw typeError(v, "a string");
  if (!(allowed as readonly string[]).includes(v))
    throw invalidParams(`Invalid params: unknown variant \`${v}\`, expected one of ${allowed.map((a) => `\`${a}\``).join(", ")}.`);
  return v as T;
}

export function u64(v: unknown, what = "u64"): number {
  // Beyond 2^53 a JSON number is no longer exact here: refuse it rather than round it.
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw typeError(v, what);
  return v;
}

export function bool(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw typeError(v, "a boolean");
  return v;
}
