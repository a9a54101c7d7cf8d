// A deployed escrow in LiteSVM and the protocol's flows, each one real transaction
// against the compiled program. Tests use these for setup and call `ix` directly for
// the instruction under test.
import type { LiteSVM } from "litesvm";
import {
  AccountRole,
  address,
  generateKeyPairSigner,
  getAddressDecoder,
  lamports,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { PROGRAM_ID, decodeAccount, ix, pubkey, sku } from "./idl.ts";
import { balancePda, configPda, executionPda, operatorPda } from "./pdas.ts";
import { ed25519Instruction, newSigningKey, signReceipt, type SigningKey } from "./receipts.ts";
import { createSvm, fundedSigner, programDataAddress, send, type TxResult } from "./svm.ts";
import { signedBy } from "./tx.ts";
import { createMint, createTokenAccount, mintTo, tokenAmount, TOKEN_PROGRAM_ADDRESS } from "./tokens.ts";

export const SYSTEM_PROGRAM = address("11111111111111111111111111111111");
export const INSTRUCTIONS_SYSVAR = address("Sysvar1nstructions1111111111111111111111111");

/** End reasons of an execution (docs/protocol.md, "Ending an execution"). */
export const END = { completed: 1, preempted: 2, failed: 3, expired: 4, cancelled: 5 } as const;

/** The deployment's clocks, in seconds (initialize / set_timing arguments). */
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

export function timingArgs(t: Timing) {
  return {
    expiry_grace_secs: t.expiryGraceSecs,
    settlement_window_secs: t.settlementWindowSecs,
    min_duration_secs: t.minDurationSecs,
    review_window_secs: t.reviewWindowSecs,
  };
}

/** 32 random bytes: a deployment's salt. */
export function newSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

export async function expectOk(p: Promise<TxResult> | TxResult, what = "transaction"): Promise<TxResult> {
  const r = await p;
  if (!r.ok) throw new Error(`${what} failed: ${r.error} (code ${r.errorCode})\n${r.logs.join("\n")}`);
  return r;
}

export interface Operator {
  authority: KeyPairSigner;
  address: Address;
  key: SigningKey;
  payout: Address;
}

export interface Buyer {
  wallet: KeyPairSigner;
  tokens: Address;
  balance: Address;
}

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
    const config = await configPda(salt);
    const vault = await createTokenAccount(svm, admin, mint, config, tokenProgram);
    const treasury = await createTokenAccount(svm, admin, mint, admin.address, tokenProgram);
    const d = new Deployment(svm, admin, router, mint, config, vault, treasury, tokenProgram, salt);
    const timing = { ...DEFAULT_TIMING, ...opts.timing };
    if (opts.graceSecs !== undefined) timing.expiryGraceSecs = opts.graceSecs;
    if (timing.settlementWindowSecs > timing.expiryGraceSecs) timing.settlementWindowSecs = timing.expiryGraceSecs;
    d.initializeResult = await expectOk(send(svm, admin, [await d.initializeIx(opts.feeBps ?? 250, timing)]), "initialize");
    return d;
  }

  async initializeIx(
    feeBps: number,
    timing: Timing | bigint = DEFAULT_TIMING,
    overrides: Record<string, Address> = {},
    salt = this.salt,
  ): Promise<Instruction> {
    const t = typeof timing === "bigint" ? { ...DEFAULT_TIMING, expiryGraceSecs: timing } : timing;
    return ix("initialize", { salt, fee_bps: feeBps, ...timingArgs(t) }, {
      admin: this.admin.address,
      config: this.config,
      mint: this.mint,
      vault: this.vault,
      treasury: this.treasury,
      router: this.router.address,
      token_program: this.tokenProgram,
      system_program: SYSTEM_PROGRAM,
      program_data: await programDataAddress(PROGRAM_ID),
      ...overrides,
    });
  }

  send(payer: KeyPairSigner, instructions: Instruction[]): Promise<TxResult> {
    return send(this.svm, payer, instructions);
  }

  account<T = any>(name: "Config" | "Operator" | "Balance" | "Execution", at: Address): T {
    const a = this.svm.getAccount(at);
    if (!a.exists) throw new Error(`${name} ${at} does not exist`);
    return decodeAccount<T>(name, a.data);
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
    return { wallet, tokens, balance: await balancePda(this.config, wallet.address) };
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
      address: await operatorPda(this.config, authority.address),
      payout: await createTokenAccount(this.svm, this.admin, this.mint, authority.address, this.tokenProgram),
    };
  }

  /** register_operator, co-signed by the operator's signing key. */
  registerIx(op: Operator, key: SigningKey = op.key): Instruction {
    const instruction = ix("register_operator", {}, {
      authority: op.authority.address,
      config: this.config,
      operator: op.address,
      signing_key: key.signer.address,
      system_program: SYSTEM_PROGRAM,
    });
    return signedBy(instruction, key.signer);
  }

  /** rotate_operator_key to `key`, which co-signs. */
  rotateIx(op: Operator, key: SigningKey): Instruction {
    const instruction = ix("rotate_operator_key", {}, {
      authority: op.authority.address,
      operator: op.address,
      new_signing_key: key.signer.address,
    });
    return signedBy(instruction, key.signer);
  }

  setRateIx(op: Operator, code: string, price: bigint): Instruction {
    return ix("set_operator_rate", { sku: sku(code), price }, { authority: op.authority.address, operator: op.address });
  }

  setStatusIx(op: Operator, status: number): Instruction {
    return ix("set_operator_status", { status }, { admin: this.admin.address, config: this.config, operator: op.address });
  }

  depositIx(buyer: Buyer, amount: bigint, depositor?: { wallet: KeyPairSigner; tokens: Address }): Instruction {
    const from = depositor ?? buyer;
    return ix("deposit", { amount }, {
      depositor: from.wallet.address,
      buyer: buyer.wallet.address,
      config: this.config,
      balance: buyer.balance,
      source: from.tokens,
      vault: this.vault,
      mint: this.mint,
      token_program: this.tokenProgram,
      system_program: SYSTEM_PROGRAM,
    });
  }

  async deposit(buyer: Buyer, amount: bigint): Promise<TxResult> {
    return expectOk(this.send(buyer.wallet, [this.depositIx(buyer, amount)]), "deposit");
  }

  withdrawIx(buyer: Buyer, amount: bigint, destination = buyer.tokens): Instruction {
    return ix("withdraw", { amount }, {
      buyer: buyer.wallet.address,
      config: this.config,
      balance: buyer.balance,
      vault: this.vault,
      destination,
      mint: this.mint,
      token_program: this.tokenProgram,
    });
  }

  async reserveIx(
    buyer: Buyer,
    executionId: bigint,
    maxBurn: bigint,
    opts: { durationSecs?: bigint; priceCaps?: { sku: string; maxPrice: bigint }[]; payer?: KeyPairSigner } = {},
  ): Promise<{ ix: Instruction; execution: Address }> {
    const { address: execution, bump } = await executionPda(this.config, buyer.wallet.address, executionId);
    const instruction = ix("reserve", reserveArgs(executionId, maxBurn, bump, opts), {
      payer: (opts.payer ?? buyer.wallet).address,
      buyer: buyer.wallet.address,
      config: this.config,
      balance: buyer.balance,
      execution,
      system_program: SYSTEM_PROGRAM,
    });
    return { ix: instruction, execution };
  }

  async reserve(buyer: Buyer, executionId: bigint, maxBurn: bigint, opts: Parameters<Deployment["reserveIx"]>[3] = {}) {
    const { ix: instruction, execution } = await this.reserveIx(buyer, executionId, maxBurn, opts);
    const result = await expectOk(this.send(buyer.wallet, [instruction]), "reserve");
    return { execution, result };
  }

  async reserveFromWalletIx(buyer: Buyer, executionId: bigint, maxBurn: bigint, opts: { durationSecs?: bigint } = {}) {
    const { address: execution, bump } = await executionPda(this.config, buyer.wallet.address, executionId);
    const instruction = ix("reserve_from_wallet", reserveArgs(executionId, maxBurn, bump, opts), {
      payer: buyer.wallet.address,
      buyer: buyer.wallet.address,
      config: this.config,
      balance: buyer.balance,
      execution,
      source: buyer.tokens,
      vault: this.vault,
      mint: this.mint,
      token_program: this.tokenProgram,
      system_program: SYSTEM_PROGRAM,
    });
    return { ix: instruction, execution };
  }

  topUpIx(buyer: Buyer, execution: Address, amount: bigint): Instruction {
    return ix("top_up", { amount }, { buyer: buyer.wallet.address, config: this.config, balance: buyer.balance, execution });
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
    const args = { segment_index: index, sku: sku(code), max_price: terms.maxPrice ?? U64_MAX, budget: terms.budget ?? 0n };
    return ix("assign_segment", args, { router: router.address, execution, operator: op.address });
  }

  async assign(
    execution: Address,
    index: number,
    op: Operator,
    code: string,
    terms: { maxPrice?: bigint; budget?: bigint } = {},
  ): Promise<TxResult> {
    return expectOk(this.send(this.router, [this.assignIx(execution, index, op, code, this.router, terms)]), "assign segment");
  }

  /** The precompile instruction and submit_receipts for `receipts`, operators as accounts. */
  submitIxs(
    execution: Address,
    receipts: { op: Operator; segment: number; sku: string; units: bigint; seq: number }[],
  ): Instruction[] {
    const signed = receipts.map((r) =>
      signReceipt(r.op.key, {
        execution,
        segment: r.segment,
        sku: sku(r.sku),
        cumulativeUnits: r.units,
        sequence: r.seq,
      }),
    );
    const operators = [...new Set(receipts.map((r) => r.op.address))];
    return [ed25519Instruction(signed), this.submitIx(execution, operators)];
  }

  submitIx(execution: Address, operators: Address[]): Instruction {
    const [first, ...rest] = operators;
    return ix("submit_receipts", {}, { execution, instructions_sysvar: INSTRUCTIONS_SYSVAR, operator: first }, rest.map(
      (a) => ({ address: a, role: AccountRole.WRITABLE }),
    ));
  }

  /**
   * finalize. The reason defaults to completed for the router and expired for anyone else;
   * with reason completed the operators paid in the execution (read from its account) follow
   * as writable accounts unless `operators` names others.
   */
  finalizeIx(
    execution: Address,
    authority: KeyPairSigner,
    buyer: Buyer,
    opts: { reason?: number; operators?: Address[] } = {},
  ): Instruction {
    const reason = opts.reason ?? (authority.address === this.router.address ? END.completed : END.expired);
    const operators = opts.operators ?? (reason === END.completed ? this.paidOperators(execution) : []);
    return ix("finalize", { reason }, { authority: authority.address, execution, balance: buyer.balance }, operators.map(
      (a) => ({ address: a, role: AccountRole.WRITABLE }),
    ));
  }

  /** Distinct operators with a charged segment in `execution` (empty if it does not exist). */
  paidOperators(execution: Address): Address[] {
    if (!this.exists(execution)) return [];
    const e = this.account("Execution", execution);
    const paid = e.segments.slice(0, e.segment_count).filter((s: any) => s.charged > 0n);
    return [...new Set<Address>(paid.map((s: any) => s.operator))];
  }

  cancelIx(execution: Address, buyer: Buyer): Instruction {
    return ix("cancel", {}, { buyer: buyer.wallet.address, execution, balance: buyer.balance });
  }

  rateIx(execution: Address, buyer: Buyer, op: Operator | Address, stars: number): Instruction {
    const operator = typeof op === "string" ? op : op.address;
    return ix("rate", { stars }, { buyer: buyer.wallet.address, execution, operator });
  }

  closeIx(execution: Address, authority: KeyPairSigner, rentPayer: Address): Instruction {
    return ix("close", {}, { authority: authority.address, execution, rent_payer: rentPayer });
  }

  claimIx(op: Operator, amount: bigint, destination = op.payout): Instruction {
    return ix("claim", { amount }, {
      authority: op.authority.address,
      config: this.config,
      operator: op.address,
      vault: this.vault,
      destination,
      mint: this.mint,
      token_program: this.tokenProgram,
    });
  }

  /** withdraw_fees, sweeping the fees owed by `operators` first. */
  withdrawFeesIx(amount: bigint, treasury = this.treasury, admin = this.admin, operators: Address[] = []): Instruction {
    return ix("withdraw_fees", { amount }, {
      admin: admin.address,
      config: this.config,
      vault: this.vault,
      treasury,
      mint: this.mint,
      token_program: this.tokenProgram,
    }, operators.map((a) => ({ address: a, role: AccountRole.WRITABLE })));
  }

  adminIx(name: string, args: Record<string, unknown> = {}, extra: Record<string, Address> = {}, admin = this.admin): Instruction {
    return ix(name, args, { admin: admin.address, config: this.config, ...extra });
  }
}

export const U64_MAX = (1n << 64n) - 1n;

export function reserveArgs(
  executionId: bigint,
  maxBurn: bigint,
  bump: number,
  opts: { durationSecs?: bigint; priceCaps?: { sku: string; maxPrice: bigint }[] },
) {
  return {
    execution_id: executionId,
    max_burn: maxBurn,
    duration_secs: opts.durationSecs ?? 3600n,
    bump,
    price_caps: (opts.priceCaps ?? []).map((c) => ({ sku: sku(c.sku), max_price: c.maxPrice })),
  };
}

/** base58 address of raw public key bytes. */
export function addressOf(bytes: Uint8Array): Address {
  return getAddressDecoder().decode(bytes);
}
