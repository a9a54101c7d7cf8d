// Addresses to their 32 bytes and back, remembered: receipts name the same executions and
// operator keys over and over, and kit's base58 codec goes through a BigInt on every call
// (profiled in the settler at ~70 µs per receipt across decode, verify and the precompile).
import { getAddressDecoder, getAddressEncoder, type Address } from "@solana/kit";

const MAX = 10_000;
const bytesOf = new Map<string, Uint8Array>();
const addressOf = new Map<string, Address>();

/** The 32 bytes of `a` (a fresh copy: the caller may write into it). Throws on a bad address, as kit does. */
export function addressToBytes(a: Address): Uint8Array {
  let b = bytesOf.get(a);
  if (!b) {
    b = new Uint8Array(getAddressEncoder().encode(a));
    if (bytesOf.size >= MAX) bytesOf.clear();
    bytesOf.set(a, b);
  }
  return b.slice();
}

/** The address of 32 bytes. */
export function bytesToAddress(bytes: Uint8Array): Address {
  const key = String.fromCharCode(...bytes);
  let a = addressOf.get(key);
  if (a === undefined) {
    a = getAddressDecoder().decode(bytes);
    if (addressOf.size >= MAX) addressOf.clear();
    addressOf.set(key, a);
  }
  return a;
}
