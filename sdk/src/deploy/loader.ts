// Deploying or upgrading a program through the upgradeable loader (loader-v3) over RPC:
// a buffer account, the ELF written in chunks (parallel, retried, then read back and
// compared), then DeployWithMaxDataLen or Upgrade. Running it again with the same bytes
// does nothing.
import {
  compileTransaction,
  generateKeyPairSigner,
  getTransactionSize,
  sendAndConfirmTransactionFactory,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
  type TransactionSigner,
} from "@solana/kit";
import {
  getDeployWithMaxDataLenInstruction,
  getExtendProgramInstruction,
  getInitializeBufferInstruction,
  getUpgradeInstruction,
  getWriteInstruction,
} from "@solana-program/loader-v3";
import { getCreateAccountInstruction } from "@solana-program/system";
import { SYSTEM_PROGRAM } from "../program.ts";
import { ArknetError, clientError } from "../errors.ts";
import { MAX_TRANSACTION_BYTES, UPGRADEABLE_LOADER } from "../program.ts";
import type { SolanaClient } from "../tx/client.ts";
import { buildMessage, sendInstructions, type SendOptions } from "../tx/send.ts";
import { BUFFER_HEADER, decodeLoaderAccount, PROGRAM_ACCOUNT_SIZE, PROGRAM_DATA_HEADER, programDataAddress } from "./loaderAccounts.ts";

const MIN_EXTEND_BYTES = 10_240;

export interface DeployProgress {
  phase: "buffer" | "write" | "verify" | "deploy" | "upgrade" | "done";
  done: number;
  total: number;
}

export interface DeployProgramInput {
  /** The ELF (.so) bytes. */
  elf: Uint8Array;
  /** The program account's keypair (signs only on the first deployment). */
  program: TransactionSigner;
  /** Upgrade authority; also pays and owns the buffer. */
  authority: TransactionSigner;
  /** Max program size on first deployment; twice the ELF by default (room to upgrade). */
  maxDataLen?: number;
  /** Write transactions in flight at once (16 by default). */
  concurrency?: number;
  /** Attempts per write transaction (5 by default). */
  retries?: number;
  onProgress?: (p: DeployProgress) => void;
  send?: SendOptions;
}

export interface DeployProgramResult {
  action: "deployed" | "upgraded" | "unchanged";
  programData: Address;
  /** Write transactions sent (including retries). */
  writes: number;
  chunkSize: number;
}

/** Deploys `elf` at `program`, upgrades it when it differs, or does nothing when it is already there. */
export async function deployProgram(client: SolanaClient, input: DeployProgramInput): Promise<DeployProgramResult> {
  const { elf, program, authority } = input;
  const programData = await programDataAddress(program.address);
  const existing = await loaderAccount(client, program.address);
  let current: { authority: Address | null; data: Uint8Array } | null = null;
  if (existing) {
    if (existing.kind !== "program") throw clientError("InvalidInput", `${program.address} is not an upgradeable program`);
    const pd = await loaderAccount(client, programData);
    if (!pd || pd.kind !== "programData") throw clientError("InvalidInput", `${programData} is not the program's ProgramData`);
    current = pd;
    if (sameProgram(pd.data, elf)) {
      input.onProgress?.({ phase: "done", done: 1, total: 1 });
      return { action: "unchanged", programData, writes: 0, chunkSize: 0 };
    }
    if (pd.authority !== authority.address) {
      throw clientError("Unauthorized", `${authority.address} is not the upgrade authority of ${program.address} (${pd.authority ?? "immutable"})`);
    }
  }

  const buffer = await generateKeyPairSigner();
  const { writes, chunkSize } = await writeBuffer(client, buffer, input);

  if (!current) {
    input.onProgress?.({ phase: "deploy", done: 0, total: 1 });
    const rent = await client.rpc.getMinimumBalanceForRentExemption(BigInt(PROGRAM_ACCOUNT_SIZE)).send();
    await sendInstructions(client, authority, [
      getCreateAccountInstruction({ payer: authority, newAccount: program, lamports: rent, space: PROGRAM_ACCOUNT_SIZE, programAddress: UPGRADEABLE_LOADER }),
      getDeployWithMaxDataLenInstruction({
        payerAccount: authority,
        programDataAccount: programData,
        programAccount: program.address,
        bufferAccount: buffer.address,
        authority,
        maxDataLen: BigInt(input.maxDataLen ?? elf.length * 2),
      }),
    ], { ...input.send, programAddress: UPGRADEABLE_LOADER });
    // A program deployed in slot N runs from slot N + 1: return when it can be used.
    await nextSlot(client);
    input.onProgress?.({ phase: "done", done: 1, total: 1 });
    return { action: "deployed", programData, writes, chunkSize };
  }

  input.onProgress?.({ phase: "upgrade", done: 0, total: 1 });
  if (elf.length > current.data.length) {
    // The loader refuses extensions under 10 KiB (short of the 10 MiB maximum).
    const additionalBytes = Math.max(elf.length - current.data.length, MIN_EXTEND_BYTES);
    // systemProgram must be explicit: the client's default for an omitted optional account is
    // the loader itself, and the loader then cannot pay the rent through the system program.
    await sendInstructions(client, authority, [getExtendProgramInstruction({
      programDataAccount: programData,
      programAccount: program.address,
      systemProgram: SYSTEM_PROGRAM,
      payer: authority,
      additionalBytes,
    })], { ...input.send, programAddress: UPGRADEABLE_LOADER });
    // An extension counts as a deployment: the upgrade must land in a later slot.
    await nextSlot(client);
  }
  await sendInstructions(client, authority, [getUpgradeInstruction({
    programDataAccount: programData,
    programAccount: program.address,
    bufferAccount: buffer.address,
    spillAccount: authority.address,
    authority,
  })], { ...input.send, programAddress: UPGRADEABLE_LOADER });
  await nextSlot(client);
  input.onProgress?.({ phase: "done", done: 1, total: 1 });
  return { action: "upgraded", programData, writes, chunkSize };
}

