// The router's segment assignment, checked before it is stored: the u64 amounts it names (its
// own max price per work unit, the segment's budget), then the chain's view when there is one
// (the operator exists, is active, signs with the key named, offers the SKU at or below the
// max price). A refusal here is the router's 4xx; a rate raised after this check is refused
// by the program (RateAboveMaxPrice) and recorded on the segment for GET to show.
import type { SegmentAssignment } from "../store/index.ts";

export type AssignmentRefusalCode = "InvalidRequest" | "UnknownOperator" | "OperatorNotActive" | "WrongSigningKey" | "SkuNotOffered" | "RateAboveMaxPrice" | "ChainCheckFailed";

export class AssignmentRefusal extends Error {
  readonly code: AssignmentRefusalCode;
  readonly status: number;
  constructor(code: AssignmentRefusalCode, message: string, status = 422) {
    super(message);
    this.name = "AssignmentRefusal";
    this.code = code;
    this.status = status;
  }
}

/** Throws an AssignmentRefusal when the chain would refuse this assignment. */
export type AssignmentCheck = (a: SegmentAssignment) => Promise<void>;

const U64_MAX = (1n << 64n) - 1n;

/** A decimal u64 from the request ("maxPrice", "budget"); undefined stays undefined. */
export function u64Field(name: string, text: string | undefined, min: bigint): bigint | undefined {
  if (text === undefined) return undefined;
  const v = BigInt(text); // the schema admits only 1–20 decimal digits
  if (v < min || v > U64_MAX) throw new AssignmentRefusal("InvalidRequest", `${name} must be an integer in ${min}..${U64_MAX}, got ${text}`, 400);
  return v;
}
