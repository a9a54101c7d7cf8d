// For @solana/web3.js 1.x users (entry `@arknet/escrow/web3js`): the SDK's kit instructions as
// web3.js TransactionInstructions, and web3.js keys and instructions into kit through
// @solana/compat, so every builder and flow of the SDK is usable from a web3.js codebase.
import { PublicKey, TransactionInstruction, type Keypair } from "@solana/web3.js";
import { fromLegacyKeypair, fromLegacyPublicKey, fromLegacyTransactionInstruction } from "@solana/compat";
import { AccountRole, createSignerFromKeyPair, type Instruction, type KeyPairSigner } from "@solana/kit";

export { fromLegacyKeypair, fromLegacyPublicKey, fromLegacyTransactionInstruction };

/** A kit instruction (any SDK builder's output) as a web3.js 1.x TransactionInstruction. */
export function toWeb3Instruction(instruction: Instruction): TransactionInstruction {
  return new TransactionInstruction({
    programId: new PublicKey(instruction.programAddress),
    keys: (instruction.accounts ?? []).map((meta) => ({
      pubkey: new PublicKey(meta.address),
      isSigner: meta.role === AccountRole.READONLY_SIGNER || meta.role === AccountRole.WRITABLE_SIGNER,
      isWritable: meta.role === AccountRole.WRITABLE || meta.role === AccountRole.WRITABLE_SIGNER,
    })),
    data: Buffer.from(instruction.data ?? new Uint8Array(0)),
  });
}

/** A web3.js Keypair as a kit signer for the SDK's flows (its secret key is imported, not extractable). */
export async function signerFromWeb3Keypair(keypair: Keypair): Promise<KeyPairSigner> {
  return createSignerFromKeyPair(await fromLegacyKeypair(keypair));
}
