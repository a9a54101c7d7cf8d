// The development keypair wallet (local mode only): an ed25519 key kept in this browser's
// localStorage in the Solana CLI format (64 bytes: seed, then public key), so the whole flow
// works without an extension and a test or a developer can import a known key.
import { createKeyPairSignerFromBytes, createKeyPairSignerFromPrivateKeyBytes, getAddressEncoder, type KeyPairSigner } from "@solana/kit";

export const DEV_WALLET_KEY = "arknet.devWallet";

export async function loadDevWallet(): Promise<KeyPairSigner | null> {
  const stored = localStorage.getItem(DEV_WALLET_KEY);
  if (!stored) return null;
  return createKeyPairSignerFromBytes(parseSecret(stored));
}

/** A new random key, stored (it replaces the previous one). */
export async function createDevWallet(): Promise<KeyPairSigner> {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const signer = await createKeyPairSignerFromPrivateKeyBytes(seed);
  const secret = new Uint8Array(64);
  secret.set(seed, 0);
  secret.set(getAddressEncoder().encode(signer.address), 32);
  localStorage.setItem(DEV_WALLET_KEY, JSON.stringify([...secret]));
  return signer;
}

/** Imports a Solana CLI secret key (JSON array of 64 numbers). */
export async function importDevWallet(json: string): Promise<KeyPairSigner> {
  const secret = parseSecret(json);
  const signer = await createKeyPairSignerFromBytes(secret);
  localStorage.setItem(DEV_WALLET_KEY, JSON.stringify([...secret]));
  return signer;
}

function parseSecret(json: string): Uint8Array {
  let arr: unknown;
  try {
    arr = JSON.parse(json);
  } catch {
    throw new Error("the secret key must be a JSON array of 64 numbers (Solana CLI keypair file)");
  }
  if (!Array.isArray(arr) || arr.length !== 64 || arr.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
    throw new Error("the secret key must be a JSON array of 64 numbers (Solana CLI keypair file)");
  }
  return Uint8Array.from(arr as number[]);
}
