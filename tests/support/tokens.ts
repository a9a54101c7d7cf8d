// SPL Token / Token-2022 fixtures: mints and accounts created by the real token programs that
// LiteSVM loads.
import type { LiteSVM } from "litesvm";
import { generateKeyPairSigner, type Address, type KeyPairSigner } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  TOKEN_PROGRAM_ADDRESS,
  getInitializeAccount3Instruction,
  getInitializeMint2Instruction,
  getMintToInstruction,
} from "@solana-program/token";
import { send } from "./svm.ts";

export const TOKEN_2022_PROGRAM_ADDRESS = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb" as Address;
export { TOKEN_PROGRAM_ADDRESS };
const MINT_LEN = 82n;
const ACCOUNT_LEN = 165n;

async function ok(p: ReturnType<typeof send>, what: string) {
  const r = await p;
  if (!r.ok) throw new Error(`${what} failed: ${r.error}\n${r.logs.join("\n")}`);
  return r;
}

/** A new mint (base layout, no extensions) owned by `tokenProgram`. */
export async function createMint(
  svm: LiteSVM,
  payer: KeyPairSigner,
  decimals = 6,
  tokenProgram: Address = TOKEN_PROGRAM_ADDRESS,
): Promise<Address> {
  const mint = await generateKeyPairSigner();
  const config = { programAddress: tokenProgram as typeof TOKEN_PROGRAM_ADDRESS };
  await ok(
    send(svm, payer, [
      getCreateAccountInstruction({
        payer,
        newAccount: mint,
        lamports: svm.minimumBalanceForRentExemption(MINT_LEN),
        space: MINT_LEN,
        programAddress: tokenProgram,
      }),
      getInitializeMint2Instruction({ mint: mint.address, decimals, mintAuthority: payer.address }, config),
    ]),
    "create mint",
  );
  return mint.address;
}

/** A new token account of `mint` whose token owner is `owner` (any address, PDAs too). */
export async function createTokenAccount(
  svm: LiteSVM,
  payer: KeyPairSigner,
  mint: Address,
  owner: Address,
  tokenProgram: Address = TOKEN_PROGRAM_ADDRESS,
): Promise<Address> {
  const account = await generateKeyPairSigner();
  const config = { programAddress: tokenProgram as typeof TOKEN_PROGRAM_ADDRESS };
  await ok(
    send(svm, payer, [
      getCreateAccountInstruction({
        payer,
        newAccount: account,
        lamports: svm.minimumBalanceForRentExemption(ACCOUNT_LEN),
        space: ACCOUNT_LEN,
        programAddress: tokenProgram,
      }),
      getInitializeAccount3Instruction({ account: account.address, mint, owner }, config),
    ]),
    "create token account",
  );
  return account.address;
}

export async function mintTo(
  svm: LiteSVM,
  mintAuthority: KeyPairSigner,
  mint: Address,
  account: Address,
  amount: bigint,
  tokenProgram: Address = TOKEN_PROGRAM_ADDRESS,
): Promise<void> {
  const config = { programAddress: tokenProgram as typeof TOKEN_PROGRAM_ADDRESS };
  await ok(
    send(svm, mintAuthority, [getMintToInstruction({ mint, token: account, mintAuthority, amount }, config)]),
    "mint to",
  );
}

/** The token amount of a token account (bytes 64..72 of the base layout). */
export function tokenAmount(svm: LiteSVM, account: Address): bigint {
  const a = svm.getAccount(account);
  if (!a.exists) throw new Error(`token account ${account} does not exist`);
  return new DataView(a.data.buffer, a.data.byteOffset).getBigUint64(64, true);
}
