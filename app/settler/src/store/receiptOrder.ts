// How an incoming cumulative receipt relates to the newest one kept for its segment.
// The program settles a receipt only when both its units and its sequence are strictly
// above the segment's settled ones, so the store keeps the same order.

export interface ReceiptPoint {
  cumulativeUnits: bigint;
  sequence: number;
  signature: Uint8Array;
}

export type ReceiptOrder =
  | "newer" // replaces the kept one
  | "duplicate" // the same signed receipt again
  | "stale" // behind the kept one on units or sequence: refused
  | "conflict"; // same sequence or units as the kept one but different, or units and sequence disagree

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

export function compareReceipt(kept: ReceiptPoint, incoming: ReceiptPoint): ReceiptOrder {
  if (incoming.cumulativeUnits === kept.cumulativeUnits && incoming.sequence === kept.sequence) {
    return sameBytes(incoming.signature, kept.signature) ? "duplicate" : "conflict";
  }
  const unitsUp = incoming.cumulativeUnits > kept.cumulativeUnits;
  const seqUp = incoming.sequence > kept.sequence;
  if (unitsUp && seqUp) return "newer";
  if (!unitsUp && !seqUp) return "stale";
  return "conflict";
}
