// Byte/string conversions shared by the chain, RPC and PubSub layers.
import { getBase58Decoder, getBase58Encoder } from "@solana/kit";

const b58dec = getBase58Decoder();
const b58enc = getBase58Encoder();

export const toBase58 = (bytes: Uint8Array): string => b58dec.decode(bytes);
export const fromBase58 = (text: string): Uint8Array => new Uint8Array(b58enc.encode(text));
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
