// The LiteSVM instance under the validator: genesis (programs under the upgradeable loader
// with a real upgrade authority, the USDC-like mint, the funded faucet) or a saved ledger.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { fromBase58, toBase58 } from "./codec.ts";
import { TOKEN_PROGRAM, UPGRADEABLE_LOADER } from "./constants.ts";
import type { Keypair } from "./keys.ts";

const require = createRequire(import.meta.url);
// The raw napi binding: it takes and returns bytes, which the validator needs (wire transactions).
const internal = require("litesvm/dist/internal.js") as typeof import("litesvm/dist/internal.js");

export type Svm = InstanceType<typeof internal.LiteSvm>;
export const SvmAccount = internal.Account;
export const { FailedTransactionMetadata, TransactionMetadata, SimulatedTransactionInfo } = internal;

export interface ProgramSpec {
  programId: string;
  path: string;
}

export interface GenesisOptions {
  programs: ProgramSpec[];
  upgradeAuthority: Keypair;
  faucet: Keypair;
  usdcMint: Keypair;
  usdcDecimals: number;
  faucetLamports: bigint;
  unixTimestamp: bigint;
}

const programDataAddress = (programId: Uint8Array): Uint8Array => findProgramAddress([programId], fromBase58(UPGRADEABLE_LOADER));

/** Program-derived address (the off-curve search), with node's sha256 and an on-curve check. */
export function findProgramAddress(seeds: Uint8Array[], programId: Uint8Array): Uint8Array {
  for (let bump = 255; bump >= 0; bump--) {
    const h = createHash("sha256");
    for (const s of seeds) h.update(s);
    h.update(Uint8Array.of(bump)).update(programId).update("ProgramDerivedAddress");
    const candidate = new Uint8Array(h.digest());
    if (!isOnCurve(candidate)) return candidate;
  }
  throw new Error("no program address found");
}

// Ed25519 point decompression check (RFC 8032 5.1.3), to tell PDAs from public keys.
const P = 2n ** 255n - 19n;
const D = (-121665n * modInv(121666n)) % P;
function modPow(b: bigint, e: bigint): bigint {
  let r = 1n;
  b %= P;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}
function modInv(x: bigint): bigint {
  return modPow(((x % P) + P) % P, P - 2n);
}
export function isOnCurve(bytes: Uint8Array): boolean {
  const b = Uint8Array.from(bytes);
  b[31] &= 0x7f;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(b[i]);
  if (y >= P) return false;
  const y2 = (y * y) % P;
  const u = (y2 - 1n + P) % P;
  const v = (((D * y2) % P) + 1n) % P;
  const x2 = (u * modInv(v)) % P;
  if (x2 === 0n) return true;
  return modPow(x2, (P - 1n) / 2n) === 1n;
}

export function newSvm(): Svm {
  const svm = new internal.LiteSvm();
  // The validator checks blockhash age itself (150 blocks), LiteSVM only knows its latest one.
  svm.setBlockhashCheck(false);
  return svm;
}

export function loadSvm(path: string): Svm {
  const svm = internal.LiteSvm.loadFromFile(path);
  svm.setBlockhashCheck(false);
  return svm;
}

/** Deploys `path` at `programId` under the upgradeable loader with `authority` as upgrade authority. */
export function deployUpgradeable(svm: Svm, programId: string, bytes: Uint8Array, authority: Uint8Array): void {
  const id = fromBase58(programId);
  svm.addProgram(id, bytes);
  const pdKey = programDataAddress(id);
  const pd = svm.getAccount(pdKey);
  if (!pd) throw new Error(`LiteSVM created no ProgramData account for ${programId}`);
  // ProgramData header: u32 tag (3), u64 deployment slot, Option<Pubkey> upgrade authority.
  const data = pd.data();
  data[12] = 1;
  data.set(authority, 13);
  svm.setAccount(pdKey, new internal.Account(pd.lamports(), data, pd.owner(), pd.executable(), pd.rentEpoch()));
}

export function genesis(opts: GenesisOptions): Svm {
  const svm = newSvm();
  const clock = svm.getClock();
  clock.slot = 0n;
  clock.epoch = 0n;
  clock.epochStartTimestamp = opts.unixTimestamp;
  clock.leaderScheduleEpoch = 1n;
  clock.unixTimestamp = opts.unixTimestamp;
  svm.setClock(clock);
  for (const p of opts.programs) deployUpgradeable(svm, p.programId, new Uint8Array(readFileSync(p.path)), opts.upgradeAuthority.publicKey);
  const system = new Uint8Array(32);
  svm.setAccount(opts.faucet.publicKey, new internal.Account(opts.faucetLamports, new Uint8Array(0), system, false, 2n ** 64n - 1n));
  svm.setAccount(opts.upgradeAuthority.publicKey, new internal.Account(1_000_000_000_000n, new Uint8Array(0), system, false, 2n ** 64n - 1n));
  // Mint layout: COption<Pubkey> mint authority, u64 supply, u8 decimals, bool initialized, COption<Pubkey> freeze.
  const mint = new Uint8Array(82);
  mint[0] = 1;
  mint.set(opts.faucet.publicKey, 4);
  mint[44] = opts.usdcDecimals;
  mint[45] = 1;
  svm.setAccount(
    opts.usdcMint.publicKey,
    new internal.Account(svm.minimumBalanceForRentExemption(82n), mint, fromBase58(TOKEN_PROGRAM), false, 2n ** 64n - 1n),
  );
  return svm;
}

export { toBase58 };
