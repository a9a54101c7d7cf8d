// Byte/string conversions shared by the chain, RPC and PubSub layers.
import { getBase58Decoder, getBase58Encoder } from "@solana/kit";

const b58dec = getBase58Decoder();
const b58enc = getBase58Encoder();

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58 by the byte-array method (kit's BigInt codec is the validator's hottest path otherwise). */
function encode58(source: Uint8Array): string {
  let zeroes = 0;
  while (zeroes < source.length && source[zeroes] === 0) zeroes++;
  const size = (((source.length - zeroes) * 138) / 100 + 1) >>> 0;
  const b58 = new Uint8Array(size);
  let length = 0;
  for (let i = zeroes; i < source.length; i++) {
    let carry = source[i];
    let j = 0;
    for (let k = size - 1; (carry !== 0 || j < length) && k >= 0; k--, j++) {
      carry += 256 * b58[k];
      b58[k] = carry % 58;
      carry = (carry / 58) | 0;
    }
    length = j;
  }
  let k = size - length;
  while (k < size && b58[k] === 0) k++;
  let out = "1".repeat(zeroes);
  for (; k < size; k++) out += ALPHABET[b58[k]];
  return out;
}

// Public keys repeat (programs, payers, mints): remember recent conversions both ways.
const toCache = new Map<string, string>();
const fromCache = new Map<string, Uint8Array>();
const CACHE_MAX = 50_000;

export function toBase58(bytes: Uint8Array): string {
  if (bytes.length !== 32) return encode58(bytes);
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, 32).toString("latin1");
  let s = toCache.get(key);
  if (s === undefined) {
    s = encode58(bytes);
    if (toCache.size >= CACHE_MAX) toCache.clear();
    toCache.set(key, s);
  }
  return s;
}

export function fromBase58(text: string): Uint8Array {
  const hit = fromCache.get(text);
  if (hit) return Uint8Array.from(hit);
  const bytes = new Uint8Array(b58enc.encode(text));
  if (bytes.length === 32) {
    if (fromCache.size >= CACHE_MAX) fromCache.clear();
    fromCache.set(text, Uint8Array.from(bytes));
  }
  return bytes;
}

export const _kitBase58 = (bytes: Uint8Array) => b58dec.decode(bytes);
export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
export const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "base64"));

/** Decodes a base58 public key, or null when it is not 32 bytes of valid base58. */
export function tryPubkey(text: unknown): Uint8Array | null {
  if (typeof text !== "string" || text.length > 44 || text.length < 32) return null;
  try {
    const bytes = fromBase58(text);
    return bytes.length === 32 ? bytes : null;
  } catch {
    return null;
  }
}

export function u64le(bytes: Uint8Array, offset: number): bigint {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readBigUInt64LE(offset);
}

export function u32le(bytes: Uint8Array, offset: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32LE(offset);
}

/**
 * A zstd frame holding `data` in raw (uncompressed) blocks: valid zstd that every decoder
 * reads, without a compressor dependency. The frame is slightly larger than the input.
 */
export function zstdRawFrame(data: Uint8Array): Uint8Array {
  const MAX_BLOCK = 128 * 1024;
  const parts: Uint8Array[] = [];
  // Magic, then a frame header descriptor: single segment, 8-byte content size.
  const head = Buffer.alloc(4 + 1 + 8);
  head.writeUInt32LE(0xfd2fb528, 0);
  head[4] = 0b11_1_0_0_0_00; // FCS_Field_Size=3 (8 bytes), Single_Segment=1
  head.writeBigUInt64LE(BigInt(data.length), 5);
  parts.push(head);
  let pos = 0;
  do {
    const size = Math.min(MAX_BLOCK, data.length - pos);
    const last = pos + size >= data.length ? 1 : 0;
    const blockHeader = (size << 3) | (0 << 1) | last; // Raw_Block
    parts.push(Uint8Array.of(blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff));
    parts.push(data.subarray(pos, pos + size));
    pos += size;
  } while (pos < data.length);
  return new Uint8Array(Buffer.concat(parts));
}
