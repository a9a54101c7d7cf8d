// The ledger around LiteSVM: slots and blockhashes, signature statuses moving through
// processed → confirmed → finalized, transaction history, signatures by address, token
// indexes and change events. LiteSVM executes; everything a client observes about time,
// commitment and history is kept here.
import { fromBase58, toBase58, u64le } from "./codec.ts";
import { createAccountHistory, readSvmAccount, type Account } from "./accounts.ts";
import {
  FINALIZATION_LAG,
  MAX_PROCESSING_AGE,
  PRECOMPILES,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from "./constants.ts";
import { feeDetails, type FeeDetails } from "./fees.ts";
import { isMint, isTokenAccount, isTokenProgram, readMint, readTokenAccount, uiTokenAmount } from "./tokens.ts";
import { isStaticWritable, type WireTransaction } from "./wire.ts";
import { FailedTransactionMetadata, SimulatedTransactionInfo, type Svm } from "./svm.ts";
import { namedTxError, txErrorFromSvm, type TxError } from "./errors.ts";

export type Commitment = "processed" | "confirmed" | "finalized";

export interface InnerIx {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
  stackHeight: number;
}

export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: ReturnType<typeof uiTokenAmount>;
}

export interface ExecutionMeta {
  err: TxError | null;
  logs: string[];
  computeUnits: bigint;
  innerInstructions: { index: number; instructions: InnerIx[] }[];
  returnData: { programId: string; data: Uint8Array } | null;
}

