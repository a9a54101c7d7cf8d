// Account reads: single, multiple, balances and program accounts with filters.
import { fromBase58, fromBase64 } from "../../chain/codec.ts";
import type { Account } from "../../chain/accounts.ts";
import { isTokenAccount } from "../../chain/tokens.ts";
import { invalidParams } from "../errors.ts";
import { withContext, type Handler } from "../context.ts";
import { accountEncoding, dataSlice, encodeAccount } from "../encode.ts";
import { arity, bool, commitment, config, contextSlot, pubkey, typeError } from "../params.ts";

type Filter = (a: Account) => boolean;

/** getProgramAccounts filters: dataSize, memcmp (base58 or base64 bytes), tokenAccountState. */
export function parseFilters(v: unknown): Filter[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw typeError(v, "a sequence");
  if (v.length > 4) throw invalidParams("Too many filters provided; max 4");
  return v.map((f: any): Filter => {
    if (f && typeof f === "object" && "dataSize" in f) {
      const size = f.dataSize;
      if (typeof size !== "number" || !Number.isInteger(size) || size < 0) throw typeError(size, "u64");
      return (a) => a.data.length === size;
    }
    if (f && typeof f === "object" && "memcmp" in f) {
      const m = f.memcmp ?? {};
      const offset = m.offset;
      if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) throw invalidParams("Invalid params: missing field `offset`.");
      if (typeof m.bytes !== "string") throw invalidParams("Invalid params: missing field `bytes`.");
      const encoding = m.encoding ?? "base58";
      let bytes: Uint8Array;
      if (encoding === "base64") {
        if (m.bytes.length > 172) throw invalidParams("Invalid param: TooLarge");
        bytes = fromBase64(m.bytes);
      } else if (encoding === "base58") {
        if (m.bytes.length > 175) throw invalidParams("Invalid param: TooLarge");
        try {
          bytes = fromBase58(m.bytes);
        } catch {
          const bad = [...m.bytes].findIndex((c) => !/[1-9A-HJ-NP-Za-km-z]/.test(c));
          throw invalidParams(`Invalid param: Base58DecodeError(InvalidCharacter { character: '${m.bytes[bad]}', index: ${bad} })`);
        }
      } else throw invalidParams(`Invalid params: unknown variant \`${encoding}\`, expected one of \`base58\`, \`base64\`.`);
      return (a) => {
        if (offset + bytes.length > a.data.length) return false;
        for (let i = 0; i < bytes.length; i++) if (a.data[offset + i] !== bytes[i]) return false;
        return true;
      };
    }
    if (f && typeof f === "object" && "tokenAccountState" in f) return (a) => isTokenAccount(a);
    throw invalidParams("Invalid params: unknown variant, expected one of `memcmp`, `dataSize`, `tokenAccountState`.");
  });
}

export const accountMethods: Record<string, Handler> = {
  getAccountInfo: (p, { chain }) => {
    arity(p, 1, 2);
    const address = pubkey(p[0]);
    const cfg = config(p[1]);
    const encoding = accountEncoding(cfg.encoding);
    const slice = dataSlice(cfg.dataSlice);
    const slot = contextSlot(chain, cfg);
    const a = chain.getAccount(address, commitment(cfg));
    return withContext(slot, a ? encodeAccount(chain, a, encoding, slice) : null);
  },
  getMultipleAccounts: (p, { chain }) => {
    arity(p, 1, 2);
    if (!Array.isArray(p[0])) throw typeError(p[0], "a sequence");
    if (p[0].length > 100) throw invalidParams("Too many inputs provided; max 100");
    const addresses = p[0].map((a) => pubkey(a));
    const cfg = config(p[1]);
    const encoding = accountEncoding(cfg.encoding, "base64");
    const slice = dataSlice(cfg.dataSlice);
    const slot = contextSlot(chain, cfg);
    const c = commitment(cfg);
    return withContext(
      slot,
      addresses.map((address) => {
        const a = chain.getAccount(address, c);
        return a ? encodeAccount(chain, a, encoding, slice) : null;
      }),
    );
  },
  getBalance: (p, { chain }) => {
    arity(p, 1, 2);
    const address = pubkey(p[0]);
    const cfg = config(p[1]);
    const slot = contextSlot(chain, cfg);
    return withContext(slot, chain.getAccount(address, commitment(cfg))?.lamports ?? 0n);
  },
  getProgramAccounts: (p, { chain }) => {
    arity(p, 1, 2);
    const program = pubkey(p[0]);
    const cfg = config(p[1]);
    const encoding = accountEncoding(cfg.encoding);
    const slice = dataSlice(cfg.dataSlice);
    const filters = parseFilters(cfg.filters);
    const slot = contextSlot(chain, cfg);
    const list = chain
      .getProgramAccounts(program, commitment(cfg))
      .filter(({ account }) => filters.every((f) => f(account)))
      .map(({ address, account }) => ({ account: encodeAccount(chain, account, encoding, slice), pubkey: address }));
    return bool(cfg.withContext, false) ? withContext(slot, list) : list;
  },
};
