// Reads a wire transaction (legacy or v0) into the parts the validator needs: signatures,
// header, account keys, blockhash, instructions and address-table lookups. Malformed bytes
// throw WireError, which the RPC layer reports as invalid params, as a real node does.

export class WireError extends Error {}

export interface CompiledIx {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

export interface TableLookup {
  accountKey: Uint8Array;
  writableIndexes: number[];
  readonlyIndexes: number[];
}

export interface WireTransaction {
  bytes: Uint8Array;
  signatures: Uint8Array[];
  version: "legacy" | 0;
  header: { numRequiredSignatures: number; numReadonlySignedAccounts: number; numReadonlyUnsignedAccounts: number };
  staticKeys: Uint8Array[];
  recentBlockhash: Uint8Array;
  instructions: CompiledIx[];
  lookups: TableLookup[];
  /** Offset of the message in `bytes` (the signed part). */
  messageOffset: number;
  /** Offset of the recent blockhash in `bytes`. */
  blockhashOffset: number;
}

function reader(bytes: Uint8Array) {
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new WireError("io error: failed to fill whole buffer");
  };
  return {
    get pos() {
      return pos;
    },
    u8(): number {
      need(1);
      return bytes[pos++];
    },
    /**
     * compact-u16, canonical only (as Solana's deserializer: LiteSVM aborts the process on a
     * non-canonical one, so it must never reach it).
     */
    shortvec(): number {
      let len = 0;
      for (let i = 0; i < 3; i++) {
        need(1);
        const b = bytes[pos++];
        if (i === 2 && b > 0x03) throw new WireError("short u16: overflow");
        len |= (b & 0x7f) << (7 * i);
        if ((b & 0x80) === 0) {
          if (i > 0 && b === 0) throw new WireError("short u16: non-canonical encoding");
          return len;
        }
      }
      throw new WireError("short u16: overflow");
    },
    take(n: number): Uint8Array {
      need(n);
      const out = bytes.subarray(pos, pos + n);
      pos += n;
      return out;
    },
    done: () => pos === bytes.length,
  };
}

export function parseTransaction(bytes: Uint8Array): WireTransaction {
  const r = reader(bytes);
  const nsig = r.shortvec();
  const signatures: Uint8Array[] = [];
  for (let i = 0; i < nsig; i++) signatures.push(r.take(64));
  return parseMessageAt(bytes, r, signatures);
}

/** A bare message (getFeeForMessage), with no signatures. */
export function parseMessage(bytes: Uint8Array): WireTransaction {
  return parseMessageAt(bytes, reader(bytes), []);
}

function parseMessageAt(bytes: Uint8Array, r: ReturnType<typeof reader>, signatures: Uint8Array[]): WireTransaction {
  const messageOffset = r.pos;
  let first = r.u8();
  let version: "legacy" | 0 = "legacy";
  if (first & 0x80) {
    if ((first & 0x7f) !== 0) throw new WireError(`unsupported transaction version ${first & 0x7f}`);
    version = 0;
    first = r.u8();
  }
  const header = { numRequiredSignatures: first, numReadonlySignedAccounts: r.u8(), numReadonlyUnsignedAccounts: r.u8() };
  const nkeys = r.shortvec();
  const staticKeys: Uint8Array[] = [];
  for (let i = 0; i < nkeys; i++) staticKeys.push(r.take(32));
  const blockhashOffset = r.pos;
  const recentBlockhash = r.take(32);
  const nix = r.shortvec();
  const instructions: CompiledIx[] = [];
  for (let i = 0; i < nix; i++) {
    const programIdIndex = r.u8();
    const accounts = Array.from(r.take(r.shortvec()));
    const data = r.take(r.shortvec());
    instructions.push({ programIdIndex, accounts, data });
  }
  const lookups: TableLookup[] = [];
  if (version === 0) {
    const n = r.shortvec();
    for (let i = 0; i < n; i++) {
      const accountKey = r.take(32);
      const writableIndexes = Array.from(r.take(r.shortvec()));
      const readonlyIndexes = Array.from(r.take(r.shortvec()));
      lookups.push({ accountKey, writableIndexes, readonlyIndexes });
    }
  }
  if (!r.done()) throw new WireError("io error: trailing bytes");
  return { bytes, signatures, version, header, staticKeys, recentBlockhash, instructions, lookups, messageOffset, blockhashOffset };
}

/** Whether static key `i` is writable by the message header (before runtime demotion). */
export function isStaticWritable(tx: WireTransaction, i: number): boolean {
  const { numRequiredSignatures: s, numReadonlySignedAccounts: rs, numReadonlyUnsignedAccounts: ru } = tx.header;
  if (i < s) return i < s - rs;
  return i < tx.staticKeys.length - ru;
}

/** Why a leader would refuse the transaction's structure, or null when it is well formed. */
export function sanitizeError(tx: WireTransaction, totalKeys: number): string | null {
  const { numRequiredSignatures, numReadonlySignedAccounts, numReadonlyUnsignedAccounts } = tx.header;
  if (tx.signatures.length !== numRequiredSignatures) return "SanitizeFailure";
  if (numReadonlySignedAccounts >= numRequiredSignatures) return "SanitizeFailure";
  if (tx.staticKeys.length < numRequiredSignatures + numReadonlyUnsignedAccounts) return "SanitizeFailure";
  const seen = new Set<string>();
  for (const k of tx.staticKeys) {
    const h = Buffer.from(k).toString("hex");
    if (seen.has(h)) return "AccountLoadedTwice";
    seen.add(h);
  }
  for (const ix of tx.instructions) {
    if (ix.programIdIndex === 0 || ix.programIdIndex >= tx.staticKeys.length) return "SanitizeFailure";
    if (ix.accounts.some((a) => a >= totalKeys)) return "SanitizeFailure";
  }
  return null;
}
