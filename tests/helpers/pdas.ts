// The program's account addresses (docs/protocol.md, "Deployments" and "Accounts"). Every
// account but the config derives from the config address, whose seed is the deployment's salt.
import { getAddressEncoder, getProgramDerivedAddress, getU64Encoder, type Address } from "@solana/kit";
import { PROGRAM_ID } from "./idl.ts";

const text = (s: string) => new TextEncoder().encode(s);
const addr = (a: Address) => getAddressEncoder().encode(a);

export async function configPda(salt: Uint8Array): Promise<Address> {
  return (await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds: [text("config"), salt] }))[0];
}

export async function balancePda(config: Address, buyer: Address): Promise<Address> {
  return (await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds: [text("balance"), addr(config), addr(buyer)] }))[0];
}

export async function operatorPda(config: Address, authority: Address): Promise<Address> {
  return (
    await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds: [text("operator"), addr(config), addr(authority)] })
  )[0];
}

/** The execution address and its (canonical) bump, passed to `reserve`. */
export async function executionPda(
  config: Address,
  buyer: Address,
  executionId: bigint,
): Promise<{ address: Address; bump: number }> {
  const [address, bump] = await getProgramDerivedAddress({
    programAddress: PROGRAM_ID,
    seeds: [text("execution"), addr(config), addr(buyer), getU64Encoder().encode(executionId)],
  });
  return { address, bump };
}

/** The canonical bump of the config PDA of `salt`, or of the balance / operator PDA of `owner`. */
export async function pdaBump(
  kind: "config" | "balance" | "operator",
  saltOrConfig: Uint8Array | Address,
  owner?: Address,
): Promise<number> {
  const seeds =
    kind === "config"
      ? [text("config"), saltOrConfig as Uint8Array]
      : [text(kind), addr(saltOrConfig as Address), addr(owner!)];
  return (await getProgramDerivedAddress({ programAddress: PROGRAM_ID, seeds }))[1];
}
