// PubSub subscriptions: account, program, signature, logs and slot, each delivered at its
// commitment. Processed notifications go out as the chain changes; confirmed and finalized
// ones when a slot reaches that commitment (replaying that slot's writes and transactions).
import type { Account } from "../chain/accounts.ts";
import type { Chain, Commitment, SlotRecord, TxRecord } from "../chain/chain.ts";
import { FINALIZATION_LAG, SYSTEM_PROGRAM } from "../chain/constants.ts";
import { invalidParams, RpcError } from "../rpc/errors.ts";
import { accountEncoding, dataSlice, encodeAccount, type AccountEncoding, type DataSlice } from "../rpc/encode.ts";
import { parseFilters } from "../rpc/methods/accounts.ts";
import { arity, bool, commitment, config, pubkey, signature } from "../rpc/params.ts";

type Send = (method: string, subscription: number, result: unknown) => void;

interface Base {
  id: number;
  commitment: Commitment;
  send: Send;
  owner: object;
}
type Sub =
  | (Base & { kind: "account"; address: string; encoding: AccountEncoding; slice?: DataSlice })
  | (Base & { kind: "program"; program: string; encoding: AccountEncoding; slice?: DataSlice; filters: ((a: Account) => boolean)[] })
  | (Base & { kind: "signature"; signature: string; received: boolean })
  | (Base & { kind: "logs"; mentions: string | null })
  | (Base & { kind: "slot" })
  | (Base & { kind: "root" });

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;

const ctx = (slot: number, value: unknown) => ({ context: { slot }, value });

const DELETED: Account = { lamports: 0n, data: new Uint8Array(0), owner: SYSTEM_PROGRAM, executable: false, rentEpoch: 0n };

