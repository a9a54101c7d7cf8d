// Token-2022 mints with extensions, built by the real Token-2022 program: each extension
// is initialized on the uninitialized mint account (sized for it), then InitializeMint2.
// Instruction encodings are Token-2022's (no client package here): the instruction tag,
// the extension's sub-instruction, then its fields.
import type { LiteSVM } from "litesvm";
import {
  AccountRole,
  generateKeyPairSigner,
  getAddressEncoder,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import { getInitializeAccount3Instruction, getInitializeMint2Instruction, TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import { send } from "../support/svm.ts";
import { TOKEN_2022_PROGRAM_ADDRESS } from "../support/tokens.ts";

const enc = getAddressEncoder();
const u16 = (v: number) => [v & 0xff, v >> 8];
const u64 = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
const some = (a: Address) => [1, ...enc.encode(a)];
const key = (a: Address) => [...enc.encode(a)];

/** Base account/mint length, account-type byte, TLV header. */
const BASE = 165;
const TLV_HEADER = 4;

export interface MintExtension {
  name: string;
  /** Extension type number in the mint's TLV data. */
  type: number;
  /** Length of the extension's value in the mint. */
  mintLen: number;
  /** Length the extensions it forces on token accounts add (TLV headers included). */
  accountLen: number;
  /** Whether InitializeMint2 must name a freeze authority. */
  freezeAuthority?: boolean;
  /** The initialize-extension instruction data, given an authority address. */
  data: (authority: Address) => number[];
}

export const EXTENSIONS: Record<string, MintExtension> = {
  transferFee: {
    name: "TransferFeeConfig",
    type: 1,
    mintLen: 108,
    accountLen: TLV_HEADER + 8, // TransferFeeAmount
    data: (a) => [26, 0, ...some(a), ...some(a), ...u16(50), ...u64(1_000_000n)],
  },
  closeAuthority: { name: "MintCloseAuthority", type: 3, mintLen: 32, accountLen: 0, data: (a) => [25, ...some(a)] },
  defaultFrozen: {
    name: "DefaultAccountState (frozen)",
    type: 6,
    mintLen: 1,
    accountLen: 0,
    freezeAuthority: true,
    data: () => [28, 0, 2],
  },
  nonTransferable: {
    name: "NonTransferable",
    type: 9,
    mintLen: 0,
    accountLen: 2 * TLV_HEADER, // NonTransferableAccount + ImmutableOwner
    data: () => [32],
  },
  permanentDelegate: { name: "PermanentDelegate", type: 12, mintLen: 32, accountLen: 0, data: (a) => [35, ...key(a)] },
  transferHook: {
    name: "TransferHook",
    type: 14,
    mintLen: 64,
    accountLen: TLV_HEADER + 1, // TransferHookAccount
    data: (a) => [36, 0, ...key(a), ...key(TOKEN_PROGRAM_ADDRESS)],
  },
  metadataPointer: { name: "MetadataPointer", type: 18, mintLen: 64, accountLen: 0, data: (a) => [39, 0, ...key(a), ...key(a)] },
};

async function ok(p: ReturnType<typeof send>, what: string) {
  const r = await p;
  if (!r.ok) throw new Error(`${what} failed: ${r.error}\n${r.logs.join("\n")}`);
  return r;
}

function token2022(data: number[], accounts: Address[]): Instruction {
  return {
    programAddress: TOKEN_2022_PROGRAM_ADDRESS,
    accounts: accounts.map((address) => ({ address, role: AccountRole.WRITABLE })),
    data: Uint8Array.from(data),
  };
}

/** Creates a Token-2022-owned account of `space` bytes and runs `init` on it, in one transaction. */
async function createAndInit(
  svm: LiteSVM,
  payer: KeyPairSigner,
  space: bigint,
  init: (account: Address) => Instruction[],
  what: string,
): Promise<Address> {
  const account = await generateKeyPairSigner();
  await ok(
    send(svm, payer, [
      getCreateAccountInstruction({
        payer,
        newAccount: account,
        lamports: svm.minimumBalanceForRentExemption(space),
        space,
        programAddress: TOKEN_2022_PROGRAM_ADDRESS,
      }),
      ...init(account.address),
    ]),
    what,
  );
  return account.address;
}

const config = { programAddress: TOKEN_2022_PROGRAM_ADDRESS as typeof TOKEN_PROGRAM_ADDRESS };

/** A Token-2022 mint carrying `ext`, and the size its token accounts need. */
export async function mintWithExtension(
  svm: LiteSVM,
  payer: KeyPairSigner,
  ext: MintExtension,
): Promise<{ mint: Address; accountSpace: bigint }> {
  const space = BigInt(BASE + 1 + TLV_HEADER + ext.mintLen);
  const freezeAuthority = ext.freezeAuthority ? payer.address : null;
  const mint = await createAndInit(svm, payer, space, (mint) => [
    token2022(ext.data(payer.address), [mint]),
    getInitializeMint2Instruction({ mint, decimals: 6, mintAuthority: payer.address, freezeAuthority }, config),
  ], `mint with ${ext.name}`);
  return { mint, accountSpace: BigInt(ext.accountLen === 0 ? BASE : BASE + 1 + ext.accountLen) };
}

/** A Token-2022 token account of `mint` owned by `owner`, `space` bytes long. */
export function token2022Account(svm: LiteSVM, payer: KeyPairSigner, mint: Address, owner: Address, space: bigint): Promise<Address> {
  return createAndInit(svm, payer, space, (account) => [getInitializeAccount3Instruction({ account, mint, owner }, config)], "Token-2022 account");
}
