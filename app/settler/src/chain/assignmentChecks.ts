// The segment route's on-chain check, over the SDK's operator reader (cached like the receipt
// checks): the operator account exists, is active, signs receipts with the key the router names,
// and its current rate for the SKU is at or below the router's max price, else the program
// would refuse assign_segment (OperatorNotActive, SkuNotOffered, RateAboveMaxPrice).
import { decodeSku } from "@arknet/escrow";
import type { Address } from "@solana/kit";
import { AssignmentRefusal, type AssignmentCheck } from "../api/assignment.ts";
import { cached } from "./chainChecks.ts";
import type { EscrowChain } from "./escrowChain.ts";

const OPERATOR_ACTIVE = 1;

export function escrowAssignmentCheck(chain: EscrowChain, ttlMs = 1_000): AssignmentCheck {
  const operator = cached(ttlMs, (a) => chain.readOperator(a as Address));
  return async (a) => {
    let op;
    try {
      op = await operator(a.operator);
    } catch (e) {
      throw new AssignmentRefusal("ChainCheckFailed", `the chain could not be read to check the operator: ${(e as Error).message}`, 503);
    }
    if (!op) throw new AssignmentRefusal("UnknownOperator", `operator account ${a.operator} does not exist on-chain`, 404);
    if (op.status !== OPERATOR_ACTIVE) throw new AssignmentRefusal("OperatorNotActive", `operator ${a.operator} is not active on-chain`);
    if (op.signingKey !== a.operatorKey) throw new AssignmentRefusal("WrongSigningKey", `operator ${a.operator} signs receipts with ${op.signingKey} on-chain, not ${a.operatorKey}`);
    const rate = op.rates.slice(0, op.rateCount).find((r) => decodeSku(r.sku) === a.sku);
    if (!rate) throw new AssignmentRefusal("SkuNotOffered", `operator ${a.operator} has no rate for ${a.sku}`);
    if (a.maxPrice != null && rate.price > a.maxPrice) {
      throw new AssignmentRefusal("RateAboveMaxPrice", `operator ${a.operator} charges ${rate.price} per unit of ${a.sku}, above the router's max price ${a.maxPrice}`, 409);
    }
  };
}