export interface TxRecord extends ExecutionMeta {
  signature: string;
  slot: number;
  index: number;
  blockTime: number;
  bytes: Uint8Array;
  version: "legacy" | 0;
  fee: bigint;
  costUnits: number;
  accountKeys: string[];
  loadedAddresses: { writable: string[]; readonly: string[] };
  preBalances: bigint[];
  postBalances: bigint[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
}

export interface SlotRecord {
  slot: number;
  parent: number;
  blockhash: string;
  blockTime: number;
  signatures: string[];
  /** Final value of each account written in this slot. */
  writes: Map<string, Account | null>;
  /** Highest prioritization fee paid per writable account, and the slot's minimum. */
  fees: { min: bigint | null; byAccount: Map<string, bigint> };
}

export interface ChainListeners {
  slot: ((s: SlotRecord) => void)[];
  transaction: ((r: TxRecord) => void)[];
  account: ((address: string, account: Account | null, slot: number) => void)[];
}

export type SubmitOutcome =
  | { kind: "landed"; record: TxRecord }
  | { kind: "dropped"; error: TxError };

export interface SimulateResult extends ExecutionMeta {
  fee: bigint;
  loadedAddresses: { writable: string[]; readonly: string[] };
  loadedAccountsDataSize: number;
  accounts: Map<string, Account | null>;
  preBalances: bigint[];
  postBalances: bigint[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
}

export interface ChainState {
  genesisHash: string;
  slot: number;
  transactionCount: number;
  records: TxRecord[];
  blockhashes: [string, number][];
  slotTimes: [number, number][];
}

const LOOKUP_TABLE_META = 56;
/** Slots a status stays in the status cache (searchTransactionHistory=false finds it). */
const STATUS_CACHE_SLOTS = 300;

export function createChain(svm: Svm, state: ChainState, now: () => number = () => Date.now()) {
  const listeners: ChainListeners = { slot: [], transaction: [], account: [] };
  const history = createAccountHistory();
  const records = new Map<string, TxRecord>();
  const bySignatureAddress = new Map<string, TxRecord[]>();
  const blockhashSlot = new Map<string, number>(state.blockhashes);
  const slotTimes = new Map<number, number>(state.slotTimes);
  const slots = new Map<number, SlotRecord>();
  const executables = new Set<string>();
  const mintDecimals = new Map<string, number>();
  const tokenByOwner = new Map<string, Set<string>>();
  const tokenByMint = new Map<string, Set<string>>();
  let current = state.slot;
  let transactionCount = state.transactionCount;
  /** sendTransaction calls and the time spent in them, HTTP and JSON excluded (for benchmarks). */
  const stats = { submitted: 0, submitMs: 0 };

  for (const r of state.records) indexRecord(r);
  for (const program of [TOKEN_PROGRAM, TOKEN_2022_PROGRAM])
    for (const aa of svm.getProgramAccounts(fromBase58(program))) {
      const account = readSvmAccount(svm, aa.address);
      if (account) indexToken(toBase58(aa.address), null, account);
    }
  openSlot(current, Math.max(0, current - 1), false);

  function indexRecord(r: TxRecord) {
    records.set(r.signature, r);
    for (const key of new Set(r.accountKeys)) {
      const list = bySignatureAddress.get(key);
      if (list) list.push(r);
      else bySignatureAddress.set(key, [r]);
    }
  }

  function setIndex(map: Map<string, Set<string>>, key: string, address: string, add: boolean) {
    let set = map.get(key);
    if (add) {
      if (!set) map.set(key, (set = new Set()));
      set.add(address);
    } else set?.delete(address);
  }

  function indexToken(address: string, before: Account | null, after: Account | null) {
    if (before && isTokenAccount(before)) {
      const t = readTokenAccount(before.data);
      setIndex(tokenByOwner, t.owner, address, false);
      setIndex(tokenByMint, t.mint, address, false);
    }
    if (after && isTokenAccount(after)) {
      const t = readTokenAccount(after.data);
      setIndex(tokenByOwner, t.owner, address, true);
      setIndex(tokenByMint, t.mint, address, true);
    }
  }

  /** Opens `slot`: clock time, and (when advancing) LiteSVM's slot and a new blockhash. */
  function openSlot(slot: number, parent: number, advancing: boolean) {
    if (advancing) svm.warpToSlot(BigInt(slot));
    const time = slotTimes.get(slot) ?? Math.floor(now() / 1000);
    slotTimes.set(slot, time);
    const clock = svm.getClock();
    clock.unixTimestamp = BigInt(time);
    svm.setClock(clock);
    if (advancing) svm.expireBlockhash();
    const blockhash = svm.latestBlockhash();
    if (!blockhashSlot.has(blockhash)) blockhashSlot.set(blockhash, slot);
    slots.set(slot, { slot, parent, blockhash, blockTime: time, signatures: [], writes: new Map(), fees: { min: null, byAccount: new Map() } });
  }

  function commitmentSlot(c: Commitment): number {
    if (c === "processed") return current;
    if (c === "confirmed") return Math.max(0, current - 1);
    return Math.max(0, current - FINALIZATION_LAG);
  }

  /** Ends the current slot (it becomes confirmed) and opens the next one. */
  function advanceSlot(): SlotRecord {
    const parent = current;
    current += 1;
    openSlot(current, parent, true);
    const finalized = commitmentSlot("finalized");
    history.prune(finalized);
    for (const [s, rec] of slots) {
      if (s < current - MAX_PROCESSING_AGE) slots.delete(s);
      else if (s < finalized - 2) rec.writes.clear();
    }
    for (const [hash, s] of blockhashSlot) if (s < current - 2 * MAX_PROCESSING_AGE) blockhashSlot.delete(hash);
    for (const s of slotTimes.keys()) if (s < current - 2 * MAX_PROCESSING_AGE) slotTimes.delete(s);
    const record = slots.get(current)!;
    for (const l of listeners.slot) l(record);
    return record;
  }

  function blockhashFor(c: Commitment) {
    const slot = commitmentSlot(c);
    const rec = slots.get(slot);
    const blockhash = rec ? rec.blockhash : [...blockhashSlot].find(([, s]) => s === slot)?.[0] ?? svm.latestBlockhash();
    return { blockhash, lastValidBlockHeight: slot + MAX_PROCESSING_AGE, slot };
  }

  function blockhashValid(hash: string, atSlot = current): boolean {
    const s = blockhashSlot.get(hash);
    return s !== undefined && s <= atSlot && atSlot <= s + MAX_PROCESSING_AGE;
  }

  function getAccount(address: string, c: Commitment = "processed"): Account | null {
    if (c !== "processed") {
      const old = history.at(address, commitmentSlot(c));
      if (old !== undefined) return old;
    }
    return readSvmAccount(svm, fromBase58(address));
  }

  /** Accounts owned by `program` at commitment `c`. */
  function getProgramAccounts(program: string, c: Commitment = "processed"): { address: string; account: Account }[] {
    const out = new Map<string, Account>();
    for (const aa of svm.getProgramAccounts(fromBase58(program))) {
      const acct = aa.account();
      if (acct.lamports() === 0n) continue;
      out.set(toBase58(aa.address), {
        lamports: acct.lamports(),
        data: acct.data(),
        owner: program,
        executable: acct.executable(),
        rentEpoch: acct.rentEpoch(),
      });
    }
    if (c !== "processed") {
      const at = commitmentSlot(c);
      for (const address of history.changedAfter(at)) {
        const old = history.at(address, at);
        if (old === undefined) continue;
        if (old && old.owner === program) out.set(address, old);
        else out.delete(address);
      }
    }
    return [...out].map(([address, account]) => ({ address, account }));
  }

  function decimalsOf(mint: string): number | null {
    const known = mintDecimals.get(mint);
    if (known !== undefined) return known;
    const a = readSvmAccount(svm, fromBase58(mint));
    if (!a || !isMint(a)) return null;
    const d = readMint(a.data).decimals;
    mintDecimals.set(mint, d);
    return d;
  }

  function tokenAccounts(by: "owner" | "mint", key: string, c: Commitment): { address: string; account: Account }[] {
    const index = by === "owner" ? tokenByOwner : tokenByMint;
    const candidates = new Set(index.get(key) ?? []);
    if (c !== "processed") for (const a of history.changedAfter(commitmentSlot(c))) candidates.add(a);
    const out: { address: string; account: Account }[] = [];
    for (const address of candidates) {
      const account = getAccount(address, c);
      if (!account || !isTokenAccount(account)) continue;
      const t = readTokenAccount(account.data);
      if ((by === "owner" ? t.owner : t.mint) === key) out.push({ address, account });
    }
    return out;
  }

  function tokenBalance(index: number, a: Account | null): TokenBalance | null {
    if (!a || !isTokenAccount(a)) return null;
    const t = readTokenAccount(a.data);
    const decimals = decimalsOf(t.mint);
    if (decimals === null) return null;
    return { accountIndex: index, mint: t.mint, owner: t.owner, programId: a.owner, uiTokenAmount: uiTokenAmount(t.amount, decimals) };
  }

  /** Static keys followed by the keys loaded from address lookup tables (writable first). */
  function resolveKeys(tx: WireTransaction) {
    const keys = tx.staticKeys.map(toBase58);
    const writable: string[] = [];
    const readonly: string[] = [];
    for (const l of tx.lookups) {
      const table = readSvmAccount(svm, l.accountKey);
      const addr = (i: number) => {
        const at = LOOKUP_TABLE_META + 32 * i;
        if (!table || at + 32 > table.data.length) return null;
        return toBase58(table.data.subarray(at, at + 32));
      };
      for (const i of l.writableIndexes) {
        const a = addr(i);
        if (a) writable.push(a);
      }
      for (const i of l.readonlyIndexes) {
        const a = addr(i);
        if (a) readonly.push(a);
      }
    }
    const all = [...keys, ...writable, ...readonly];
    const isWritable = (i: number) => (i < keys.length ? isStaticWritable(tx, i) : i < keys.length + writable.length);
    return { all, isWritable, loaded: { writable, readonly } };
  }

  function fees(tx: WireTransaction, keys: string[]): FeeDetails {
    return feeDetails(tx.signatures.length, tx.instructions, (ix) => keys[ix.programIdIndex] ?? "");
  }

  /** Account values of `keys` (executables skipped: they never change here). */
  function readKeys(keys: string[]): (Account | null)[] {
    return keys.map((k) => {
      if (executables.has(k)) return null;
      const a = readSvmAccount(svm, fromBase58(k));
      if (a?.executable) executables.add(k);
      return a;
    });
  }

  function balances(keys: string[], accounts: (Account | null)[]): bigint[] {
    return keys.map((k, i) => accounts[i]?.lamports ?? (executables.has(k) ? svm.getBalance(fromBase58(k)) ?? 0n : 0n));
  }

  function tokenBalances(accounts: (Account | null)[]): TokenBalance[] {
    const out: TokenBalance[] = [];
    accounts.forEach((a, i) => {
      const b = tokenBalance(i, a);
      if (b) out.push(b);
    });
    return out;
  }

  function executionMeta(meta: InstanceType<typeof FailedTransactionMetadata> | { meta(): any } | any, failed: boolean): ExecutionMeta {
    const inner = failed ? meta.meta() : meta;
    const rd = inner.returnData();
    const rdData: Uint8Array = rd.data();
    const rdProgram: Uint8Array = rd.programId();
    return {
      err: failed ? txErrorFromSvm(meta.err()) : null,
      logs: inner.logs(),
      computeUnits: inner.computeUnitsConsumed(),
      innerInstructions: (inner.innerInstructions() as any[][])
        .map((list, index) => ({
          index,
          instructions: list.map((ii: any) => {
            const ci = ii.instruction();
            return { programIdIndex: ci.programIdIndex(), accounts: Array.from(ci.accounts() as Uint8Array), data: ci.data(), stackHeight: ii.stackHeight() };
          }),
        }))
        .filter((g) => g.instructions.length > 0),
      returnData: rdData.length > 0 ? { programId: toBase58(rdProgram), data: rdData } : null,
    };
  }

  function costUnits(tx: WireTransaction, keys: string[], isWritable: (i: number) => boolean, fd: FeeDetails, cu: bigint, loadedBytes: number): number {
    let writable = 0;
    for (let i = 0; i < keys.length; i++) if (isWritable(i)) writable++;
    let dataBytes = 0;
    for (const ix of tx.instructions) dataBytes += ix.data.length;
    const precompile = fd.precompileSignatures * 2400;
    return 720 * tx.signatures.length + precompile + 300 * writable + Math.floor(dataBytes / 4) + Number(cu) + 8 * Math.max(1, Math.ceil(loadedBytes / 32768));
  }

  /**
   * Executes `tx` in the current slot. Transactions a leader would drop before execution
   * (bad blockhash, duplicate, unpayable fee, bad signature) are `dropped` with that error and
   * change nothing; the others land, successful or not, and pay their fee.
   */
  function submit(tx: WireTransaction): SubmitOutcome {
    const signature = toBase58(tx.signatures[0]);
    if (records.has(signature)) return { kind: "dropped", error: namedTxError("AlreadyProcessed") };
    if (!blockhashValid(toBase58(tx.recentBlockhash))) return { kind: "dropped", error: namedTxError("BlockhashNotFound") };
    const { all: keys, isWritable, loaded } = resolveKeys(tx);
    const pre = readKeys(keys);
    const fd = fees(tx, keys);
    const result = svm.sendVersionedTransaction(tx.bytes);
    const failed = result instanceof FailedTransactionMetadata;
    const post = readKeys(keys);
    const payerBefore = pre[0]?.lamports ?? 0n;
    const payerAfter = post[0]?.lamports ?? 0n;
    if (failed && payerAfter === payerBefore) return { kind: "dropped", error: txErrorFromSvm((result as any).err()) };
    const meta = executionMeta(result, failed);
    const slotRec = slots.get(current)!;
    let loadedBytes = 0;
    for (const a of pre) loadedBytes += a?.data.length ?? 0;
    const record: TxRecord = {
      ...meta,
      signature,
      slot: current,
      index: slotRec.signatures.length,
      blockTime: slotRec.blockTime,
      bytes: tx.bytes,
      version: tx.version,
      fee: fd.fee,
      costUnits: costUnits(tx, keys, isWritable, fd, meta.computeUnits, loadedBytes),
      accountKeys: keys,
      loadedAddresses: loaded,
      preBalances: balances(keys, pre),
      postBalances: balances(keys, post),
      preTokenBalances: tokenBalances(pre),
      postTokenBalances: tokenBalances(post),
    };
    slotRec.signatures.push(signature);
    transactionCount += 1;
    indexRecord(record);
    const priority = fd.computeUnitPrice;
    slotRec.fees.min = slotRec.fees.min === null || priority < slotRec.fees.min ? priority : slotRec.fees.min;
    for (let i = 0; i < keys.length; i++) {
      if (!isWritable(i)) continue;
      const prevFee = slotRec.fees.byAccount.get(keys[i]);
      if (prevFee === undefined || priority > prevFee) slotRec.fees.byAccount.set(keys[i], priority);
    }
    // Writes: every writable account of a successful transaction, only the payer of a failed one.
    for (let i = 0; i < keys.length; i++) {
      if (!isWritable(i) || executables.has(keys[i]) || keys[i].startsWith("Sysvar")) continue;
      if (failed && i !== 0) continue;
      const address = keys[i];
      history.recordWrite(address, current, pre[i]);
      slotRec.writes.set(address, post[i]);
      if (isTokenProgram(pre[i]?.owner ?? "") || isTokenProgram(post[i]?.owner ?? "")) indexToken(address, pre[i], post[i]);
      for (const l of listeners.account) l(address, post[i], current);
    }
    for (const l of listeners.transaction) l(record);
    return { kind: "landed", record };
  }

  /** Runs `bytes` against the current state without changing it. */
  function simulate(tx: WireTransaction, opts: { sigVerify: boolean; bytes?: Uint8Array }): SimulateResult {
    const { all: keys, loaded } = resolveKeys(tx);
    const pre = readKeys(keys);
    const fd = fees(tx, keys);
    svm.setSigverify(opts.sigVerify);
    let result;
    try {
      result = svm.simulateVersionedTransaction(opts.bytes ?? tx.bytes);
    } finally {
      svm.setSigverify(true);
    }
    const failed = result instanceof FailedTransactionMetadata;
    const meta = executionMeta((result as any).meta(), false);
    if (failed) meta.err = txErrorFromSvm((result as any).err());
    const accounts = new Map<string, Account | null>();
    if (!failed)
      for (const aa of (result as InstanceType<typeof SimulatedTransactionInfo>).postAccounts()) {
        const a = aa.account();
        accounts.set(toBase58(aa.address), a.lamports() === 0n ? null : {
          lamports: a.lamports(), data: a.data(), owner: toBase58(a.owner()), executable: a.executable(), rentEpoch: a.rentEpoch(),
        });
      }
    const post = keys.map((k, i) => (accounts.has(k) ? accounts.get(k)! : pre[i]));
    let loadedAccountsDataSize = 0;
    for (const a of pre) loadedAccountsDataSize += a?.data.length ?? 0;
    return {
      ...meta,
      fee: fd.fee,
      loadedAddresses: loaded,
      loadedAccountsDataSize,
      accounts,
      preBalances: balances(keys, pre),
      postBalances: balances(keys, post),
      preTokenBalances: tokenBalances(pre),
      postTokenBalances: tokenBalances(post),
    };
  }

  function confirmationStatus(slot: number): Commitment {
    if (slot <= commitmentSlot("finalized")) return "finalized";
    if (slot <= commitmentSlot("confirmed")) return "confirmed";
    return "processed";
  }

  function signatureStatus(signature: string, searchHistory: boolean) {
    const r = records.get(signature);
    if (!r) return null;
    if (!searchHistory && current - r.slot > STATUS_CACHE_SLOTS) return null;
    const status = confirmationStatus(r.slot);
    return { record: r, status, confirmations: status === "finalized" ? null : current - r.slot };
  }

  /** Signatures touching `address`, newest first, at or below the commitment's slot. */
  function signaturesForAddress(address: string, c: Commitment, opts: { before?: string; until?: string; limit: number }) {
    const list = bySignatureAddress.get(address) ?? [];
    const maxSlot = commitmentSlot(c);
    const out: TxRecord[] = [];
    let started = opts.before === undefined;
    for (let i = list.length - 1; i >= 0 && out.length < opts.limit; i--) {
      const r = list[i];
      if (!started) {
        if (r.signature === opts.before) started = true;
        continue;
      }
      if (r.signature === opts.until) break;
      if (r.slot > maxSlot) continue;
      out.push(r);
    }
    return out;
  }

  function recentPrioritizationFees(addresses: string[]) {
    const out: { slot: number; prioritizationFee: bigint }[] = [];
    for (const s of [...slots.keys()].sort((a, b) => a - b)) {
      const rec = slots.get(s)!;
      if (rec.fees.min === null) continue;
      let fee = rec.fees.min;
      for (const a of addresses) {
        const f = rec.fees.byAccount.get(a);
        if (f !== undefined && f > fee) fee = f;
      }
      out.push({ slot: s, prioritizationFee: fee });
    }
    return out.slice(-150);
  }

  function exportState(): ChainState {
    return {
      genesisHash: state.genesisHash,
      slot: current,
      transactionCount,
      records: [...records.values()],
      blockhashes: [...blockhashSlot],
      slotTimes: [...slotTimes],
    };
  }

  return {
    svm,
    listeners,
    genesisHash: state.genesisHash,
    get slot() {
      return current;
    },
    get transactionCount() {
      return transactionCount;
    },
    commitmentSlot,
    advanceSlot,
    blockhashFor,
    blockhashValid,
    getAccount,
    getProgramAccounts,
    tokenAccounts,
    decimalsOf,
    submit,
    simulate,
    resolveKeys,
    fees,
    signatureStatus,
    confirmationStatus,
    transaction: (signature: string) => records.get(signature),
    signaturesForAddress,
    recentPrioritizationFees,
    slotRecord: (slot: number) => slots.get(slot),
    slotTime: (slot: number) => slotTimes.get(slot) ?? null,
    exportState,
    stats,
    precompileSignatures: (tx: WireTransaction) => {
      const keys = tx.staticKeys.map(toBase58);
      return tx.instructions.reduce((n, ix) => n + (PRECOMPILES.has(keys[ix.programIdIndex]) ? ix.data[0] ?? 0 : 0), 0);
    },
  };
}

export type Chain = ReturnType<typeof createChain>;

export { u64le };
