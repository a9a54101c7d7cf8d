// SPL Token / Token-2022 account layouts: what the validator reads for token balances,
// the owner/mint indexes and jsonParsed encodings.
import { toBase58, u64le } from "./codec.ts";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "./constants.ts";
import type { Account } from "./accounts.ts";

export const TOKEN_ACCOUNT_LEN = 165;
export const MINT_LEN = 82;
const ACCOUNT_TYPE_OFFSET = 165;

export const isTokenProgram = (owner: string) => owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;

export interface TokenAccountFields {
  mint: string;
  owner: string;
  amount: bigint;
  delegate: string | null;
  state: number;
  isNative: bigint | null;
  delegatedAmount: bigint;
  closeAuthority: string | null;
}

export interface MintFields {
  mintAuthority: string | null;
  supply: bigint;
  decimals: number;
  isInitialized: boolean;
  freezeAuthority: string | null;
}

/** Token-2022 accounts are longer and carry an account-type byte at offset 165 (1 = mint, 2 = account). */
export function isTokenAccount(a: Account): boolean {
  if (!isTokenProgram(a.owner)) return false;
  if (a.data.length === TOKEN_ACCOUNT_LEN) return true;
  return a.owner === TOKEN_2022_PROGRAM && a.data.length > TOKEN_ACCOUNT_LEN && a.data[ACCOUNT_TYPE_OFFSET] === 2;
}

export function isMint(a: Account): boolean {
  if (!isTokenProgram(a.owner)) return false;
  if (a.data.length === MINT_LEN) return true;
  return a.owner === TOKEN_2022_PROGRAM && a.data.length > TOKEN_ACCOUNT_LEN && a.data[ACCOUNT_TYPE_OFFSET] === 1;
}

const optionKey = (d: Uint8Array, at: number) => (d[at] === 1 ? toBase58(d.subarray(at + 4, at + 36)) : null);

export function readTokenAccount(d: Uint8Array): TokenAccountFields {
  return {
    mint: toBase58(d.subarray(0, 32)),
    owner: toBase58(d.subarray(32, 64)),
    amount: u64le(d, 64),
    delegate: optionKey(d, 72),
    state: d[108],
    isNative: d[109] === 1 ? u64le(d, 113) : null,
    delegatedAmount: u64le(d, 121),
    closeAuthority: optionKey(d, 129),
  };
}

export function readMint(d: Uint8Array): MintFields {
  return {
    mintAuthority: optionKey(d, 0),
    supply: u64le(d, 36),
    decimals: d[44],
    isInitialized: d[45] === 1,
    freezeAuthority: optionKey(d, 46),
  };
}

/**
 * A float the RPC writes as agave does (serde's f64: `2.0`, not `2`), so clients that parse
 * integers as bigint see a number. `stringify` (rpc/encode.ts) writes the marker raw.
 */
export class JsonFloat {
  constructor(readonly value: number) {}
  toJSON() {
    return `__raw__${Number.isInteger(this.value) ? `${this.value}.0` : String(this.value)}__`;
  }
}

/** The RPC's uiTokenAmount: amount as a string, decimals, and the amount in whole tokens. */
export function uiTokenAmount(amount: bigint, decimals: number) {
  const s = amount.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, "");
  const uiAmountString = frac ? `${whole}.${frac}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: new JsonFloat(Number(uiAmountString)), uiAmountString };
}

const STATES = ["uninitialized", "initialized", "frozen"];

/** jsonParsed form of a token account or mint, or null when the account is neither. */
export function parseTokenAccountJson(a: Account, decimalsOf: (mint: string) => number | null): object | null {
  const program = a.owner === TOKEN_PROGRAM ? "spl-token" : "spl-token-2022";
  if (isTokenAccount(a)) {
    const t = readTokenAccount(a.data);
    const decimals = decimalsOf(t.mint);
    if (decimals === null) return null;
    const info: Record<string, unknown> = {
      isNative: t.isNative !== null,
      mint: t.mint,
      owner: t.owner,
      state: STATES[t.state] ?? "uninitialized",
      tokenAmount: uiTokenAmount(t.amount, decimals),
    };
    if (t.delegate) {
      info.delegate = t.delegate;
      info.delegatedAmount = uiTokenAmount(t.delegatedAmount, decimals);
    }
    if (t.isNative !== null) info.rentExemptReserve = uiTokenAmount(t.isNative, decimals);
    if (t.closeAuthority) info.closeAuthority = t.closeAuthority;
    if (a.owner === TOKEN_2022_PROGRAM && a.data.length > TOKEN_ACCOUNT_LEN) info.extensions = [];
    return { program, parsed: { info, type: "account" }, space: a.data.length };
  }
  if (isMint(a)) {
    const m = readMint(a.data);
    const info: Record<string, unknown> = {
      decimals: m.decimals,
      freezeAuthority: m.freezeAuthority,
      isInitialized: m.isInitialized,
      mintAuthority: m.mintAuthority,
      supply: m.supply.toString(),
    };
    if (a.owner === TOKEN_2022_PROGRAM && a.data.length > TOKEN_ACCOUNT_LEN) info.extensions = [];
    return { program, parsed: { info, type: "mint" }, space: a.data.length };
  }
  return null;
}
