// The escrow's Anchor IDL, and instructions, accounts and events encoded through
// @coral-xyz/anchor's BorshCoder: every test talks to the program through the IDL, so a
// drift between IDL and program fails the tests.
import { readFileSync } from "node:fs";
import anchor from "@coral-xyz/anchor";
import { AccountRole, address, type Address, type Instruction } from "@solana/kit";

export const IDL_PATH = new URL("../../idl/arknet_escrow.json", import.meta.url);
export const idl = JSON.parse(readFileSync(IDL_PATH, "utf8"));
/** The IDL's program address, or ARKNET_PROGRAM_ID (a deployment at another address, e.g. tests/validator's). */
export const PROGRAM_ID: Address = address(process.env.ARKNET_PROGRAM_ID ?? idl.address);
export const coder = new anchor.BorshCoder(idl);
export const { BN } = anchor;
export const { PublicKey } = anchor.web3;

interface IdlAccountItem {
  name: string;
  writable?: boolean;
  signer?: boolean;
}

function role(item: IdlAccountItem): AccountRole {
  if (item.writable && item.signer) return AccountRole.WRITABLE_SIGNER;
  if (item.writable) return AccountRole.WRITABLE;
  if (item.signer) return AccountRole.READONLY_SIGNER;
  return AccountRole.READONLY;
}

export type AccountOverride = { address: Address; role: AccountRole };

/**
 * Builds instruction `name` with borsh `args` (snake_case names, u64 as bigint or BN)
 * and the IDL's account order. `accounts` maps each IDL account name to an address, or
 * to `{address, role}` to pass it with another role (attack tests).
 */
export function ix(
  name: string,
  args: Record<string, unknown>,
  accounts: Record<string, Address | AccountOverride>,
  remaining: { address: Address; role: AccountRole }[] = [],
): Instruction {
  const def = idl.instructions.find((i: { name: string }) => i.name === name);
  if (!def) throw new Error(`no instruction ${name} in the IDL`);
  const metas = (def.accounts as IdlAccountItem[]).map((item) => {
    const given = accounts[item.name];
    if (given === undefined) throw new Error(`${name}: account ${item.name} missing`);
    return typeof given === "string" ? { address: given, role: role(item) } : given;
  });
  const data = coder.instruction.encode(name, toBorsh(args));
  return { programAddress: PROGRAM_ID, accounts: [...metas, ...remaining], data: new Uint8Array(data) };
}

/** bigint → BN, base58 address strings stay strings unless the IDL wants pubkey (PublicKey). */
function toBorsh(v: unknown): any {
  if (typeof v === "bigint") return new BN(v.toString());
  if (Array.isArray(v)) return v.map(toBorsh);
  if (v instanceof Uint8Array) return Array.from(v);
  if (v && typeof v === "object" && !(v instanceof BN) && !(v instanceof PublicKey)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toBorsh(x)]));
  }
  return v;
}

export function pubkey(a: Address): InstanceType<typeof PublicKey> {
  return new PublicKey(a);
}

/** Decodes account data of IDL account type `name` (Config, Operator, Balance, Execution). */
export function decodeAccount<T = any>(name: string, data: Uint8Array): T {
  return normalize(coder.accounts.decode(name, Buffer.from(data))) as T;
}

/** The program's events in a transaction's logs, decoded through the IDL. */
export function decodeEvents(logs: string[]): { name: string; data: any }[] {
  const events: { name: string; data: any }[] = [];
  for (const line of logs) {
    const m = line.match(/^Program data: (.+)$/);
    if (!m) continue;
    const ev = coder.events.decode(m[1]);
    if (ev) events.push({ name: ev.name, data: normalize(ev.data) });
  }
  return events;
}

/** BN → bigint, PublicKey → base58 string, recursively: plain values for assertions. */
export function normalize(v: any): any {
  if (v instanceof BN) return BigInt(v.toString());
  if (v instanceof PublicKey) return v.toBase58();
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

/** IDL error name of a custom error code. */
export function errorName(code: number | undefined): string | undefined {
  return idl.errors.find((e: { code: number }) => e.code === code)?.name;
}

/** An 8-byte zero-padded SKU code. */
export function sku(code: string): number[] {
  const bytes = new TextEncoder().encode(code);
  if (bytes.length < 1 || bytes.length > 8) throw new Error(`bad SKU ${code}`);
  return [...bytes, ...new Array(8 - bytes.length).fill(0)];
}

export function skuName(bytes: number[] | Uint8Array): string {
  return new TextDecoder().decode(Uint8Array.from(bytes).filter((b) => b !== 0));
}
