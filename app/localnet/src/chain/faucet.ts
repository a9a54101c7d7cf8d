// The faucet: SOL airdrops and USDC-like token airdrops, each a real transaction signed by
// the faucet keypair, so it has a signature, a status and a place in the history.
import { fromBase58, toBase58 } from "./codec.ts";
import { ASSOCIATED_TOKEN_PROGRAM, SYSTEM_PROGRAM, TOKEN_PROGRAM } from "./constants.ts";
import type { Keypair } from "./keys.ts";
import { findProgramAddress } from "./svm.ts";

interface Meta {
  pubkey: string;
  signer: boolean;
  writable: boolean;
}
interface Ix {
  programId: string;
  accounts: Meta[];
  data: Uint8Array;
}

function shortvec(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Compiles and signs a legacy transaction paid and signed by `payer` alone. */
export function signedLegacyTransaction(payer: Keypair, instructions: Ix[], blockhash: string): Uint8Array {
  const metas = new Map<string, Meta>([[payer.address, { pubkey: payer.address, signer: true, writable: true }]]);
  for (const ix of instructions) {
    for (const m of ix.accounts) {
      const prev = metas.get(m.pubkey);
      metas.set(m.pubkey, prev ? { pubkey: m.pubkey, signer: prev.signer || m.signer, writable: prev.writable || m.writable } : m);
    }
    if (!metas.has(ix.programId)) metas.set(ix.programId, { pubkey: ix.programId, signer: false, writable: false });
  }
  const all = [...metas.values()];
  const rank = (m: Meta) => (m.pubkey === payer.address ? -1 : m.signer ? (m.writable ? 0 : 1) : m.writable ? 2 : 3);
  all.sort((a, b) => rank(a) - rank(b));
  if (all.some((m) => m.signer && m.pubkey !== payer.address)) throw new Error("faucet transactions have one signer");
  const index = new Map(all.map((m, i) => [m.pubkey, i]));
  const message: number[] = [1, 0, all.filter((m) => !m.signer && !m.writable).length];
  message.push(...shortvec(all.length));
  for (const m of all) message.push(...fromBase58(m.pubkey));
  message.push(...fromBase58(blockhash));
  message.push(...shortvec(instructions.length));
  for (const ix of instructions) {
    message.push(index.get(ix.programId)!);
    message.push(...shortvec(ix.accounts.length), ...ix.accounts.map((m) => index.get(m.pubkey)!));
    message.push(...shortvec(ix.data.length), ...ix.data);
  }
  const msg = Uint8Array.from(message);
  return Uint8Array.from([1, ...payer.sign(msg), ...msg]);
}

export function transferIx(from: string, to: string, lamports: bigint): Ix {
  const data = new Uint8Array(12);
  const view = new DataView(data.buffer);
  view.setUint32(0, 2, true);
  view.setBigUint64(4, lamports, true);
  return { programId: SYSTEM_PROGRAM, accounts: [{ pubkey: from, signer: true, writable: true }, { pubkey: to, signer: false, writable: true }], data };
}

export function associatedTokenAddress(owner: string, mint: string, tokenProgram = TOKEN_PROGRAM): string {
  return toBase58(findProgramAddress([fromBase58(owner), fromBase58(tokenProgram), fromBase58(mint)], fromBase58(ASSOCIATED_TOKEN_PROGRAM)));
}

/** CreateIdempotent of `owner`'s associated token account, then MintTo it, signed by the mint authority. */
export function mintToOwnerIxs(payer: string, owner: string, mint: string, amount: bigint, tokenProgram = TOKEN_PROGRAM): { ata: string; ixs: Ix[] } {
  const ata = associatedTokenAddress(owner, mint, tokenProgram);
  const create: Ix = {
    programId: ASSOCIATED_TOKEN_PROGRAM,
    accounts: [
      { pubkey: payer, signer: true, writable: true },
      { pubkey: ata, signer: false, writable: true },
      { pubkey: owner, signer: false, writable: false },
      { pubkey: mint, signer: false, writable: false },
      { pubkey: SYSTEM_PROGRAM, signer: false, writable: false },
      { pubkey: tokenProgram, signer: false, writable: false },
    ],
    data: Uint8Array.of(1),
  };
  const data = new Uint8Array(9);
  data[0] = 7;
  new DataView(data.buffer).setBigUint64(1, amount, true);
  const mintTo: Ix = {
    programId: tokenProgram,
    accounts: [
      { pubkey: mint, signer: false, writable: true },
      { pubkey: ata, signer: false, writable: true },
      { pubkey: payer, signer: true, writable: false },
    ],
    data,
  };
  return { ata, ixs: [create, mintTo] };
}
