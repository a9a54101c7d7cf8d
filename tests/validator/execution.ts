// One whole execution on any Chain, from an empty cluster: token setup, initialize, an
// operator, a buyer's deposit, reserve, assign, a receipt, finalize and the operator's
// claim. Each escrow step is one transaction; the escrow's CU of each is returned, so
// the same keys run on the validator and on LiteSVM give comparable numbers.
// Instructions come from tests/helpers (IDL-encoded) until the SDK replaces them.
import { AccountRole, generateKeyPairSigner, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  TOKEN_PROGRAM_ADDRESS,
  getInitializeAccount3Instruction,
  getInitializeMint2Instruction,
  getMintToInstruction,
} from "@solana-program/token";
import { DEFAULT_TIMING, END, INSTRUCTIONS_SYSVAR, newSalt, reserveArgs, SYSTEM_PROGRAM, timingArgs, U64_MAX } from "../helpers/escrow.ts";
import { decodeAccount, ix, PROGRAM_ID, sku } from "../helpers/idl.ts";
import { balancePda, configPda, executionPda, operatorPda } from "../helpers/pdas.ts";
import { ed25519Instruction, newSigningKey, signReceipt, type SigningKey } from "../helpers/receipts.ts";
import { programComputeUnits, programDataAddress, type TxResult } from "../helpers/svm.ts";
import { signedBy } from "../helpers/tx.ts";
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
  signingKey: SigningKey;
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
    cu[name] = programComputeUnits({ logs: r.logs } as TxResult, PROGRAM_ID);
  };

  // Token setup: mint, the vault (owned by the config PDA), treasury, buyer and payout accounts.
  const config = await configPda(keys.salt);
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
    ix("initialize", { salt: keys.salt, fee_bps: 250, ...timingArgs(DEFAULT_TIMING) }, {
      admin: admin.address,
      config,
      mint: keys.mint.address,
      vault: keys.vault.address,
      treasury: keys.treasury.address,
      router: router.address,
      token_program: TOKEN_PROGRAM_ADDRESS,
      system_program: SYSTEM_PROGRAM,
      program_data: await programDataAddress(PROGRAM_ID),
    }),
  ]);

  const op = await operatorPda(config, operator.address);
  await step("register_operator", operator, [
    signedBy(
      ix("register_operator", {}, {
        authority: operator.address,
        config,
        operator: op,
        signing_key: keys.signingKey.signer.address,
        system_program: SYSTEM_PROGRAM,
      }),
      keys.signingKey.signer,
    ),
  ]);
  await step("set_operator_rate", operator, [
    ix("set_operator_rate", { sku: sku("H100"), price: 40n }, { authority: operator.address, operator: op }),
  ]);
  await step("set_operator_status", admin, [
    ix("set_operator_status", { status: 1 }, { admin: admin.address, config, operator: op }),
  ]);

  const balance = await balancePda(config, buyer.address);
  await step("deposit", buyer, [
    ix("deposit", { amount: 100_000_000n }, {
      depositor: buyer.address,
      buyer: buyer.address,
      config,
      balance,
      source: keys.buyerTokens.address,
      vault: keys.vault.address,
      mint: keys.mint.address,
      token_program: TOKEN_PROGRAM_ADDRESS,
      system_program: SYSTEM_PROGRAM,
    }),
  ]);
  const { address: execution, bump } = await executionPda(config, buyer.address, 1n);
  await step("reserve", buyer, [
    ix("reserve", reserveArgs(1n, 10_000_000n, bump, {}), {
      payer: buyer.address,
      buyer: buyer.address,
      config,
      balance,
      execution,
      system_program: SYSTEM_PROGRAM,
    }),
  ]);
  await step("assign_segment", router, [
    ix("assign_segment", { segment_index: 0, sku: sku("H100"), max_price: U64_MAX, budget: 0n }, {
      router: router.address,
      execution,
      operator: op,
    }),
  ]);
  const receipt = signReceipt(keys.signingKey, {
    execution,
    segment: 0,
    sku: sku("H100"),
    cumulativeUnits: 9_000n,
    sequence: 1,
  });
  await step("submit_receipts", router, [
    ed25519Instruction([receipt]),
    ix("submit_receipts", {}, { execution, instructions_sysvar: INSTRUCTIONS_SYSVAR, operator: op }),
  ]);
  await step("finalize", router, [
    ix("finalize", { reason: END.completed }, { authority: router.address, execution, balance }, [
      { address: op, role: AccountRole.WRITABLE },
    ]),
  ]);
  const claimable = BigInt(decodeAccount("Operator", await chain.accountData(op)).claimable);
  await step("claim", operator, [
    ix("claim", { amount: claimable }, {
      authority: operator.address,
      config,
      operator: op,
      vault: keys.vault.address,
      destination: keys.payout.address,
      mint: keys.mint.address,
      token_program: TOKEN_PROGRAM_ADDRESS,
    }),
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