export function createSubscriptions(chain: Chain) {
  const subs = new Map<number, Sub>();
  let nextId = 0;

  function notifyAccount(address: string, account: Account | null, slot: number, c: Commitment) {
    for (const s of subs.values()) {
      if (s.commitment !== c) continue;
      if (s.kind === "account" && s.address === address)
        s.send("accountNotification", s.id, ctx(slot, encodeAccount(chain, account ?? DELETED, s.encoding, s.slice)));
      else if (s.kind === "program" && account && account.owner === s.program && s.filters.every((f) => f(account)))
        s.send("programNotification", s.id, ctx(slot, { account: encodeAccount(chain, account, s.encoding, s.slice), pubkey: address }));
    }
  }

  function notifyTransaction(r: TxRecord, c: Commitment) {
    for (const s of subs.values()) {
      if (s.commitment !== c) continue;
      if (s.kind === "signature" && s.signature === r.signature) {
        s.send("signatureNotification", s.id, ctx(r.slot, { err: r.err ? r.err.json : null }));
        subs.delete(s.id);
      } else if (s.kind === "logs" && (s.mentions === null || r.accountKeys.includes(s.mentions)))
        s.send("logsNotification", s.id, ctx(r.slot, { err: r.err ? r.err.json : null, logs: r.logs, signature: r.signature }));
    }
  }

  function replaySlot(rec: SlotRecord | undefined, c: Commitment) {
    if (!rec) return;
    for (const sig of rec.signatures) {
      const r = chain.transaction(sig);
      if (r) notifyTransaction(r, c);
    }
    for (const [address, account] of rec.writes) notifyAccount(address, account, rec.slot, c);
  }

  chain.listeners.account.push((address, account, slot) => notifyAccount(address, account, slot, "processed"));
  chain.listeners.transaction.push((r) => notifyTransaction(r, "processed"));
  chain.listeners.slot.push((rec) => {
    const root = chain.commitmentSlot("finalized");
    for (const s of subs.values()) {
      if (s.kind === "slot") s.send("slotNotification", s.id, { parent: rec.parent, root, slot: rec.slot });
      if (s.kind === "root") s.send("rootNotification", s.id, root);
    }
    replaySlot(chain.slotRecord(rec.slot - 1), "confirmed");
    if (rec.slot - FINALIZATION_LAG >= 0) replaySlot(chain.slotRecord(rec.slot - FINALIZATION_LAG), "finalized");
  });

  function add(sub: DistributiveOmit<Sub, "id">): number {
    const id = nextId++;
    subs.set(id, { ...sub, id } as Sub);
    return id;
  }

  /** Handles a *Subscribe or *Unsubscribe call from `owner` (a connection); returns the result. */
  function handle(method: string, params: unknown[], owner: object, send: Send): unknown {
    const base = (cfg: Record<string, any>) => ({ commitment: commitment(cfg), send, owner });
    switch (method) {
      case "accountSubscribe": {
        arity(params, 1, 2);
        const address = pubkey(params[0]);
        const cfg = config(params[1]);
        return add({ kind: "account", address, encoding: accountEncoding(cfg.encoding), slice: dataSlice(cfg.dataSlice), ...base(cfg) });
      }
      case "programSubscribe": {
        arity(params, 1, 2);
        const program = pubkey(params[0]);
        const cfg = config(params[1]);
        return add({
          kind: "program",
          program,
          encoding: accountEncoding(cfg.encoding),
          slice: dataSlice(cfg.dataSlice),
          filters: parseFilters(cfg.filters),
          ...base(cfg),
        });
      }
      case "signatureSubscribe": {
        arity(params, 1, 2);
        const sig = signature(params[0]);
        const cfg = config(params[1]);
        const received = bool(cfg.enableReceivedNotification, false);
        const b = base(cfg);
        const id = add({ kind: "signature", signature: sig, received, ...b });
        const st = chain.signatureStatus(sig, false);
        const reached = st && (b.commitment === "processed" || (b.commitment === "confirmed" ? st.status !== "processed" : st.status === "finalized"));
        // Already at the commitment: notify right after the subscription id is sent.
        if (st && reached)
          queueMicrotask(() => {
            if (!subs.has(id)) return;
            subs.delete(id);
            send("signatureNotification", id, ctx(st.record.slot, { err: st.record.err ? st.record.err.json : null }));
          });
        return id;
      }
      case "logsSubscribe": {
        arity(params, 1, 2);
        const filter = params[0] as any;
        let mentions: string | null = null;
        if (filter === "all" || filter === "allWithVotes") mentions = null;
        else if (filter && typeof filter === "object" && Array.isArray(filter.mentions)) {
          if (filter.mentions.length !== 1) throw invalidParams("Invalid Request: Only 1 address supported");
          mentions = pubkey(filter.mentions[0]);
        } else throw invalidParams("Invalid params: unknown variant, expected `all`, `allWithVotes` or `mentions`.");
        return add({ kind: "logs", mentions, ...base(config(params[1])) });
      }
      case "slotSubscribe":
        arity(params, 0, 0);
        return add({ kind: "slot", commitment: "processed", send, owner });
      case "rootSubscribe":
        arity(params, 0, 0);
        return add({ kind: "root", commitment: "finalized", send, owner });
      case "accountUnsubscribe":
      case "programUnsubscribe":
      case "signatureUnsubscribe":
      case "logsUnsubscribe":
      case "slotUnsubscribe":
      case "rootUnsubscribe": {
        arity(params, 1, 1);
        const id = params[0];
        const kind = method.replace("Unsubscribe", "");
        const s = typeof id === "number" ? subs.get(id) : undefined;
        if (!s || s.owner !== owner || s.kind !== kind) throw invalidParams("Invalid subscription id.");
        subs.delete(id as number);
        return true;
      }
      default:
        throw new RpcError(-32601, "Method not found");
    }
  }

  function dropOwner(owner: object) {
    for (const [id, s] of subs) if (s.owner === owner) subs.delete(id);
  }

  return { handle, dropOwner, count: () => subs.size };
}
