// The program's account addresses (docs/protocol.md, "Accounts").
import { getAddressEncoder, getProgramDerivedAddress, getU64Encoder, type Address } from "@solana/kit";
import { PROGRAM_ID } from "./idl.ts";

const text = (s: string) => new TextEncoder().encode(s);
const addr = (a: Address) => getAddressEncoder().encode(a);

export async function configPda(): Promise<Address> {
  return (await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds: [text("config")] }))[0];
}

export async function balancePda(buyer: Address): Promise<Address> {
  return (await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds: [text("balance"), addr(buyer)] }))[0];
}

export async function operatorPda(authority: Address): Promise<Address> {
  return (await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds: [text("operator"), addr(authority)] }))[0];
}

/** The execution address and its (canonical) bump, passed to `reserve`. */
export async function executionPda(buyer: Address, executionId: bigint): Promise<{ address: Address; bump: number }> {
  const [address, bump] = await getProgramDerivedAddress({
    programAddress: PROGRAM_ID,
    seeds: [text("execution"), addr(buyer), getU64Encoder().encode(executionId)],
  });
  return { address, bump };
}

/** The canonical bump of the config PDA, or of the balance / operator PDA of `owner`. */
export async function pdaBump(kind: "config" | "balance" | "operator", owner?: Address): Promise<number> {
  const seeds = kind === "config" ? [text("config")] : [text(kind), addr(owner!)];
  return (await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds }))[1];
}
