// Tools the attack tests share: refusals by the runtime or another program (not only
// the escrow's own errors), look-alike accounts planted with setAccount, PDAs at any
// bump, simulated transactions, and an undeployed escrow for `initialize` attacks.
import { createHash } from "node:crypto";
import { expect } from "chai";
import { FailedTransactionMetadata, type LiteSVM } from "litesvm";
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressDecoder,
  getAddressEncoder,
  getU64Encoder,
  isOffCurveAddress,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { getCreateAccountInstruction, getTransferSolInstruction } from "@solana-program/system";
import { snapshot } from "../support/refusals.ts";
import {
  DEFAULT_TIMING,
  Deployment,
  expectOk,
  newSalt,
  type Buyer,
  type DeploymentOptions,
  type Operator,
} from "../support/deployment.ts";
import { createSvm, fundedSigner, send, type Sendable, type TxResult, PROGRAM_ID } from "../support/svm.ts";
import { createMint, createTokenAccount, TOKEN_PROGRAM_ADDRESS } from "../support/tokens.ts";
import { configAddress, initializeInstructions, programDataAddress } from "@arknet/escrow";

export const U64_MAX = (1n << 64n) - 1n;
export const CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111" as Address;

/** The transaction error as LiteSVM reports it, e.g. `TransactionErrorInstructionError { index: 0, error: … }`. */
export function runtimeError(result: TxResult): string {
  expect(result.ok, "expected the transaction to fail, but it succeeded").to.equal(false);
  return result.error!;
}

/** The error of instruction `index` as the runtime reports it. */
export function instructionError(index: number, error: string): string {
  return `TransactionErrorInstructionError { index: ${index}, error: ${error} }`;
}

/** A custom error code raised by any program (the token program's, the precompile's). */
export function customError(index: number, code: number): string {
  return instructionError(index, `InstructionErrorCustom { code: ${code} }`);
}

/**
 * Like `expectRefused`, for refusals that are not the escrow's own errors: the runtime,
 * the token program or the precompile refused first. `expected` is the exact error
 * string; every watched account must be unchanged.
 */
export async function expectFailed(
  svm: LiteSVM,
  watched: Address[],
  expected: string,
  run: () => Promise<TxResult>,
): Promise<TxResult> {
  const before = snapshot(svm, watched);
  const result = await run();
  expect(runtimeError(result), result.logs.join("\n")).to.equal(expected);
  const after = snapshot(svm, watched);
  for (const a of watched) expect(after.get(a), `account ${a} changed`).to.equal(before.get(a));
  return result;
}

/** A fresh address for planted accounts. */
export async function freshAddress(): Promise<Address> {
  return (await generateKeyPairSigner()).address;
}

/**
 * Plants a byte-for-byte copy of the account at `from` (data and lamports) at `at`,
 * owned by `owner`: a look-alike an attacker could create with a program of their own.
 */
export function plantCopy(svm: LiteSVM, from: Address, at: Address, owner: Address): void {
  const a = svm.getAccount(from);
  if (!a.exists) throw new Error(`${from} does not exist`);
  svm.setAccount({ address: at, data: new Uint8Array(a.data), executable: false, lamports: a.lamports, programAddress: owner, space: BigInt(a.data.length) });
}

/** Plants raw `data` at `at` owned by `owner` (rent-exempt lamports). */
export function plantData(svm: LiteSVM, at: Address, owner: Address, data: Uint8Array): void {
  svm.setAccount({
    address: at,
    data,
    executable: false,
    lamports: lamports(svm.minimumBalanceForRentExemption(BigInt(data.length))),
    programAddress: owner,
    space: BigInt(data.length),
  });
}

/** Rewrites bytes of an existing account in place (same owner and lamports). */
export function patchAccount(svm: LiteSVM, at: Address, patch: (data: Uint8Array) => void): void {
  const a = svm.getAccount(at);
  if (!a.exists) throw new Error(`${at} does not exist`);
  const data = new Uint8Array(a.data);
  patch(data);
  svm.setAccount({ address: at, data, executable: a.executable, lamports: a.lamports, programAddress: a.programAddress, space: BigInt(data.length) });
}

