// Byte helpers that work in browsers as well as Node (no Buffer in library code).
import { getBase64Encoder } from "@solana/kit";

/** Bytes of a base64 (or base64url) string. */
export function fromBase64(text: string): Uint8Array {
  const std = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = std + "=".repeat((4 - (std.length % 4)) % 4);
  return new Uint8Array(getBase64Encoder().encode(padded));
}

export function sameBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
