// One whole execution on any Chain, from an empty cluster: token setup, initialize, an
// operator, a buyer's deposit, reserve, assign, a receipt, finalize and the operator's
// claim. Each escrow step is one transaction; the escrow's CU of each is returned, so
// the same keys run on the validator and on LiteSVM give comparable numbers.
// Instructions, PDAs, receipts and account decoding come from the SDK.
import { AccountRole, generateKeyPairSigner, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  TOKEN_PROGRAM_ADDRESS,
  getInitializeAccount3Instruction,
  getInitializeMint2Instruction,
  getMintToInstruction,
} from "@solana-program/token";
import {
  balanceAddress,
  configAddress,
  encodeSku,
  executionAddress,
  getAssignSegmentInstruction,
  getClaimInstruction,
  getDepositInstruction,
  getEd25519VerifyInstruction,
  getFinalizeInstruction,
  getInitializeInstruction,
  getOperatorDecoder,
  getRegisterOperatorInstruction,
  getReserveInstruction,
  getSetOperatorRateInstruction,
  getSetOperatorStatusInstruction,
  getSubmitReceiptsInstruction,
  operatorAddress,
  programDataAddress,
  signReceipt,
} from "@arknet/escrow";
import { AT, DEFAULT_TIMING, END, newSalt, newSigningKey, reserveArgs, U64_MAX } from "../support/deployment.ts";
import { PROGRAM_ID, programComputeUnits } from "../support/svm.ts";
import type { Chain, Sent } from "./chains.ts";

const MINT_LEN = 82;
const TOKEN_ACCOUNT_LEN = 165;

/** Every key of one run: the same keys on both chains make the same addresses and PDA bumps. */
export interface Keys {
  admin: KeyPairSigner;
  router: KeyPairSigner;
  buyer: KeyPairSigner;
  operator: KeyPairSigner;
  mint: KeyPairSigner;
  vault: KeyPairSigner;
  treasury: KeyPairSigner;
  buyerTokens: KeyPairSigner;
  payout: KeyPairSigner;
  signingKey: KeyPairSigner;
  salt: Uint8Array;
}

export async function newKeys(admin: KeyPairSigner): Promise<Keys> {
  const k = () => generateKeyPairSigner();
  return {
    admin,
    router: await k(),
    buyer: await k(),
    operator: await k(),
    mint: await k(),
    vault: await k(),
    treasury: await k(),
    buyerTokens: await k(),
    payout: await k(),
    signingKey: await newSigningKey(),
    salt: newSalt(),
  };
}

export interface ExecutionRun {
  /** The escrow program's CU in each step's transaction. */
  cu: Record<string, number>;
  /** Tokens the operator claimed, and the buyer's token balance at the end. */
  claimed: bigint;
  buyerTokens: bigint;
}

