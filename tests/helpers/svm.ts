// A LiteSVM with the compiled escrow program loaded, and a transaction sender that
// enforces the leader's limits LiteSVM itself does not (1232-byte legacy transactions,
// at most 8 precompile signatures).
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
  getProgramDerivedAddress,
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
import { PROGRAM_ID } from "./idl.ts";

/** The program under test: target/deploy/arknet_escrow.so, or another build named by ARKNET_SO. */
export const SO_PATH =
  process.env.ARKNET_SO ?? fileURLToPath(new URL("../../target/deploy/arknet_escrow.so", import.meta.url));
export const UPGRADEABLE_LOADER = address("BPFLoaderUpgradeab1e11111111111111111111111");
export const ED25519_PROGRAM = address("Ed25519SigVerify111111111111111111111111111");
export const MAX_TX_BYTES = 1232;
export const MAX_PRECOMPILE_SIGNATURES = 8;

/** The ProgramData account of a program under the upgradeable loader. */
export async function programDataAddress(programId: Address): Promise<Address> {
  const [pda] = await getProgramDerivedAddress({
    programAddress: UPGRADEABLE_LOADER,
    seeds: [getAddressEncoder().encode(programId)],
  });
  return pda;
}

/**
 * A fresh LiteSVM running target/deploy/arknet_escrow.so. LiteSVM deploys it under the
 * upgradeable loader with no upgrade authority; `upgradeAuthority` is written into the
 * ProgramData header (u32 tag 3, u64 slot, option byte, key) so `initialize` can check it.
 */
export async function createSvm(upgradeAuthority: Address): Promise<LiteSVM> {
  if (!existsSync(SO_PATH)) throw new Error(`${SO_PATH} is missing: run npm run build:program`);
  const svm = new LiteSVM();
  svm.addProgramFromFile(PROGRAM_ID, SO_PATH);
  const pdAddress = await programDataAddress(PROGRAM_ID);
  const pd = svm.getAccount(pdAddress);
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
  return ixs
    .filter((ix) => ix.programAddress === ED25519_PROGRAM)
    .reduce((n, ix) => n + (ix.data?.[0] ?? 0), 0);
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
 * Signs and sends a legacy transaction. Throws (without sending) when the transaction
 * would be refused by a real leader: over 1232 bytes or over 8 precompile signatures.
 * `leaderLimits: false` sends it anyway, for tests of the program's own limits.
 */
export async function send(
  svm: LiteSVM,
  feePayer: KeyPairSigner,
  instructions: Instruction[],
  opts: { leaderLimits?: boolean } = {},
): Promise<TxResult> {
  const enforce = opts.leaderLimits ?? true;
  const message = legacyMessage(svm, feePayer, instructions);
  const size = getTransactionEncoder().encode(compileTransaction(message)).length;
  if (enforce && size > MAX_TX_BYTES) throw new Error(`transaction is ${size} bytes, over the ${MAX_TX_BYTES}-byte limit`);
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
export function programComputeUnits(result: TxResult, programId: Address = PROGRAM_ID): number {
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
