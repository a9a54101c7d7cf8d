// SKUs are 8-byte, zero-padded, printable-ASCII codes (`H100`, `RTX5090`).
import { clientError } from "../errors.ts";

export const SKU_LENGTH = 8;

/** The 8 bytes of SKU `code`; throws InvalidSku for empty, too long or non-printable codes. */
export function encodeSku(code: string): Uint8Array {
  if (code.length === 0 || code.length > SKU_LENGTH || !/^[\x21-\x7e]+$/.test(code)) {
    throw clientError("InvalidSku", `SKU "${code}" must be 1-8 printable ASCII characters without spaces`);
  }
  const out = new Uint8Array(SKU_LENGTH);
  for (let i = 0; i < code.length; i++) out[i] = code.charCodeAt(i);
  return out;
}

/** The code of SKU bytes (zero padding removed). */
export function decodeSku(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