export async function runExecution(chain: Chain, keys: Keys): Promise<ExecutionRun> {
  const { admin, router, buyer, operator } = keys;
  for (const who of [admin, router, buyer, operator]) await chain.airdrop(who.address, 100n);
  const cu: Record<string, number> = {};
  const step = async (name: string, payer: KeyPairSigner, instructions: Instruction[]) => {
    const r = expectOk(name, await chain.send(payer, instructions));
    cu[name] = programComputeUnits(r, PROGRAM_ID);
  };

  // Token setup: mint, the vault (owned by the config PDA), treasury, buyer and payout accounts.
  const [config] = await configAddress(keys.salt, PROGRAM_ID);
  expectOk("create mint", await chain.send(admin, [
    await createAccount(chain, admin, keys.mint, MINT_LEN),
    getInitializeMint2Instruction({ mint: keys.mint.address, decimals: 6, mintAuthority: admin.address }),
  ]));
  const tokenAccounts: [KeyPairSigner, Address][] = [
    [keys.vault, config],
    [keys.treasury, admin.address],
    [keys.buyerTokens, buyer.address],
    [keys.payout, operator.address],
  ];
  for (const [account, owner] of tokenAccounts) {
    expectOk("create token account", await chain.send(admin, [
      await createAccount(chain, admin, account, TOKEN_ACCOUNT_LEN),
      getInitializeAccount3Instruction({ account: account.address, mint: keys.mint.address, owner }),
    ]));
  }
  expectOk("mint to buyer", await chain.send(admin, [
    getMintToInstruction({ mint: keys.mint.address, token: keys.buyerTokens.address, mintAuthority: admin, amount: 1_000_000_000n }),
  ]));

  await step("initialize", admin, [
    getInitializeInstruction(
      {
        admin,
        config,
        mint: keys.mint.address,
        vault: keys.vault.address,
        treasury: keys.treasury.address,
        router: router.address,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
        programData: await programDataAddress(PROGRAM_ID),
        salt: keys.salt,
        feeBps: 250,
        ...DEFAULT_TIMING,
      },
      AT,
    ),
  ]);

  const op = await operatorAddress(config, operator.address, PROGRAM_ID);
  await step("register_operator", operator, [
    getRegisterOperatorInstruction({ authority: operator, config, operator: op, signingKey: keys.signingKey }, AT),
  ]);
  await step("set_operator_rate", operator, [
    getSetOperatorRateInstruction({ authority: operator, operator: op, sku: encodeSku("H100"), price: 40n }, AT),
  ]);
  await step("set_operator_status", admin, [getSetOperatorStatusInstruction({ admin, config, operator: op, status: 1 }, AT)]);

  const balance = await balanceAddress(config, buyer.address, PROGRAM_ID);
  await step("deposit", buyer, [
    getDepositInstruction(
      {
        depositor: buyer,
        buyer: buyer.address,
        config,
        balance,
        source: keys.buyerTokens.address,
        vault: keys.vault.address,
        mint: keys.mint.address,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
        amount: 100_000_000n,
      },
      AT,
    ),
  ]);
  const { address: execution, bump } = await executionAddress(config, buyer.address, 1n, PROGRAM_ID);
  await step("reserve", buyer, [
    getReserveInstruction({ payer: buyer, buyer, config, balance, execution, ...reserveArgs(1n, 10_000_000n, bump) }, AT),
  ]);
  await step("assign_segment", router, [
    getAssignSegmentInstruction(
      { router, execution, operator: op, segmentIndex: 0, sku: encodeSku("H100"), maxPrice: U64_MAX, budget: 0n },
      AT,
    ),
  ]);
  const receipt = await signReceipt(keys.signingKey, { execution, segment: 0, sku: "H100", cumulativeUnits: 9_000n, sequence: 1 });
  await step("submit_receipts", router, [getEd25519VerifyInstruction([receipt]), getSubmitReceiptsInstruction({ execution, operator: op }, AT)]);
  const finalize = getFinalizeInstruction({ authority: router, execution, balance, reason: END.completed }, AT);
  await step("finalize", router, [{ ...finalize, accounts: [...finalize.accounts, { address: op, role: AccountRole.WRITABLE }] }]);
  const claimable = getOperatorDecoder().decode(await chain.accountData(op)).claimable;
  await step("claim", operator, [
    getClaimInstruction(
      {
        authority: operator,
        config,
        operator: op,
        vault: keys.vault.address,
        destination: keys.payout.address,
        mint: keys.mint.address,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
        amount: claimable,
      },
      AT,
    ),
  ]);
  return { cu, claimed: await tokenAmount(chain, keys.payout.address), buyerTokens: await tokenAmount(chain, keys.buyerTokens.address) };
}

function expectOk(what: string, r: Sent): Sent {
  if (!r.ok) throw new Error(`${what} failed: ${r.error}\n${r.logs.join("\n")}`);
  return r;
}

async function createAccount(chain: Chain, payer: KeyPairSigner, account: KeyPairSigner, space: number) {
  return getCreateAccountInstruction({
    payer,
    newAccount: account,
    lamports: await chain.rentExempt(space),
    space,
    programAddress: TOKEN_PROGRAM_ADDRESS,
  });
}

/** The token amount of a token account (bytes 64..72 of the base layout). */
async function tokenAmount(chain: Chain, account: Address): Promise<bigint> {
  const data = await chain.accountData(account);
  return new DataView(data.buffer, data.byteOffset).getBigUint64(64, true);
}
