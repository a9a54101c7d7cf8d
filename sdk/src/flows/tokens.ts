// Token accounts the flows default to: a wallet's associated token account for the mint.
import { findAssociatedTokenPda, getCreateAssociatedTokenIdempotentInstruction } from "@solana-program/token";
import type { Address, Instruction, TransactionSigner } from "@solana/kit";

export async function associatedTokenAccount(owner: Address, mint: Address, tokenProgram: Address): Promise<Address> {
  return (await findAssociatedTokenPda({ owner, mint, tokenProgram }))[0];
}

/** Creates `owner`'s associated token account when it does not exist yet (no-op otherwise). */
export async function createAssociatedTokenAccountIdempotent(payer: TransactionSigner, owner: Address, mint: Address, tokenProgram: Address): Promise<{ address: Address; instruction: Instruction }> {
  const address = await associatedTokenAccount(owner, mint, tokenProgram);
  return { address, instruction: getCreateAssociatedTokenIdempotentInstruction({ payer, ata: address, owner, mint, tokenProgram }) };
}

/**
 * Where tokens paid out to `owner` go: `given` when the caller names an account, else `owner`'s
 * associated token account, with the instruction that creates it if needed (`owner` pays).
 */
export async function payoutAccount(
  owner: TransactionSigner,
  mint: Address,
  tokenProgram: Address,
  given?: Address,
): Promise<{ address: Address; instructions: Instruction[] }> {
  if (given) return { address: given, instructions: [] };
  const ata = await createAssociatedTokenAccountIdempotent(owner, owner.address, mint, tokenProgram);
  return { address: ata.address, instructions: [ata.instruction] };
}