/** True when the deployed program bytes are `elf` followed by zeros only. */
export function sameProgram(deployed: Uint8Array, elf: Uint8Array): boolean {
  if (deployed.length < elf.length) return false;
  for (let i = 0; i < elf.length; i++) if (deployed[i] !== elf[i]) return false;
  for (let i = elf.length; i < deployed.length; i++) if (deployed[i] !== 0) return false;
  return true;
}

async function loaderAccount(client: SolanaClient, at: Address) {
  const { value } = await client.rpc.getAccountInfo(at, { encoding: "base64", commitment: "confirmed" }).send();
  if (!value) return null;
  if (value.owner !== UPGRADEABLE_LOADER) throw clientError("InvalidInput", `${at} is not owned by the upgradeable loader`);
  return decodeLoaderAccount(new Uint8Array(Buffer.from(value.data[0], "base64")));
}

/** The largest write chunk that fits one transaction paid by `payer`. */
export function writeChunkSize(payer: TransactionSigner, buffer: Address): number {
  // A probe of 128 bytes: the instruction-data length prefix is then already 2 bytes long.
  const probe = 128;
  const write = getWriteInstruction({ bufferAccount: buffer, bufferAuthority: payer, offset: 0, bytes: new Uint8Array(probe) });
  const message = buildMessage(payer, [write], { blockhash: "11111111111111111111111111111111" as never, lastValidBlockHeight: 0n });
  return MAX_TRANSACTION_BYTES - (getTransactionSize(compileTransaction(message)) - probe);
}

async function writeBuffer(client: SolanaClient, buffer: KeyPairSigner, input: DeployProgramInput) {
  const { elf, authority } = input;
  input.onProgress?.({ phase: "buffer", done: 0, total: 1 });
  const space = BUFFER_HEADER + elf.length;
  const rent = await client.rpc.getMinimumBalanceForRentExemption(BigInt(space)).send();
  await sendInstructions(client, authority, [
    getCreateAccountInstruction({ payer: authority, newAccount: buffer, lamports: rent, space, programAddress: UPGRADEABLE_LOADER }),
    getInitializeBufferInstruction({ sourceAccount: buffer.address, bufferAuthority: authority.address }),
  ], { ...input.send, programAddress: UPGRADEABLE_LOADER });

  const chunkSize = writeChunkSize(authority, buffer.address);
  let pending = [];
  for (let offset = 0; offset < elf.length; offset += chunkSize) pending.push(offset);
  const total = pending.length;
  let writes = 0;
  const attempts = input.retries ?? 5;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > attempts) {
      throw new ArknetError("DeployFailed", `${pending.length} buffer writes still failing after ${attempts} attempts (buffer ${buffer.address})`, { source: "transaction" });
    }
    let done = total - pending.length;
    input.onProgress?.({ phase: "write", done, total });
    await inPool(pending, input.concurrency ?? 16, async (offset) => {
      writes++;
      await sendWrite(client, authority, buffer.address, offset, elf.subarray(offset, offset + chunkSize)).catch((e) => { if (process.env.ARKNET_DEBUG) console.error(e); });
      input.onProgress?.({ phase: "write", done: ++done, total });
    });
    // Read the buffer back: whatever did not land (or landed wrong) is written again.
    input.onProgress?.({ phase: "verify", done: 0, total: 1 });
    const written = await loaderAccount(client, buffer.address);
    const data = written?.kind === "buffer" ? written.data : new Uint8Array(0);
    pending = pending.filter((offset) => !sameBytes(data, offset, elf.subarray(offset, offset + chunkSize)));
  }
  return { writes, chunkSize };
}

async function sendWrite(client: SolanaClient, authority: TransactionSigner, buffer: Address, offset: number, bytes: Uint8Array) {
  const { value: lifetime } = await client.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  // Writes cost a fixed few hundred units: no simulation, no compute-budget instruction.
  const message = buildMessage(authority, [getWriteInstruction({ bufferAccount: buffer, bufferAuthority: authority, offset, bytes })], lifetime);
  const signed = await signTransactionMessageWithSigners(message);
  await sendAndConfirmTransactionFactory(client)(signed as never, { commitment: "confirmed", skipPreflight: true });
}

async function nextSlot(client: SolanaClient): Promise<void> {
  const start = await client.rpc.getSlot({ commitment: "confirmed" }).send();
  while ((await client.rpc.getSlot({ commitment: "confirmed" }).send()) <= start) await new Promise((r) => setTimeout(r, 100));
}

function sameBytes(data: Uint8Array, offset: number, chunk: Uint8Array): boolean {
  if (data.length < offset + chunk.length) return false;
  for (let i = 0; i < chunk.length; i++) if (data[offset + i] !== chunk[i]) return false;
  return true;
}

async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

