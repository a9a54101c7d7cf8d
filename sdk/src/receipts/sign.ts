// Operator side: signing receipts with the node's ed25519 key, and checking signatures.
import {
  createKeyPairFromBytes,
  createKeyPairFromPrivateKeyBytes,
  getAddressDecoder,
  getAddressFromPublicKey,
  getPublicKeyFromAddress,
  signBytes,
  verifySignature,
  type Address,
  type KeyPairSigner,
  type SignatureBytes,
} from "@solana/kit";
import { fromBase64, sameBytes } from "../bytes.ts";
import { clientError } from "../errors.ts";
import { addressToBytes } from "./addressBytes.ts";
import { encodeReceiptMessage, type ReceiptFields } from "./message.ts";

/**
 * A receipt signing key: a kit KeyPairSigner, a WebCrypto Ed25519 key pair, a private
 * CryptoKey (extractable, or with `publicKey` given), or raw secret bytes (a 32-byte seed,
 * or the 64-byte secret key of a Solana CLI keypair file).
 */
export type ReceiptSigningKey = KeyPairSigner | CryptoKeyPair | CryptoKey | Uint8Array;

export interface SignedReceipt {
  fields: ReceiptFields;
  /** The 58-byte canonical message. */
  message: Uint8Array;
  /** The 64-byte ed25519 signature over `message`. */
  signature: Uint8Array;
  /** The signing key's public key, as an address. */
  signer: Address;
}

interface ResolvedKey {
  privateKey: CryptoKey;
  signer: Address;
}

async function resolveKey(key: ReceiptSigningKey, publicKey?: Address): Promise<ResolvedKey> {
  if (key instanceof Uint8Array) {
    if (key.length === 32) {
      const pair = await createKeyPairFromPrivateKeyBytes(key);
      return { privateKey: pair.privateKey, signer: await getAddressFromPublicKey(pair.publicKey) };
    }
    if (key.length === 64) {
      const pair = await createKeyPairFromBytes(key);
      return { privateKey: pair.privateKey, signer: await getAddressFromPublicKey(pair.publicKey) };
    }
    throw clientError("InvalidKey", `a secret key is 32 or 64 bytes, not ${key.length}`);
  }
  if ("keyPair" in key && "address" in key) return { privateKey: key.keyPair.privateKey, signer: key.address };
  if ("privateKey" in key && "publicKey" in key) return { privateKey: key.privateKey, signer: await getAddressFromPublicKey(key.publicKey) };
  const cryptoKey = key as CryptoKey;
  if (cryptoKey.type !== "private") throw clientError("InvalidKey", "a receipt signing CryptoKey must be the private key");
  if (publicKey) return { privateKey: cryptoKey, signer: publicKey };
  if (!cryptoKey.extractable) throw clientError("InvalidKey", "a non-extractable private CryptoKey needs its public key (options.publicKey)");
  const jwk = await crypto.subtle.exportKey("jwk", cryptoKey);
  return { privateKey: cryptoKey, signer: getAddressDecoder().decode(fromBase64(jwk.x!)) };
}

/** Signs the canonical message of `fields` with `key`. */
export async function signReceipt(key: ReceiptSigningKey, fields: ReceiptFields, options: { publicKey?: Address } = {}): Promise<SignedReceipt> {
  const { privateKey, signer } = await resolveKey(key, options.publicKey);
  const message = encodeReceiptMessage(fields);
  const signature = new Uint8Array(await signBytes(privateKey, message));
  return { fields, message, signature, signer };
}

/**
 * An ed25519 check of `signature` by `signer` over `message`. The default is WebCrypto, which
 * runs everywhere; a server may pass a cheaper native one (Node's `crypto.verify` with a cached
 * key object).
 */
export type SignatureCheck = (signer: Address, signature: Uint8Array, message: Uint8Array) => boolean | Promise<boolean>;

const webCryptoCheck: SignatureCheck = async (signer, signature, message) =>
  verifySignature(await getPublicKeyFromAddress(signer), signature as SignatureBytes, message);

/**
 * True when `receipt.signature` is `receipt.signer`'s signature over the canonical message
 * of `receipt.fields` (and, when given, the signer is `expectedSigner`).
 */
export async function verifyReceipt(
  receipt: SignedReceipt,
  expectedSigner?: Address,
  options: { checkSignature?: SignatureCheck } = {},
): Promise<boolean> {
  if (expectedSigner && receipt.signer !== expectedSigner) return false;
  if (receipt.signature.length !== 64) return false;
  let message: Uint8Array;
  try {
    message = encodeReceiptMessage(receipt.fields);
  } catch {
    return false;
  }
  if (!sameBytes(message, receipt.message)) return false;
  return (options.checkSignature ?? webCryptoCheck)(receipt.signer, receipt.signature, message);
}

/** The 32 public-key bytes of an address. */
export function publicKeyBytes(a: Address): Uint8Array {
  return addressToBytes(a);
}

