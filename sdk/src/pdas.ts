// The program's account addresses (docs/protocol.md, "Accounts") for any program id. The
// generated builders' PDA defaults always use the IDL's program id, so the SDK derives and
// passes every PDA itself.
import type { Address, ProgramDerivedAddress } from "@solana/kit";
import { findBalancePda, findConfigPda, findExecutionPda, findOperatorPda } from "./generated/pdas";
import { PROGRAM_ID } from "./program.ts";

export async function configAddress(salt: Uint8Array, programAddress: Address = PROGRAM_ID): Promise<ProgramDerivedAddress> {
  return findConfigPda({ salt }, { programAddress });
}

export async function balanceAddress(config: Address, buyer: Address, programAddress: Address = PROGRAM_ID): Promise<Address> {
  return (await findBalancePda({ config, buyer }, { programAddress }))[0];
}

export async function operatorAddress(config: Address, authority: Address, programAddress: Address = PROGRAM_ID): Promise<Address> {
  return (await findOperatorPda({ config, authority }, { programAddress }))[0];
}

/** The execution address and its canonical bump (passed to `reserve`). */
export async function executionAddress(
  config: Address,
  buyer: Address,
  executionId: bigint,
  programAddress: Address = PROGRAM_ID,
): Promise<{ address: Address; bump: number }> {
  const [address, bump] = await findExecutionPda({ config, buyer, executionId }, { programAddress });
  return { address, bump };
}
