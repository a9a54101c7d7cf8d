// Ed25519 keypairs for the validator's own accounts (faucet, mint, upgrade authority), made
// with node:crypto. The dev keys are derived from fixed, published seeds so every tool can
// sign as them without a file; they are for local use only.
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { toBase58 } from "./codec.ts";

export interface Keypair {
  publicKey: Uint8Array;
  address: string;
  /** Solana CLI keypair file format: 64 bytes, seed then public key. */
  secretKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export function keypairFromSeed(seed: Uint8Array): Keypair {
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  const secretKey = new Uint8Array(64);
  secretKey.set(seed, 0);
  secretKey.set(publicKey, 32);
  return {
    publicKey,
    address: toBase58(publicKey),
    secretKey,
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/** A keypair derived from a public phrase: stable across restarts, known to every tool. */
export function devKeypair(phrase: string): Keypair {
  return keypairFromSeed(createHash("sha256").update(`arknet-localnet:${phrase}`).digest());
}

export function readKeypairFile(path: string): Keypair {
  const bytes = Uint8Array.from(JSON.parse(readFileSync(path, "utf8")) as number[]);
  if (bytes.length !== 64) throw new Error(`${path}: expected a 64-byte keypair`);
  return keypairFromSeed(bytes.subarray(0, 32));
}

export function writeKeypairFile(path: string, kp: Keypair): void {
  writeFileSync(path, JSON.stringify(Array.from(kp.secretKey)));
}

/** The validator's well-known dev identities. */
export const DEV_KEYS = {
  /** Upgrade authority of every program the localnet deploys. */
  upgradeAuthority: () => devKeypair("upgrade-authority"),
  /** Pays airdrops and is the mint authority of the USDC-like mint. */
  faucet: () => devKeypair("faucet"),
  /** The USDC-like mint's address keypair. */
  usdcMint: () => devKeypair("usdc-mint"),
};
