// The upgradeable loader's (loader-v3) account layouts, which its kit client does not decode:
// Buffer (tag 1), Program (tag 2) and ProgramData (tag 3), bincode little-endian.
import { getAddressDecoder, getAddressEncoder, getProgramDerivedAddress, type Address } from "@solana/kit";
import { UPGRADEABLE_LOADER } from "../program.ts";

export const BUFFER_HEADER = 37;
export const PROGRAM_DATA_HEADER = 45;
export const PROGRAM_ACCOUNT_SIZE = 36;

export type LoaderAccount =
  | { kind: "buffer"; authority: Address | null; data: Uint8Array }
  | { kind: "program"; programData: Address }
  | { kind: "programData"; slot: bigint; authority: Address | null; data: Uint8Array };

/** Decodes a loader-v3 account's bytes, or null when they are none of its kinds. */
export function decodeLoaderAccount(bytes: Uint8Array): LoaderAccount | null {
  if (bytes.length < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = view.getUint32(0, true);
  const key = (at: number) => getAddressDecoder().decode(bytes.subarray(at, at + 32));
  if (tag === 1 && bytes.length >= BUFFER_HEADER) {
    return { kind: "buffer", authority: bytes[4] ? key(5) : null, data: bytes.subarray(BUFFER_HEADER) };
  }
  if (tag === 2 && bytes.length >= PROGRAM_ACCOUNT_SIZE) return { kind: "program", programData: key(4) };
  if (tag === 3 && bytes.length >= PROGRAM_DATA_HEADER) {
    return {
      kind: "programData",
      slot: view.getBigUint64(4, true),
      authority: bytes[12] ? key(13) : null,
      data: bytes.subarray(PROGRAM_DATA_HEADER),
    };
  }
  return null;
}

/** The ProgramData account of `program` (PDA of the loader). */
export async function programDataAddress(program: Address): Promise<Address> {
  const [pda] = await getProgramDerivedAddress({ programAddress: UPGRADEABLE_LOADER, seeds: [getAddressEncoder().encode(program)] });
  return pda;
}
