// Accounts as the validator serves them, and a short history of their previous values so
// that reads at the confirmed or finalized commitment see the state of that slot rather
// than LiteSVM's newest (processed) state.
import { fromBase58, toBase58 } from "./codec.ts";
import type { Svm } from "./svm.ts";

export interface Account {
  lamports: bigint;
  data: Uint8Array;
  owner: string;
  executable: boolean;
  rentEpoch: bigint;
}

export function readSvmAccount(svm: Svm, key: Uint8Array): Account | null {
  const a = svm.getAccount(key);
  if (!a) return null;
  const lamports = a.lamports();
  if (lamports === 0n) return null; // a zero-lamport account does not exist for the RPC
  return { lamports, data: a.data(), owner: toBase58(a.owner()), executable: a.executable(), rentEpoch: a.rentEpoch() };
}

export function sameAccount(a: Account | null, b: Account | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.lamports === b.lamports &&
    a.owner === b.owner &&
    a.executable === b.executable &&
    a.data.length === b.data.length &&
    Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) === 0
  );
}

interface Version {
  /** The slot of the first write that replaced `prev`. */
  slot: number;
  prev: Account | null;
}

/** Previous values of accounts written in recent (not yet finalized) slots. */
export function createAccountHistory() {
  const versions = new Map<string, Version[]>();
  return {
    /** Records that `address` held `prev` before a write in `slot`. */
    recordWrite(address: string, slot: number, prev: Account | null): void {
      const list = versions.get(address);
      if (!list) versions.set(address, [{ slot, prev }]);
      else if (list[list.length - 1].slot !== slot) list.push({ slot, prev });
    },
    /**
     * The value of `address` at the end of `slot`: `undefined` when it has not changed since
     * (read LiteSVM), else the value it held then.
     */
    at(address: string, slot: number): Account | null | undefined {
      const list = versions.get(address);
      if (!list) return undefined;
      for (const v of list) if (v.slot > slot) return v.prev;
      return undefined;
    },
    /** Addresses written after `slot`. */
    changedAfter(slot: number): string[] {
      const out: string[] = [];
      for (const [address, list] of versions) if (list[list.length - 1].slot > slot) out.push(address);
      return out;
    },
    /** Forgets versions no commitment can read any more (at or below the finalized slot). */
    prune(finalizedSlot: number): void {
      for (const [address, list] of versions) {
        const keep = list.filter((v) => v.slot > finalizedSlot);
        if (keep.length === 0) versions.delete(address);
        else if (keep.length !== list.length) versions.set(address, keep);
      }
    },
  };
}

export type AccountHistory = ReturnType<typeof createAccountHistory>;

export const pubkeyBytes = (address: string) => fromBase58(address);