const enc = getAddressEncoder();
const text = (s: string) => new TextEncoder().encode(s);

/** sha256(seeds || bump || program || "ProgramDerivedAddress"), on the curve or not. */
export function derivedHash(seeds: Uint8Array[], bump: number, program: Address = PROGRAM_ID): Address {
  const h = createHash("sha256");
  for (const s of seeds) h.update(s);
  h.update(Uint8Array.of(bump)).update(Uint8Array.from(enc.encode(program))).update("ProgramDerivedAddress");
  return getAddressDecoder().decode(h.digest());
}

/** The address `seeds` + `bump` derive under `program`, or null where it is on the curve. */
export function pdaAt(seeds: Uint8Array[], bump: number, program: Address = PROGRAM_ID): Address | null {
  const a = derivedHash(seeds, bump, program);
  return isOffCurveAddress(a) ? a : null;
}

/** The canonical bump (the first off-curve one from 255 down) and the next valid bump below it. */
export function bumps(seeds: Uint8Array[], program: Address = PROGRAM_ID): { canonical: number; nonCanonical: number } {
  const valid: number[] = [];
  for (let b = 255; b >= 0 && valid.length < 2; b--) if (pdaAt(seeds, b, program)) valid.push(b);
  return { canonical: valid[0], nonCanonical: valid[1] };
}

/** A bump below the canonical one whose address is on the curve (not a valid PDA). */
export function onCurveBump(seeds: Uint8Array[], program: Address = PROGRAM_ID): number {
  const { canonical } = bumps(seeds, program);
  for (let b = canonical - 1; b >= 0; b--) if (!pdaAt(seeds, b, program)) return b;
  throw new Error("no on-curve bump");
}

const key = (a: Address) => Uint8Array.from(enc.encode(a));

export const seeds = {
  config: (salt: Uint8Array): Uint8Array[] => [text("config"), salt],
  balance: (config: Address, buyer: Address): Uint8Array[] => [text("balance"), key(config), key(buyer)],
  operator: (config: Address, authority: Address): Uint8Array[] => [text("operator"), key(config), key(authority)],
  execution: (config: Address, buyer: Address, id: bigint): Uint8Array[] => [
    text("execution"),
    key(config),
    key(buyer),
    Uint8Array.from(getU64Encoder().encode(id)),
  ],
};

/** A system transfer of `amount` lamports (pre-funding a future account, reviving a closed one). */
export function transferLamports(from: KeyPairSigner, to: Address, amount: bigint): Instruction {
  return getTransferSolInstruction({ source: from, destination: to, amount: lamports(amount) });
}

