// The receipt verifier's on-chain checks, over the SDK's account readers: the operator is
// active and this is its current signing key; once the segment is assigned on-chain it is this
// operator's with this SKU, the execution is still open and the receipt is above what settled.
// Reads are cached for a moment: intake runs at thousands of receipts per second, accounts
// change at the chain's pace, and the program re-checks everything when the receipt lands.
import { decodeSku } from "@arknet/escrow";
import type { Address } from "@solana/kit";
import { ReceiptRefusal, type ChainChecks } from "../api/verify.ts";
import type { EscrowChain } from "./escrowChain.ts";

const OPERATOR_ACTIVE = 1;
const EXECUTION_OPEN = 1;

/**
 * Reads cached for `ttlMs`; when the RPC fails, the last value read stands (an outage must not
 * stop intake of receipts the program will check again anyway), and only a key never read fails.
 */
export function cached<V>(ttlMs: number, read: (key: string) => Promise<V>) {
  const entries = new Map<string, { at: number; value: Promise<V>; last?: V }>();
  return (key: string): Promise<V> => {
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const entry: { at: number; value: Promise<V>; last?: V } = { at: Date.now(), value: Promise.resolve() as Promise<V>, last: hit?.last };
    entry.value = read(key).then(
      (v) => ((entry.last = v), v),
      (e) => {
        if (entry.last !== undefined) return entry.last;
        entries.delete(key);
        throw e;
      },
    );
    entries.set(key, entry);
    if (entries.size > 50_000) entries.delete(entries.keys().next().value!);
    return entry.value;
  };
}

export function escrowChainChecks(chain: EscrowChain, ttlMs = 1_000): ChainChecks {
  const operator = cached(ttlMs, (a) => chain.readOperator(a as Address));
  const execution = cached(ttlMs, (a) => chain.readExecution(a as Address));
  return async (receipt, segment) => {
    let op, ex;
    try {
      [op, ex] = await Promise.all([operator(segment.operator), execution(receipt.execution)]);
    } catch (e) {
      throw new ReceiptRefusal("ChainCheckFailed", `the chain could not be read to check this receipt: ${(e as Error).message}`, 503);
    }
    if (!op || op.status !== OPERATOR_ACTIVE) throw new ReceiptRefusal("OperatorNotActive", `operator ${segment.operator} is not active on-chain`, 403);
    if (op.signingKey !== receipt.signer) throw new ReceiptRefusal("WrongSigner", `operator ${segment.operator} signs with ${op.signingKey} on-chain, not ${receipt.signer}`, 403);
    if (!ex) throw new ReceiptRefusal("UnknownExecution", `execution ${receipt.execution} does not exist on-chain`, 404);
    if (ex.status !== EXECUTION_OPEN) throw new ReceiptRefusal("ChainCheckFailed", `execution ${receipt.execution} is settled on-chain: it takes no more receipts`, 409);
    if (receipt.segment < ex.segmentCount) {
      const s = ex.segments[receipt.segment];
      if (s.operator !== segment.operator || decodeSku(s.sku) !== receipt.sku) {
        throw new ReceiptRefusal("ChainCheckFailed", `segment ${receipt.segment} is assigned on-chain to ${s.operator} for ${decodeSku(s.sku)}`, 409);
      }
      if (receipt.cumulativeUnits <= s.settledUnits || receipt.sequence <= s.lastSeq) {
        throw new ReceiptRefusal("ChainCheckFailed", `segment ${receipt.segment} already settled ${s.settledUnits} units (sequence ${s.lastSeq}) on-chain`, 409);
      }
    }
  };
}
