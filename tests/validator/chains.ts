// The two places one execution runs: a real validator over JSON-RPC, and LiteSVM. Both
// send signed legacy transactions and report the logs, so the same flow runs on each
// and their compute units can be compared.
import { readFileSync } from "node:fs";
import { LiteSVM } from "litesvm";
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
} from "@solana/kit";
import { programDataAddress } from "@arknet/escrow";
import { send as sendToSvm } from "../support/svm.ts";
import { sleep } from "./test-validator.ts";

export interface Sent {
  ok: boolean;
  logs: string[];
  error?: string;
}

export interface Chain {
  send(payer: KeyPairSigner, instructions: Instruction[]): Promise<Sent>;
  airdrop(to: Address, sol: bigint): Promise<void>;
  rentExempt(space: number): Promise<bigint>;
  accountData(at: Address): Promise<Uint8Array>;
}

/** A chain over JSON-RPC: each send waits for the transaction to be confirmed, then reads its logs. */
export function rpcChain(rpc: Rpc<SolanaRpcApi>): Chain {
  const chain: Chain = {
    async send(payer, instructions) {
      const sig = await submit(rpc, payer, instructions);
      await confirm(rpc, [sig]);
      const tx = await transaction(rpc, sig);
      const logs = [...(tx.meta.logMessages ?? [])];
      return tx.meta.err ? { ok: false, logs, error: JSON.stringify(tx.meta.err, (_, v) => (typeof v === "bigint" ? String(v) : v)) } : { ok: true, logs };
    },
    async airdrop(to, sol) {
      const sig = await rpc.requestAirdrop(to, lamports(sol * 1_000_000_000n), { commitment: "confirmed" }).send();
      await confirm(rpc, [sig]);
    },
    async rentExempt(space) {
      return rpc.getMinimumBalanceForRentExemption(BigInt(space)).send();
    },
    async accountData(at) {
      const { value } = await rpc.getAccountInfo(at, { commitment: "confirmed", encoding: "base64" }).send();
      if (!value) throw new Error(`account ${at} does not exist`);
      return new Uint8Array(Buffer.from(value.data[0], "base64"));
    },
  };
  return chain;
}

/** A confirmed transaction with its meta (a failed one may take a moment to be readable). */
async function transaction(rpc: Rpc<SolanaRpcApi>, sig: Signature) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const tx = await rpc
      .getTransaction(sig, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 })
      .send();
    if (tx?.meta) return { meta: tx.meta };
    if (Date.now() > deadline) throw new Error(`transaction ${sig} not found after confirmation`);
    await sleep(200);
  }
}

/** Signs and sends one legacy transaction without preflight (failures land with their logs). */
export async function submit(rpc: Rpc<SolanaRpcApi>, payer: KeyPairSigner, instructions: Instruction[]): Promise<Signature> {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const message = pipe(
    createTransactionMessage({ version: "legacy" }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const tx = await signTransactionMessageWithSigners(message);
  await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64", skipPreflight: true }).send();
  return getSignatureFromTransaction(tx);
}

/** Waits until every signature is confirmed (or failed: the caller reads the error). */
export async function confirm(rpc: Rpc<SolanaRpcApi>, signatures: Signature[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  let pending = signatures;
  while (pending.length > 0) {
    const { value } = await rpc.getSignatureStatuses(pending).send();
    pending = pending.filter((_, i) => {
      const s = value[i];
      return !(s && (s.err || s.confirmationStatus === "confirmed" || s.confirmationStatus === "finalized"));
    });
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending.length} transactions not confirmed within 60 s`);
    await sleep(200);
  }
}

/**
 * LiteSVM (default feature set) with `so` loaded at `programId` under the upgradeable
 * loader, `upgradeAuthority` written into its ProgramData header (u32 tag 3, u64 slot,
 * option byte, key) as a loader-v3 deployment by that authority would have it.
 */
export async function liteSvmChain(programId: Address, so: string, upgradeAuthority: Address): Promise<Chain> {
  const svm = new LiteSVM();
  svm.addProgram(programId, readFileSync(so));
  const pdAddress = await programDataAddress(programId);
  const pd = svm.getAccount(pdAddress);
  if (!pd.exists) throw new Error("LiteSVM did not create a ProgramData account");
  const data = new Uint8Array(pd.data);
  data[12] = 1;
  data.set(getAddressEncoder().encode(upgradeAuthority), 13);
  svm.setAccount({ ...pd, data });
  return {
    async send(payer, instructions) {
      const r = await sendToSvm(svm, payer, instructions);
      return { ok: r.ok, logs: r.logs, error: r.error };
    },
    async airdrop(to, sol) {
      svm.airdrop(to, lamports(sol * 1_000_000_000n));
    },
    async rentExempt(space) {
      return svm.minimumBalanceForRentExemption(BigInt(space));
    },
    async accountData(at) {
      const a = svm.getAccount(at);
      if (!a.exists) throw new Error(`account ${at} does not exist`);
      return new Uint8Array(a.data);
    },
  };
}
