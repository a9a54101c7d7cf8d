// Ed25519 receipt signatures checked with Node's native crypto (OpenSSL) on libuv's thread
// pool, with one KeyObject per operator key kept across requests. The SDK's default check goes
// through WebCrypto, which imports the key from its address (a base58 decode) and wraps a crypto
// job for every receipt: profiled at ~0.29 ms of the settler's thread per receipt, most of
// intake's cost.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { publicKeyBytes, type SignatureCheck } from "@arknet/escrow";
import { lru } from "./lru.ts";

// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410); the 32 raw key bytes follow.
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A SignatureCheck that remembers up to `maxKeys` operator keys (least recently used forgotten). */
export function nativeEd25519Check(maxKeys = 10_000): SignatureCheck {
  const keys = lru<KeyObject>(maxKeys);
  const keyOf = (signer: string): KeyObject => {
    let key = keys.get(signer);
    if (!key) {
      const raw = publicKeyBytes(signer as Parameters<typeof publicKeyBytes>[0]);
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
      keys.set(signer, key);
    }
    return key;
  };
  return (signer, signature, message) => {
    if (signature.length !== 64) return false;
    let key: KeyObject;
    try {
      key = keyOf(signer);
    } catch {
      // Not a valid address or not a point on the curve: not this key's signature.
      return false;
    }
    // With a callback the check runs on libuv's thread pool: about half of the synchronous
    // call's cost stays on the event loop (measured 50 of 112 µs), the rest goes to another core.
    return new Promise<boolean>((resolve) => verify(null, message, key, signature, (err, ok) => resolve(!err && ok)));
  };
}
