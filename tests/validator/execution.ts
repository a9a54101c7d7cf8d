// One whole execution on any Chain, from an empty cluster: token setup, initialize, an
// operator, a buyer's deposit, reserve, assign, a receipt, finalize and the operator's
// claim. Each escrow step is one transaction; the escrow's CU of each is returned, so
// the same keys run on the validator and on LiteSVM give comparable numbers.
// Instructions (the SDK's builders), PDAs, receipts and account decoding come from the SDK.
import { generateKeyPairSigner, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  TOKEN_PROGRAM_ADDRESS,
  getInitializeAccount3Instruction,
  getInitializeMint2Instruction,
  getMintToInstruction,
} from "@solana-program/token";
import {
  assignSegmentInstructions,
  claimInstructions,
  configAddress,
  depositInstructions,
  finalizeInstructions,
  getOperatorDecoder,
  initializeInstructions,
  registerOperatorInstructions,
  reserveInstructions,
  setOperatorStatusInstructions,
  setRatesInstructions,
  signReceipt,
  submitReceiptsInstructions,
  type DeploymentAccounts,
} from "@arknet/escrow";
import { DEFAULT_TIMING, END, newSalt, newSigningKey, U64_MAX } from "../support/deployment.ts";
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

  const d: DeploymentAccounts = {
    programAddress: PROGRAM_ID,
    config,
    mint: keys.mint.address,
    vault: keys.vault.address,
    treasury: keys.treasury.address,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
  };
  const init = await initializeInstructions({ ...d, admin, vault: d.vault, treasury: d.treasury, router: router.address, salt: keys.salt, feeBps: 250, ...DEFAULT_TIMING });
  await step("initialize", admin, init.instructions);

  const registered = await registerOperatorInstructions(d, { authority: operator, signingKey: keys.signingKey });
  const op = registered.operator;
  await step("register_operator", operator, registered.instructions);
  await step("set_operator_rate", operator, await setRatesInstructions(d, { authority: operator, rates: [{ sku: "H100", price: 40n }] }));
  await step("set_operator_status", admin, setOperatorStatusInstructions(d, { admin, operator: op, status: 1 }));

  await step("deposit", buyer, await depositInstructions(d, { depositor: buyer, source: keys.buyerTokens.address, amount: 100_000_000n }));
  const reserved = await reserveInstructions(d, { buyer, executionId: 1n, maxBurn: 10_000_000n, durationSecs: 3600n });
  const execution = reserved.execution;
  await step("reserve", buyer, reserved.instructions);
  await step("assign_segment", router, assignSegmentInstructions(d, { router, execution, operator: op, segmentIndex: 0, sku: "H100", maxPrice: U64_MAX }));
  const receipt = await signReceipt(keys.signingKey, { execution, segment: 0, sku: "H100", cumulativeUnits: 9_000n, sequence: 1 });
  await step("submit_receipts", router, submitReceiptsInstructions(d, execution, [receipt], () => op));
  await step("finalize", router, await finalizeInstructions(d, { authority: router, execution, buyer: buyer.address, reason: END.completed, paidOperators: [op] }));
  const claimable = getOperatorDecoder().decode(await chain.accountData(op)).claimable;
  await step("claim", operator, await claimInstructions(d, { authority: operator, amount: claimable, destination: keys.payout.address }));
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
