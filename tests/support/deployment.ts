// A deployed escrow in LiteSVM: the test world (admin, router, mint, vault, treasury, buyers,
// operators). Every instruction comes from the SDK's instruction builders (`*Instructions`),
// which know which account goes in which slot; every PDA is derived and every account decoded
// by the SDK. This fixture only supplies the world's addresses and signers, and the defaults
// tests share (duration, any price, who finalizes with which reason).
import type { LiteSVM } from "litesvm";
import { generateKeyPairSigner, lamports, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import {
  acceptAdminInstructions,
  assignSegmentInstructions,
  balanceAddress,
  cancelInstructions,
  claimInstructions,
  closeInstructions,
  configAddress,
  decodeBalance,
  decodeConfig,
  decodeExecution,
  decodeOperator,
  depositInstructions,
  finalizeInstructions,
  getEd25519VerifyInstruction,
  initializeInstructions,
  operatorAddress,
  paidOperators,
  proposeAdminInstructions,
  rateInstructions,
  registerOperatorInstructions,
  reserveFromWalletInstructions,
  reserveInstructions,
  rotateKeyInstructions,
  setFeeInstructions,
  setOperatorStatusInstructions,
  setPausedInstructions,
  setRatesInstructions,
  setRouterInstructions,
  setTimingInstructions,
  setTreasuryInstructions,
  signReceipt,
  submitReceiptsInstruction,
  topUpInstructions,
  withdrawFeesInstructions,
  withdrawInstructions,
  type Balance,
  type Config,
  type DeploymentAccounts,
  type Execution,
  type Operator as OperatorAccount,
  type PriceCapInput,
} from "@arknet/escrow";
import { createSvm, fundedSigner, PROGRAM_ID, send, type Sendable, type TxResult } from "./svm.ts";
import { expectOk } from "./refusals.ts";
import { replaceAccount } from "./mutate.ts";
import { createMint, createTokenAccount, mintTo, tokenAmount, TOKEN_PROGRAM_ADDRESS } from "./tokens.ts";

/** End reasons of an execution (docs/protocol.md, "Ending an execution"). */
export const END = { completed: 1, preempted: 2, failed: 3, expired: 4, cancelled: 5 } as const;
export const U64_MAX = (1n << 64n) - 1n;

/** The deployment's clocks, in seconds (the initialize / set_timing arguments). */
export interface Timing {
  expiryGraceSecs: bigint;
  settlementWindowSecs: bigint;
  minDurationSecs: bigint;
  reviewWindowSecs: bigint;
}

export const DEFAULT_TIMING: Timing = {
  expiryGraceSecs: 3600n,
  settlementWindowSecs: 600n,
  minDurationSecs: 60n,
  reviewWindowSecs: 86_400n,
};

/** 32 random bytes: a deployment's salt. */
export function newSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/** A receipt signing key of an operator's GPU node (it also co-signs register and rotate). */
export const newSigningKey = (): Promise<KeyPairSigner> => generateKeyPairSigner();

export interface Operator {
  authority: KeyPairSigner;
  address: Address;
  key: KeyPairSigner;
  payout: Address;
}

export interface Buyer {
  wallet: KeyPairSigner;
  tokens: Address;
  balance: Address;
}

/** One receipt to sign with its operator's key: cumulative `units` of `segment` at sequence `seq`. */
export type ReceiptSpec = { op: Operator; segment: number; sku: string; units: bigint; seq: number };

export interface DeploymentOptions {
  feeBps?: number;
  graceSecs?: bigint;
  /** Timing besides the grace (which `graceSecs` overrides). */
  timing?: Partial<Timing>;
  salt?: Uint8Array;
  /** An existing LiteSVM (a second deployment of the same program). */
  svm?: LiteSVM;
  tokenProgram?: Address;
  decimals?: number;
  /** The admin (upgrade authority); a fresh key when absent. */
  admin?: KeyPairSigner;
}

const ACCOUNT_DECODERS = {
  Config: decodeConfig,
  Operator: decodeOperator,
  Balance: decodeBalance,
  Execution: decodeExecution,
};
type AccountTypes = { Config: Config; Operator: OperatorAccount; Balance: Balance; Execution: Execution };

/**
 * `ix` with the account the SDK derived swapped for the one the test named, when they differ:
 * a test hands in a buyer or operator whose wallet and account do not belong together (another
 * wallet signing for a victim's balance, a balance of another deployment).
 */
async function named(ix: Instruction, derived: Address | Promise<Address>, given: Address): Promise<Instruction> {
  const address = await derived;
  return address === given ? ix : replaceAccount(ix, address, given);
}

/** The one instruction a builder made. */
function only(instructions: Instruction[]): Instruction {
  if (instructions.length !== 1) throw new Error(`expected one instruction, the builder made ${instructions.length}`);
  return instructions[0];
}

/** One initialized deployment: config, mint, vault, treasury, admin and router. */
export class Deployment implements DeploymentAccounts {
  readonly programAddress = PROGRAM_ID;

  private constructor(
    readonly svm: LiteSVM,
    readonly admin: KeyPairSigner,
    readonly router: KeyPairSigner,
    readonly mint: Address,
    readonly config: Address,
    readonly vault: Address,
    readonly treasury: Address,
    readonly tokenProgram: Address,
    readonly salt: Uint8Array,
  ) {}

  /** The `initialize` transaction that created this deployment's config. */
  initializeResult!: TxResult;

  static async create(opts: DeploymentOptions = {}): Promise<Deployment> {
    const admin = opts.admin ?? (await generateKeyPairSigner());
    const svm = opts.svm ?? (await createSvm(admin.address));
    svm.airdrop(admin.address, lamports(1_000_000_000_000n));
    const router = await fundedSigner(svm);
    const tokenProgram = opts.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
    const mint = await createMint(svm, admin, opts.decimals ?? 6, tokenProgram);
    const salt = opts.salt ?? newSalt();
    const [config] = await configAddress(salt, PROGRAM_ID);
    const vault = await createTokenAccount(svm, admin, mint, config, tokenProgram);
    const treasury = await createTokenAccount(svm, admin, mint, admin.address, tokenProgram);
    const d = new Deployment(svm, admin, router, mint, config, vault, treasury, tokenProgram, salt);
    const timing = { ...DEFAULT_TIMING, ...opts.timing };
    if (opts.graceSecs !== undefined) timing.expiryGraceSecs = opts.graceSecs;
    if (timing.settlementWindowSecs > timing.expiryGraceSecs) timing.settlementWindowSecs = timing.expiryGraceSecs;
    d.initializeResult = await expectOk(send(svm, admin, [d.initializeIx(opts.feeBps ?? 250, timing)]), "initialize");
    return d;
  }

  /** initialize of this deployment (its vault and treasury named); `accounts` names others. */
  async initializeIx(
    feeBps: number,
    timing: Timing | bigint = DEFAULT_TIMING,
    accounts: Partial<Record<"mint" | "vault" | "treasury" | "router", Address>> = {},
  ): Promise<Instruction> {
    const t = typeof timing === "bigint" ? { ...DEFAULT_TIMING, expiryGraceSecs: timing } : timing;
    const { instructions } = await initializeInstructions({
      admin: this.admin,
      programAddress: this.programAddress,
      mint: accounts.mint ?? this.mint,
      tokenProgram: this.tokenProgram,
      vault: accounts.vault ?? this.vault,
      treasury: accounts.treasury ?? this.treasury,
      router: accounts.router ?? this.router.address,
      salt: this.salt,
      feeBps,
      ...t,
    });
    return only(instructions);
  }

  /** Sends `instructions` (built, or a builder's pending result) with `payer` paying. */
  send(payer: KeyPairSigner, instructions: Sendable[]): Promise<TxResult> {
    return send(this.svm, payer, instructions);
  }

  /** The account at `at`, decoded by the SDK's generated decoder for `name`. */
  account<N extends keyof AccountTypes>(name: N, at: Address): AccountTypes[N] {
    const a = this.svm.getAccount(at);
    if (!a.exists) throw new Error(`${name} ${at} does not exist`);
    const decode = ACCOUNT_DECODERS[name] as unknown as (account: unknown) => { data: AccountTypes[N] };
    return decode({ address: at, data: a.data, executable: a.executable, lamports: a.lamports, programAddress: a.programAddress, space: BigInt(a.data.length), exists: true }).data;
  }

  exists(at: Address): boolean {
    const a = this.svm.getAccount(at);
    return a.exists && a.data.length > 0;
  }

  tokens(at: Address): bigint {
    return tokenAmount(this.svm, at);
  }

  /** A wallet (`wallet`, or a fresh one) with SOL and `amount` tokens in a token account of its own. */
  async newBuyer(amount = 1_000_000_000n, wallet?: KeyPairSigner): Promise<Buyer> {
    if (wallet) this.svm.airdrop(wallet.address, lamports(100_000_000_000n));
    else wallet = await fundedSigner(this.svm);
    const tokens = await createTokenAccount(this.svm, this.admin, this.mint, wallet.address, this.tokenProgram);
    if (amount > 0n) await mintTo(this.svm, this.admin, this.mint, tokens, amount, this.tokenProgram);
    return { wallet, tokens, balance: await balanceAddress(this.config, wallet.address, PROGRAM_ID) };
  }

  /** Registers an operator with its rates (one transaction) and (unless `activate` is false) activates it. */
  async newOperator(rates: Record<string, bigint>, activate = true, authority?: KeyPairSigner): Promise<Operator> {
    const op = await this.operatorAccounts(authority);
    const rateCard = Object.entries(rates).map(([sku, price]) => ({ sku, price }));
    const { instructions } = await registerOperatorInstructions(this, { authority: op.authority, signingKey: op.key, rates: rateCard });
    await expectOk(this.send(op.authority, instructions), "register operator");
    if (activate) await expectOk(this.send(this.admin, [this.setStatusIx(op, 1)]), "activate operator");
    return op;
  }

  /**
   * An operator's wallet (`authority`, or a fresh one, funded), a new receipt signing key,
   * its PDA and a payout token account. Nothing is registered yet: see `registerIx`.
   */
  async operatorAccounts(authority?: KeyPairSigner): Promise<Operator> {
    if (authority) this.svm.airdrop(authority.address, lamports(100_000_000_000n));
    else authority = await fundedSigner(this.svm);
    return {
      authority,
      key: await newSigningKey(),
      address: await operatorAddress(this.config, authority.address, PROGRAM_ID),
      payout: await createTokenAccount(this.svm, this.admin, this.mint, authority.address, this.tokenProgram),
    };
  }

  /** The balance the SDK derives for `wallet`'s address. */
  private balanceOf(wallet: KeyPairSigner): Promise<Address> {
    return balanceAddress(this.config, wallet.address, PROGRAM_ID);
  }

  /** `op`'s instruction with its operator account the test's (`op.address`). */
  private asOperator(op: Operator, ix: Instruction): Promise<Instruction> {
    return named(ix, operatorAddress(this.config, op.authority.address, PROGRAM_ID), op.address);
  }

  /** `buyer`'s instruction with its balance account the test's (`buyer.balance`). */
  private asBuyer(buyer: Buyer, ix: Instruction): Promise<Instruction> {
    return named(ix, this.balanceOf(buyer.wallet), buyer.balance);
  }

  /** register_operator, co-signed by the signing key `key`. */
  async registerIx(op: Operator, key: KeyPairSigner = op.key): Promise<Instruction> {
    return this.asOperator(op, only((await registerOperatorInstructions(this, { authority: op.authority, signingKey: key })).instructions));
  }

  /** rotate_operator_key to `key`, which co-signs. */
  async rotateIx(op: Operator, key: KeyPairSigner): Promise<Instruction> {
    return this.asOperator(op, only(await rotateKeyInstructions(this, { authority: op.authority, newSigningKey: key })));
  }

  async setRateIx(op: Operator, sku: string, price: bigint): Promise<Instruction> {
    return this.asOperator(op, only(await setRatesInstructions(this, { authority: op.authority, rates: [{ sku, price }] })));
  }

  setStatusIx(op: Operator, status: number, admin = this.admin): Instruction {
    return only(setOperatorStatusInstructions(this, { admin, operator: op.address, status }));
  }

  /** deposit into `buyer`'s balance from its token account, or from `depositor`'s (a sponsor). */
  async depositIx(buyer: Buyer, amount: bigint, depositor?: { wallet: KeyPairSigner; tokens: Address }): Promise<Instruction> {
    const from = depositor ?? buyer;
    return this.asBuyer(buyer, only(await depositInstructions(this, { depositor: from.wallet, buyer: buyer.wallet.address, source: from.tokens, amount })));
  }

  async deposit(buyer: Buyer, amount: bigint): Promise<TxResult> {
    return expectOk(this.send(buyer.wallet, [this.depositIx(buyer, amount)]), "deposit");
  }

  async withdrawIx(buyer: Buyer, amount: bigint, destination = buyer.tokens): Promise<Instruction> {
    return this.asBuyer(buyer, only(await withdrawInstructions(this, { buyer: buyer.wallet, amount, destination })));
  }

  /** reserve of execution `executionId`; an hour long by default, the buyer paying the rent. */
  async reserveIx(
    buyer: Buyer,
    executionId: bigint,
    maxBurn: bigint,
    opts: { durationSecs?: bigint; priceCaps?: PriceCapInput[]; payer?: KeyPairSigner } = {},
  ): Promise<{ ix: Instruction; execution: Address }> {
    const { instructions, execution } = await reserveInstructions(this, { buyer: buyer.wallet, executionId, maxBurn, ...opts, durationSecs: opts.durationSecs ?? 3600n });
    return { ix: await this.asBuyer(buyer, only(instructions)), execution };
  }

  async reserve(buyer: Buyer, executionId: bigint, maxBurn: bigint, opts: Parameters<Deployment["reserveIx"]>[3] = {}) {
    const { ix, execution } = await this.reserveIx(buyer, executionId, maxBurn, opts);
    const result = await expectOk(this.send(buyer.wallet, [ix]), "reserve");
    return { execution, result };
  }

  async reserveFromWalletIx(buyer: Buyer, executionId: bigint, maxBurn: bigint, opts: { durationSecs?: bigint } = {}) {
    const { instructions, execution } = await reserveFromWalletInstructions(this, {
      buyer: buyer.wallet,
      source: buyer.tokens,
      executionId,
      maxBurn,
      durationSecs: opts.durationSecs ?? 3600n,
    });
    return { ix: await this.asBuyer(buyer, only(instructions)), execution };
  }

  async topUpIx(buyer: Buyer, execution: Address, amount: bigint): Promise<Instruction> {
    return this.asBuyer(buyer, only(await topUpInstructions(this, { buyer: buyer.wallet, execution, amount })));
  }

  /** assign_segment; `maxPrice` defaults to any price, `budget` to none (0). */
  assignIx(
    execution: Address,
    index: number,
    op: Operator,
    sku: string,
    router = this.router,
    terms: { maxPrice?: bigint; budget?: bigint } = {},
  ): Instruction {
    const input = { router, execution, operator: op.address, segmentIndex: index, sku, maxPrice: terms.maxPrice ?? U64_MAX, budget: terms.budget };
    return only(assignSegmentInstructions(this, input));
  }

  async assign(execution: Address, index: number, op: Operator, code: string, terms: { maxPrice?: bigint; budget?: bigint } = {}): Promise<TxResult> {
    return expectOk(this.send(this.router, [this.assignIx(execution, index, op, code, this.router, terms)]), "assign segment");
  }

  /**
   * The precompile instruction and submit_receipts for `receipts`, each signed by its spec's
   * operator's key, the operators named in first-use order (whatever the segments say).
   */
  async submitIxs(execution: Address, receipts: ReceiptSpec[]): Promise<Instruction[]> {
    const signed = await Promise.all(
      receipts.map((r) => signReceipt(r.op.key, { execution, segment: r.segment, sku: r.sku, cumulativeUnits: r.units, sequence: r.seq })),
    );
    const operators = [...new Set(receipts.map((r) => r.op.address))];
    return [getEd25519VerifyInstruction(signed), this.submitIx(execution, operators)];
  }

  /** submit_receipts naming `operators`, without a precompile instruction. */
  submitIx(execution: Address, operators: Address[]): Instruction {
    return submitReceiptsInstruction(this, { execution, operators });
  }

  /**
   * finalize. The reason defaults to completed for the router and expired for anyone else;
   * with reason completed the operators paid in the execution (read from its account) follow
   * as writable accounts unless `operators` names others.
   */
  async finalizeIx(execution: Address, authority: KeyPairSigner, buyer: Buyer, opts: { reason?: number; operators?: Address[] } = {}): Promise<Instruction> {
    const reason = opts.reason ?? (authority.address === this.router.address ? END.completed : END.expired);
    const operators = opts.operators ?? (reason === END.completed ? this.paidOperators(execution) : []);
    return this.asBuyer(buyer, only(await finalizeInstructions(this, { authority, execution, buyer: buyer.wallet.address, reason, paidOperators: operators })));
  }

  /** Distinct operators with a charged segment in `execution` (empty if it does not exist). */
  paidOperators(execution: Address): Address[] {
    if (!this.exists(execution)) return [];
    const e = this.account("Execution", execution);
    return paidOperators(e.segments.slice(0, e.segmentCount));
  }

  async cancelIx(execution: Address, buyer: Buyer): Promise<Instruction> {
    return this.asBuyer(buyer, only(await cancelInstructions(this, { buyer: buyer.wallet, execution })));
  }

  rateIx(execution: Address, buyer: Buyer, op: Operator | Address, stars: number): Instruction {
    const operator = typeof op === "string" ? op : op.address;
    return only(rateInstructions(this, { buyer: buyer.wallet, execution, operator, stars }));
  }

  closeIx(execution: Address, authority: KeyPairSigner, rentPayer: Address): Instruction {
    return only(closeInstructions(this, { authority, execution, rentPayer }));
  }

  async claimIx(op: Operator, amount: bigint, destination = op.payout): Promise<Instruction> {
    return this.asOperator(op, only(await claimInstructions(this, { authority: op.authority, amount, destination })));
  }

  /** withdraw_fees to `treasury` (the configured one by default), sweeping the fees owed by `operators` first. */
  withdrawFeesIx(amount: bigint, treasury = this.treasury, admin = this.admin, operators: Address[] = []): Instruction {
    return only(withdrawFeesInstructions({ ...this.accounts(), treasury }, { admin, amount, sweep: operators }));
  }

  /** This deployment's accounts as the SDK's builders take them. */
  accounts(): DeploymentAccounts {
    const { programAddress, config, mint, vault, treasury, tokenProgram } = this;
    return { programAddress, config, mint, vault, treasury, tokenProgram };
  }

  setFeeIx(feeBps: number, admin = this.admin): Instruction {
    return only(setFeeInstructions(this, { admin, feeBps }));
  }

  setPausedIx(paused: boolean, admin = this.admin): Instruction {
    return only(setPausedInstructions(this, { admin, paused }));
  }

  setRouterIx(router: Address, admin = this.admin): Instruction {
    return only(setRouterInstructions(this, { admin, router }));
  }

  setTreasuryIx(treasury: Address, admin = this.admin): Instruction {
    return only(setTreasuryInstructions(this, { admin, treasury }));
  }

  setTimingIx(timing: Timing, admin = this.admin): Instruction {
    return only(setTimingInstructions(this, { admin, ...timing }));
  }

  proposeAdminIx(newAdmin: Address, admin = this.admin): Instruction {
    return only(proposeAdminInstructions(this, { admin, newAdmin }));
  }

  acceptAdminIx(newAdmin: KeyPairSigner): Instruction {
    return only(acceptAdminInstructions(this, { newAdmin }));
  }
}

/**
 * Deposits `deposit` (default: `maxBurn`) for `buyer`, reserves execution `id` and assigns
 * its segment 0 to `op` on `code`.
 */
export async function openExecution(
  d: Deployment,
  buyer: Buyer,
  op: Operator,
  code: string,
  { id = 1n, maxBurn = 100_000n, deposit = maxBurn }: { id?: bigint; maxBurn?: bigint; deposit?: bigint } = {},
): Promise<Address> {
  if (deposit > 0n) await d.deposit(buyer, deposit);
  const { execution } = await d.reserve(buyer, id, maxBurn);
  await d.assign(execution, 0, op, code);
  return execution;
}

/** Submits `receipts` for `execution` (the router pays) and expects them settled. */
export async function settle(d: Deployment, execution: Address, receipts: ReceiptSpec[]): Promise<TxResult> {
  return expectOk(d.send(d.router, await d.submitIxs(execution, receipts)), "submit receipts");
}
export { expectOk } from "./refusals.ts";
