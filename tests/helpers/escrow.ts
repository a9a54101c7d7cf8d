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
import { createMint, createTokenAccount, mintTo, tokenAmount, TOKEN_PROGRAM_ADDRESS } from "./tokens.ts";

export const SYSTEM_PROGRAM = address("11111111111111111111111111111111");
export const INSTRUCTIONS_SYSVAR = address("Sysvar1nstructions1111111111111111111111111");

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
  ) {}

  /** The `initialize` transaction that created this deployment's config. */
  initializeResult!: TxResult;

  static async create(opts: DeploymentOptions = {}): Promise<Deployment> {
    const admin = opts.admin ?? (await generateKeyPairSigner());
    const svm = await createSvm(admin.address);
    svm.airdrop(admin.address, lamports(1_000_000_000_000n));
    const router = await fundedSigner(svm);
    const tokenProgram = opts.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
    const mint = await createMint(svm, admin, opts.decimals ?? 6, tokenProgram);
    const config = await configPda();
    const vault = await createTokenAccount(svm, admin, mint, config, tokenProgram);
    const treasury = await createTokenAccount(svm, admin, mint, admin.address, tokenProgram);
    const d = new Deployment(svm, admin, router, mint, config, vault, treasury, tokenProgram);
    d.initializeResult = await expectOk(
      send(svm, admin, [await d.initializeIx(opts.feeBps ?? 250, opts.graceSecs ?? 3600n)]),
      "initialize",
    );
    return d;
  }

  async initializeIx(feeBps: number, graceSecs: bigint, overrides: Record<string, Address> = {}): Promise<Instruction> {
    return ix("initialize", { fee_bps: feeBps, expiry_grace_secs: graceSecs }, {
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
    return { wallet, tokens, balance: await balancePda(wallet.address) };
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
      key: newSigningKey(),
      address: await operatorPda(authority.address),
      payout: await createTokenAccount(this.svm, this.admin, this.mint, authority.address, this.tokenProgram),
    };
  }

  registerIx(op: Operator): Instruction {
    return ix("register_operator", { signing_key: pubkey(addressOf(op.key.publicKey)) }, {
      authority: op.authority.address,
      operator: op.address,
      system_program: SYSTEM_PROGRAM,
    });
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
    const { address: execution, bump } = await executionPda(buyer.wallet.address, executionId);
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
    const { address: execution, bump } = await executionPda(buyer.wallet.address, executionId);
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

  assignIx(execution: Address, index: number, op: Operator, code: string, router = this.router): Instruction {
    return ix("assign_segment", { segment_index: index, sku: sku(code) }, {
      router: router.address,
      execution,
      operator: op.address,
    });
  }

  async assign(execution: Address, index: number, op: Operator, code: string): Promise<TxResult> {
    return expectOk(this.send(this.router, [this.assignIx(execution, index, op, code)]), "assign segment");
  }

  /** The precompile instruction and submit_receipts for `receipts`, operators as accounts. */
  submitIxs(
    execution: Address,
    receipts: { op: Operator; segment: number; sku: string; units: bigint; seq: number }[],
  ): Instruction[] {
    const signed = receipts.map((r) =>
      signReceipt(r.op.key, {
        programId: PROGRAM_ID,
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

  finalizeIx(execution: Address, authority: KeyPairSigner, buyer: Buyer, rentPayer = buyer.wallet.address): Instruction {
    return ix("finalize", {}, {
      authority: authority.address,
      config: this.config,
      execution,
      balance: buyer.balance,
      rent_payer: rentPayer,
    });
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

  withdrawFeesIx(amount: bigint, treasury = this.treasury, admin = this.admin): Instruction {
    return ix("withdraw_fees", { amount }, {
      admin: admin.address,
      config: this.config,
      vault: this.vault,
      treasury,
      mint: this.mint,
      token_program: this.tokenProgram,
    });
  }

  adminIx(name: string, args: Record<string, unknown> = {}, extra: Record<string, Address> = {}, admin = this.admin): Instruction {
    return ix(name, args, { admin: admin.address, config: this.config, ...extra });
  }
}

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