/** Runs `instructions` without committing anything: whether they would succeed now. */
export async function simulate(svm: LiteSVM, feePayer: KeyPairSigner, instructions: Instruction[]): Promise<{ ok: boolean; error?: string; logs: string[] }> {
  const message = pipe(
    createTransactionMessage({ version: "legacy" }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: svm.latestBlockhash(), lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const r = svm.simulateTransaction(await signTransactionMessageWithSigners(message));
  if (r instanceof FailedTransactionMetadata) return { ok: false, error: String(r.err()), logs: r.meta().logs() };
  return { ok: true, logs: r.meta().logs() };
}

/** An escrow loaded but not initialized: everything `initialize` takes, valid by default. */
export class Undeployed {
  private constructor(
    readonly svm: LiteSVM,
    readonly admin: KeyPairSigner,
    readonly router: KeyPairSigner,
    readonly config: Address,
    readonly programData: Address,
    readonly salt: Uint8Array,
  ) {}

  static async create(): Promise<Undeployed> {
    const admin = await generateKeyPairSigner();
    const svm = await createSvm(admin.address);
    svm.airdrop(admin.address, lamports(1_000_000_000_000n));
    const salt = newSalt();
    return new Undeployed(svm, admin, await fundedSigner(svm), (await configAddress(salt, PROGRAM_ID))[0], await programDataAddress(PROGRAM_ID), salt);
  }

  /** A mint with a vault (owned by the config PDA) and a treasury, all of `tokenProgram`. */
  async tokens(tokenProgram: Address = TOKEN_PROGRAM_ADDRESS): Promise<{ mint: Address; vault: Address; treasury: Address; tokenProgram: Address }> {
    const mint = await createMint(this.svm, this.admin, 6, tokenProgram);
    const vault = await createTokenAccount(this.svm, this.admin, mint, this.config, tokenProgram);
    const treasury = await createTokenAccount(this.svm, this.admin, mint, this.admin.address, tokenProgram);
    return { mint, vault, treasury, tokenProgram };
  }

  /** initialize by the SDK's builder of tokens `t`, signed by `admin` (the upgrade authority by default). */
  async initializeIx(
    t: { mint: Address; vault: Address; treasury: Address; tokenProgram: Address },
    opts: { admin?: KeyPairSigner; feeBps?: number; expiryGraceSecs?: bigint } = {},
  ): Promise<Instruction> {
    const { instructions } = await initializeInstructions({
      ...t,
      admin: opts.admin ?? this.admin,
      programAddress: PROGRAM_ID,
      router: this.router.address,
      salt: this.salt,
      feeBps: opts.feeBps ?? 250,
      ...DEFAULT_TIMING,
      expiryGraceSecs: opts.expiryGraceSecs ?? 3600n,
    });
    return instructions[0];
  }

  send(instructions: Sendable[], payer = this.admin): Promise<TxResult> {
    return send(this.svm, payer, instructions);
  }

  /** Creates an account of `space` bytes owned by `owner` at a new keypair address. */
  async createAccountIx(space: bigint, owner: Address): Promise<{ ix: Instruction; address: Address }> {
    const account = await generateKeyPairSigner();
    return {
      address: account.address,
      ix: getCreateAccountInstruction({
        payer: this.admin,
        newAccount: account,
        lamports: this.svm.minimumBalanceForRentExemption(space),
        space,
        programAddress: owner,
      }),
    };
  }
}

/** A deployment in use: a buyer with an open, partly settled execution, an operator with
 *  claimable tokens and fees owed, fees swept into the config, and an attacker wallet
 *  holding tokens. */
export interface World {
  d: Deployment;
  buyer: Buyer;
  op: Operator;
  /** Open execution (id 1) of `buyer`, segment 0 on `op` H100, 1,000 units settled. */
  execution: Address;
  attacker: Buyer;
  /** Every account the program owns or moves tokens of, for "nothing changed" checks. */
  watched: Address[];
  nextId: bigint;
}

export const H100_PRICE = 10n;

export async function world(opts: DeploymentOptions = {}): Promise<World> {
  const d = await Deployment.create(opts);
  const buyer = await d.newBuyer(10_000_000n);
  await d.deposit(buyer, 5_000_000n);
  const op = await d.newOperator({ H100: H100_PRICE, A100: 7n });
  const settleOne = async (id: bigint, units: bigint) => {
    const { execution } = await d.reserve(buyer, id, 1_000_000n);
    await d.assign(execution, 0, op, "H100");
    await expectOk(d.send(d.router, await d.submitIxs(execution, [{ op, segment: 0, sku: "H100", units, seq: 1 }])), "settle");
    return execution;
  };
  const done = await settleOne(1n, 500n);
  await expectOk(d.send(d.router, [d.finalizeIx(done, d.router, buyer)]), "finalize");
  // Sweep the operator's fees into the config (withdrawing one token of them).
  await expectOk(d.send(d.admin, [d.withdrawFeesIx(1n, d.treasury, d.admin, [op.address])]), "sweep fees");
  const execution = await settleOne(2n, 1_000n);
  const attacker = await d.newBuyer(1_000_000n);
  await d.deposit(attacker, 100_000n);
  const watched = [d.config, d.vault, d.treasury, buyer.balance, buyer.tokens, op.address, op.payout, execution, attacker.balance, attacker.tokens];
  return { d, buyer, op, execution, attacker, watched, nextId: 3n };
}
