// The LiteSVM transport of the in-process suites: the compiled program loaded into a LiteSVM,
// and a sender of kit-built transactions that enforces the leader's limits LiteSVM itself
// does not (1232-byte legacy transactions, at most 8 precompile signatures). Nothing here
// knows the escrow's instructions or accounts: those come from @arknet/escrow.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FailedTransactionMetadata, LiteSVM, TransactionMetadata } from "litesvm";
import {
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  getTransactionEncoder,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import {
  ED25519_PROGRAM,
  MAX_PRECOMPILE_SIGNATURES,
  MAX_TRANSACTION_BYTES,
  PROGRAM_ID as IDL_PROGRAM_ID,
  programDataAddress,
} from "@arknet/escrow";

/** The program under test: the IDL's address, or ARKNET_PROGRAM_ID (a deployment elsewhere, e.g. tests/validator's). */
export const PROGRAM_ID: Address = address(process.env.ARKNET_PROGRAM_ID ?? IDL_PROGRAM_ID);
/** target/deploy/arknet_escrow.so, or another build named by ARKNET_SO. */
export const SO_PATH =
  process.env.ARKNET_SO ?? fileURLToPath(new URL("../../target/deploy/arknet_escrow.so", import.meta.url));

/**
 * A fresh LiteSVM running the program under test. LiteSVM deploys it under the upgradeable
 * loader with no upgrade authority; `upgradeAuthority` is written into the ProgramData header
 * (u32 tag 3, u64 slot, option byte, key) so `initialize` can check it.
 */
export async function createSvm(upgradeAuthority: Address): Promise<LiteSVM> {
  if (!existsSync(SO_PATH)) throw new Error(`${SO_PATH} is missing: run npm run build:program`);
  const svm = new LiteSVM();
  svm.addProgramFromFile(PROGRAM_ID, SO_PATH);
  const pd = svm.getAccount(await programDataAddress(PROGRAM_ID));
  if (!pd.exists) throw new Error("LiteSVM did not create a ProgramData account");
  const data = new Uint8Array(pd.data);
  data[12] = 1;
  data.set(getAddressEncoder().encode(upgradeAuthority), 13);
  svm.setAccount({ ...pd, data });
  return svm;
}

export async function fundedSigner(svm: LiteSVM, sol = 100n): Promise<KeyPairSigner> {
  const signer = await generateKeyPairSigner();
  svm.airdrop(signer.address, lamports(sol * 1_000_000_000n));
  return signer;
}

export interface TxResult {
  ok: boolean;
  computeUnits: bigint;
  logs: string[];
  /** Custom program error code of the failing instruction, if any. */
  errorCode?: number;
  error?: string;
  size: number;
  meta: TransactionMetadata | FailedTransactionMetadata;
}

/** Reads "custom program error: 0x…" from the logs: the code of the failing program. */
function customErrorCode(logs: string[]): number | undefined {
  for (const line of logs) {
    const m = line.match(/failed: custom program error: 0x([0-9a-f]+)/);
    if (m) return parseInt(m[1], 16);
  }
  return undefined;
}

/** Counts the signatures carried by Ed25519 precompile instructions. */
function precompileSignatures(ixs: readonly Instruction[]): number {
  return ixs.filter((ix) => ix.programAddress === ED25519_PROGRAM).reduce((n, ix) => n + (ix.data?.[0] ?? 0), 0);
}

function legacyMessage(svm: LiteSVM, feePayer: KeyPairSigner, instructions: Instruction[]) {
  return pipe(
    createTransactionMessage({ version: "legacy" }),
    (m) => setTransactionMessageFeePayerSigner(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: svm.latestBlockhash(), lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
}

/** Serialized size in bytes of the signed legacy transaction `send` would send. */
export function legacyTransactionSize(svm: LiteSVM, feePayer: KeyPairSigner, instructions: Instruction[]): number {
  return getTransactionEncoder().encode(compileTransaction(legacyMessage(svm, feePayer, instructions))).length;
}

/**
 * Signs and sends a legacy transaction. Throws (without sending) when a real leader would
 * refuse it: over 1232 bytes or over 8 precompile signatures. `leaderLimits: false` sends it
 * anyway, for tests of the program's own limits.
 */
/**
 * An instruction, or the pending result of a test-world method that derives addresses with the
 * SDK's (async) builders, so a test can write `send(payer, [d.depositIx(buyer, 1n)])`.
 */
export type Sendable = Instruction | Promise<Instruction>;

export async function send(
  svm: LiteSVM,
  feePayer: KeyPairSigner,
  sendables: Sendable[],
  opts: { leaderLimits?: boolean } = {},
): Promise<TxResult> {
  const instructions = await Promise.all(sendables);
  const enforce = opts.leaderLimits ?? true;
  const message = legacyMessage(svm, feePayer, instructions);
  const size = getTransactionEncoder().encode(compileTransaction(message)).length;
  if (enforce && size > MAX_TRANSACTION_BYTES) throw new Error(`transaction is ${size} bytes, over the ${MAX_TRANSACTION_BYTES}-byte limit`);
  const sigs = precompileSignatures(instructions);
  if (enforce && sigs > MAX_PRECOMPILE_SIGNATURES) throw new Error(`${sigs} precompile signatures, over ${MAX_PRECOMPILE_SIGNATURES}`);
  const tx = await signTransactionMessageWithSigners(message);
  const meta = svm.sendTransaction(tx);
  svm.expireBlockhash();
  const inner = meta instanceof FailedTransactionMetadata ? meta.meta() : meta;
  const logs = inner.logs();
  const result: TxResult = { ok: true, computeUnits: inner.computeUnitsConsumed(), logs, size, meta };
  if (meta instanceof FailedTransactionMetadata) {
    result.ok = false;
    result.error = String(meta.err());
    result.errorCode = customErrorCode(logs);
  }
  return result;
}

/** Compute units used by the top-level invocation of `programId` (the last one logged). */
export function programComputeUnits(result: Pick<TxResult, "logs">, programId: Address = PROGRAM_ID): number {
  const re = new RegExp(`^Program ${programId} consumed (\\d+) of`);
  const units = result.logs.map((l) => l.match(re)).filter((m) => m).map((m) => Number(m![1]));
  if (units.length === 0) throw new Error("program did not run");
  return units[units.length - 1];
}

/** Moves the cluster clock to `unixTimestamp`. */
export function setTime(svm: LiteSVM, unixTimestamp: bigint): void {
  const clock = svm.getClock();
  clock.unixTimestamp = unixTimestamp;
  svm.setClock(clock);
}

export function now(svm: LiteSVM): bigint {
  return svm.getClock().unixTimestamp;
}

/** Lamports of `at`, 0 when the account does not exist. */
export function lamportsOf(svm: LiteSVM, at: Address): bigint {
  const a = svm.getAccount(at);
  return a.exists ? a.lamports : 0n;
}

/** Raw data of the existing account `at`. */
export function dataOf(svm: LiteSVM, at: Address): Uint8Array {
  const a = svm.getAccount(at);
  if (!a.exists) throw new Error(`${at} does not exist`);
  return a.data;
}

/** The rent-exempt minimum for the size of the existing account `at`. */
export function rentExemptMinimum(svm: LiteSVM, at: Address): bigint {
  return svm.minimumBalanceForRentExemption(BigInt(dataOf(svm, at).length));
}
