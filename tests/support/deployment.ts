// A deployed escrow in LiteSVM: the test world (admin, router, mint, vault, treasury, buyers,
// operators) and which of its accounts go in which slot of each instruction. Every
// instruction is built by the SDK's generated builders, every PDA derived and every account
// decoded by the SDK; this fixture only supplies the world's addresses and signers.
import type { LiteSVM } from "litesvm";
import { AccountRole, generateKeyPairSigner, lamports, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import {
  balanceAddress,
  configAddress,
  decodeBalance,
  decodeConfig,
  decodeExecution,
  decodeOperator,
  encodeSku,
  executionAddress,
  getAcceptAdminInstruction,
  getAssignSegmentInstruction,
  getCancelInstruction,
  getClaimInstruction,
  getCloseInstruction,
  getDepositInstruction,
  getEd25519VerifyInstruction,
  getFinalizeInstruction,
  getInitializeInstruction,
  getProposeAdminInstruction,
  getRateInstruction,
  getRegisterOperatorInstruction,
  getReserveFromWalletInstruction,
  getReserveInstruction,
  getRotateOperatorKeyInstruction,
  getSetFeeInstruction,
  getSetOperatorRateInstruction,
  getSetOperatorStatusInstruction,
  getSetPausedInstruction,
  getSetRouterInstruction,
  getSetTimingInstruction,
  getSetTreasuryInstruction,
  getSubmitReceiptsInstruction,
  getTopUpInstruction,
  getWithdrawFeesInstruction,
  getWithdrawInstruction,
  operatorAddress,
  programDataAddress,
  signReceipt,
  type Balance,
  type Config,
  type Execution,
  type Operator as OperatorAccount,
} from "@arknet/escrow";
import { createSvm, fundedSigner, PROGRAM_ID, send, type TxResult } from "./svm.ts";
import { expectOk } from "./refusals.ts";
import { createMint, createTokenAccount, mintTo, tokenAmount, TOKEN_PROGRAM_ADDRESS } from "./tokens.ts";

/** Every generated builder takes the program under test as its program address. */
export const AT = { programAddress: PROGRAM_ID };

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

const writable = (addresses: Address[]) => addresses.map((address) => ({ address, role: AccountRole.WRITABLE }));
const withRemaining = (ix: Instruction, remaining: Address[]): Instruction => ({ ...ix, accounts: [...(ix.accounts ?? []), ...writable(remaining)] });

/** One initialized deployment: config, mint, vault, treasury, admin and router. */
export class Deployment {
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
    d.initializeResult = await expectOk(send(svm, admin, [await d.initializeIx(opts.feeBps ?? 250, timing)]), "initialize");
    return d;
  }

  /** initialize of this deployment; `overrides` replaces accounts (an address, or an address with another role). */
  async initializeIx(
    feeBps: number,
    timing: Timing | bigint = DEFAULT_TIMING,
    overrides: Partial<Record<"admin" | "config" | "mint" | "vault" | "treasury" | "router" | "tokenProgram" | "systemProgram" | "programData", any>> = {},
    salt = this.salt,
  ): Promise<Instruction> {
    const t = typeof timing === "bigint" ? { ...DEFAULT_TIMING, expiryGraceSecs: timing } : timing;
    return getInitializeInstruction(
      {
        admin: this.admin,
        config: this.config,
        mint: this.mint,
        vault: this.vault,
        treasury: this.treasury,
        router: this.router.address,
        tokenProgram: this.tokenProgram,
        programData: await programDataAddress(PROGRAM_ID),
        salt,
        feeBps,
        ...t,
        ...overrides,
      },
      AT,
    );
  }

  send(payer: KeyPairSigner, instructions: Instruction[]): Promise<TxResult> {
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

  /** Registers an operator, sets its rates and (unless `activate` is false) activates it. */
  async newOperator(rates: Record<string, bigint>, activate = true, authority?: KeyPairSigner): Promise<Operator> {
    const op = await this.operatorAccounts(authority);
    const setup = [this.registerIx(op), ...Object.entries(rates).map(([code, price]) => this.setRateIx(op, code, price))];
    await expectOk(this.send(op.authority, setup), "register operator");
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

  /** register_operator, co-signed by the operator's signing key. */
  registerIx(op: Operator, key: KeyPairSigner = op.key): Instruction {
    return getRegisterOperatorInstruction({ authority: op.authority, config: this.config, operator: op.address, signingKey: key }, AT);
  }

  /** rotate_operator_key to `key`, which co-signs. */
  rotateIx(op: Operator, key: KeyPairSigner): Instruction {
    return getRotateOperatorKeyInstruction({ authority: op.authority, operator: op.address, newSigningKey: key }, AT);
  }

  setRateIx(op: Operator, code: string, price: bigint): Instruction {
    return getSetOperatorRateInstruction({ authority: op.authority, operator: op.address, sku: encodeSku(code), price }, AT);
  }

  setStatusIx(op: Operator, status: number, admin = this.admin): Instruction {
    return getSetOperatorStatusInstruction({ admin, config: this.config, operator: op.address, status }, AT);
  }

  depositIx(buyer: Buyer, amount: bigint, depositor?: { wallet: KeyPairSigner; tokens: Address }): Instruction {
    const from = depositor ?? buyer;
    return getDepositInstruction(
      {
        depositor: from.wallet,
        buyer: buyer.wallet.address,
        config: this.config,
        balance: buyer.balance,
        source: from.tokens,
        vault: this.vault,
        mint: this.mint,
        tokenProgram: this.tokenProgram,
        amount,
      },
      AT,
    );
  }

  async deposit(buyer: Buyer, amount: bigint): Promise<TxResult> {
    return expectOk(this.send(buyer.wallet, [this.depositIx(buyer, amount)]), "deposit");
  }

  withdrawIx(buyer: Buyer, amount: bigint, destination = buyer.tokens): Instruction {
    return getWithdrawInstruction(
      {
        buyer: buyer.wallet,
        config: this.config,
        balance: buyer.balance,
        vault: this.vault,
        destination,
        mint: this.mint,
        tokenProgram: this.tokenProgram,
        amount,
      },
      AT,
    );
  }

  async reserveIx(
    buyer: Buyer,
    executionId: bigint,
    maxBurn: bigint,
    opts: { durationSecs?: bigint; priceCaps?: { sku: string | Uint8Array; maxPrice: bigint }[]; payer?: KeyPairSigner } = {},
  ): Promise<{ ix: Instruction; execution: Address }> {
    const { address: execution, bump } = await executionAddress(this.config, buyer.wallet.address, executionId, PROGRAM_ID);
    const ix = getReserveInstruction(
      {
        payer: opts.payer ?? buyer.wallet,
        buyer: buyer.wallet,
        config: this.config,
        balance: buyer.balance,
        execution,
        ...reserveArgs(executionId, maxBurn, bump, opts),
      },
      AT,
    );
    return { ix, execution };
  }

  async reserve(buyer: Buyer, executionId: bigint, maxBurn: bigint, opts: Parameters<Deployment["reserveIx"]>[3] = {}) {
    const { ix, execution } = await this.reserveIx(buyer, executionId, maxBurn, opts);
    const result = await expectOk(this.send(buyer.wallet, [ix]), "reserve");
    return { execution, result };
  }

  async reserveFromWalletIx(buyer: Buyer, executionId: bigint, maxBurn: bigint, opts: { durationSecs?: bigint } = {}) {
    const { address: execution, bump } = await executionAddress(this.config, buyer.wallet.address, executionId, PROGRAM_ID);
    const ix = getReserveFromWalletInstruction(
      {
        payer: buyer.wallet,
        buyer: buyer.wallet,
        config: this.config,
        balance: buyer.balance,
        execution,
        source: buyer.tokens,
        vault: this.vault,
        mint: this.mint,
        tokenProgram: this.tokenProgram,
        ...reserveArgs(executionId, maxBurn, bump, opts),
      },
      AT,
    );
    return { ix, execution };
  }

  topUpIx(buyer: Buyer, execution: Address, amount: bigint): Instruction {
    return getTopUpInstruction({ buyer: buyer.wallet, config: this.config, balance: buyer.balance, execution, amount }, AT);
  }

  /** assign_segment; `maxPrice` defaults to any price, `budget` to none (0). */
  assignIx(
    execution: Address,
    index: number,
    op: Operator,
    code: string,
    router = this.router,
    terms: { maxPrice?: bigint; budget?: bigint } = {},
  ): Instruction {
    return getAssignSegmentInstruction(
      { router, execution, operator: op.address, segmentIndex: index, sku: encodeSku(code), maxPrice: terms.maxPrice ?? U64_MAX, budget: terms.budget ?? 0n },
      AT,
    );
  }

  async assign(execution: Address, index: number, op: Operator, code: string, terms: { maxPrice?: bigint; budget?: bigint } = {}): Promise<TxResult> {
    return expectOk(this.send(this.router, [this.assignIx(execution, index, op, code, this.router, terms)]), "assign segment");
  }

  /** The precompile instruction (signatures by the SDK) and submit_receipts for `receipts`, operators as accounts. */
  async submitIxs(execution: Address, receipts: ReceiptSpec[]): Promise<Instruction[]> {
    const signed = await Promise.all(
      receipts.map((r) => signReceipt(r.op.key, { execution, segment: r.segment, sku: r.sku, cumulativeUnits: r.units, sequence: r.seq })),
    );
    const operators = [...new Set(receipts.map((r) => r.op.address))];
    return [getEd25519VerifyInstruction(signed), this.submitIx(execution, operators)];
  }

  /** submit_receipts naming `operators` (the first in its slot, the rest as remaining accounts). */
  submitIx(execution: Address, operators: Address[]): Instruction {
    const [first, ...rest] = operators;
    return withRemaining(getSubmitReceiptsInstruction({ execution, operator: first }, AT), rest);
  }

  /**
   * finalize. The reason defaults to completed for the router and expired for anyone else;
   * with reason completed the operators paid in the execution (read from its account) follow
   * as writable accounts unless `operators` names others.
   */
  finalizeIx(execution: Address, authority: KeyPairSigner, buyer: Buyer, opts: { reason?: number; operators?: Address[] } = {}): Instruction {
    const reason = opts.reason ?? (authority.address === this.router.address ? END.completed : END.expired);
    const operators = opts.operators ?? (reason === END.completed ? this.paidOperators(execution) : []);
    return withRemaining(getFinalizeInstruction({ authority, execution, balance: buyer.balance, reason }, AT), operators);
  }

  /** Distinct operators with a charged segment in `execution` (empty if it does not exist). */
  paidOperators(execution: Address): Address[] {
    if (!this.exists(execution)) return [];
    const e = this.account("Execution", execution);
    const paid = e.segments.slice(0, e.segmentCount).filter((s) => s.charged > 0n);
    return [...new Set<Address>(paid.map((s) => s.operator))];
  }

  cancelIx(execution: Address, buyer: Buyer): Instruction {
    return getCancelInstruction({ buyer: buyer.wallet, execution, balance: buyer.balance }, AT);
  }

  rateIx(execution: Address, buyer: Buyer, op: Operator | Address, stars: number): Instruction {
    const operator = typeof op === "string" ? op : op.address;
    return getRateInstruction({ buyer: buyer.wallet, execution, operator, stars }, AT);
  }

  closeIx(execution: Address, authority: KeyPairSigner, rentPayer: Address): Instruction {
    return getCloseInstruction({ authority, execution, rentPayer }, AT);
  }

  claimIx(op: Operator, amount: bigint, destination = op.payout): Instruction {
    return getClaimInstruction(
      { authority: op.authority, config: this.config, operator: op.address, vault: this.vault, destination, mint: this.mint, tokenProgram: this.tokenProgram, amount },
      AT,
    );
  }

  /** withdraw_fees, sweeping the fees owed by `operators` first. */
  withdrawFeesIx(amount: bigint, treasury = this.treasury, admin = this.admin, operators: Address[] = []): Instruction {
    const ix = getWithdrawFeesInstruction(
      { admin, config: this.config, vault: this.vault, treasury, mint: this.mint, tokenProgram: this.tokenProgram, amount },
      AT,
    );
    return withRemaining(ix, operators);
  }

  setFeeIx(feeBps: number, admin = this.admin): Instruction {
    return getSetFeeInstruction({ admin, config: this.config, feeBps }, AT);
  }

  setPausedIx(paused: boolean, admin = this.admin): Instruction {
    return getSetPausedInstruction({ admin, config: this.config, paused }, AT);
  }

  setRouterIx(router: Address, admin = this.admin): Instruction {
    return getSetRouterInstruction({ admin, config: this.config, router }, AT);
  }

  setTreasuryIx(treasury: Address, admin = this.admin): Instruction {
    return getSetTreasuryInstruction({ admin, config: this.config, treasury }, AT);
  }

  setTimingIx(timing: Timing, admin = this.admin): Instruction {
    return getSetTimingInstruction({ admin, config: this.config, ...timing }, AT);
  }

  proposeAdminIx(newAdmin: Address, admin = this.admin): Instruction {
    return getProposeAdminInstruction({ admin, config: this.config, newAdmin }, AT);
  }

  acceptAdminIx(newAdmin: KeyPairSigner): Instruction {
    return getAcceptAdminInstruction({ newAdmin, config: this.config }, AT);
  }
}

/** The arguments of reserve / reserve_from_wallet (SKU codes encoded by the SDK). */
export function reserveArgs(
  executionId: bigint,
  maxBurn: bigint,
  bump: number,
  opts: { durationSecs?: bigint; priceCaps?: { sku: string | Uint8Array; maxPrice: bigint }[] } = {},
) {
  return {
    executionId,
    maxBurn,
    durationSecs: opts.durationSecs ?? 3600n,
    bump,
    // Raw SKU bytes pass through unchecked (refusal tests); codes are encoded by the SDK.
    priceCaps: (opts.priceCaps ?? []).map((c) => ({ sku: typeof c.sku === "string" ? encodeSku(c.sku) : c.sku, maxPrice: c.maxPrice })),
  };
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
