// The settler's view of the chain, over @arknet/escrow and JSON-RPC. The SDK builds every
// instruction, composes every message (`buildMessage`), sizes and packs (`transactionSize`,
// `packReceipts`), simulates and names every failure; this module only signs what it gets,
// hands wire bytes to the pipeline, and reads statuses. Nothing here knows an account layout.
import {
  EndReason,
  balanceAddress,
  buildMessage,
  computeUnitLimitFor,
  encodeSku,
  fetchDeployment,
  programError,
  getAssignSegmentInstruction,
  getCloseInstruction,
  getFinalizeInstruction,
  packReceipts,
  paidOperators,
  readMaybeExecution,
  readMaybeOperatorAt,
  simulate,
  submitReceiptsInstructions,
  transactionSize,
  type Deployment,
  type Execution,
  type Operator,
  type SignedReceipt,
  type SolanaClient,
} from "@arknet/escrow";
import {
  AccountRole,
  getBase64Decoder,
  getSignatureFromTransaction,
  getTransactionEncoder,
  signTransactionMessageWithSigners,
  type Address,
  type Base64EncodedWireTransaction,
  type Blockhash,
  type Instruction,
  type KeyPairSigner,
  type Signature,
} from "@solana/kit";
import { fetchSysvarClock } from "@solana/sysvars";
import type { OutboxItem, StoredReceipt } from "../store/index.ts";

export interface Observation {
  slot: bigint;
  blockHeight: bigint;
  /** Unix seconds of the chain's clock (expiry and review windows are judged by it). */
  unixTime: bigint;
}

export type SignatureOutcome =
  | { state: "unknown" }
  | { state: "processed" }
  | { state: "confirmed"; slot: bigint }
  | { state: "failed"; slot: bigint; errorName: string; error: string };

export interface Lifetime {
  blockhash: string;
  lastValidBlockHeight: bigint;
}

/** Instructions for one transaction and what its confirmation settles. */
export interface Batch {
  kind: "assign" | "receipts" | "finalize" | "close";
  executions: Address[];
  items: OutboxItem[];
  instructions: Instruction[];
}

export interface SignedBatch {
  signature: string;
  wire: Uint8Array;
  blockhash: string;
  lastValidBlockHeight: bigint;
}

export interface EscrowChain {
  deployment: Deployment;
  router: KeyPairSigner;
  observe(): Promise<Observation>;
  latestBlockhash(): Promise<Lifetime>;
  /** Sends wire bytes as they are (no preflight, no RPC retries): the pipeline rebroadcasts. */
  send(wire: Uint8Array): Promise<void>;
  statuses(signatures: string[]): Promise<Map<string, SignatureOutcome>>;
  /**
   * signatureSubscribe at "confirmed": resolves once the subscription is in place (subscribe before
   * the send: a notification is never issued for what already happened), then calls `onOutcome`
   * once. Throws when the subscription cannot be made; a dropped one just never calls back.
   */
  subscribe(signature: string, signal: AbortSignal, onOutcome: (outcome: SignatureOutcome) => void): Promise<void>;
  feeOf(signature: string): Promise<bigint>;
  readExecution(address: Address): Promise<Execution | null>;
  readOperator(address: Address): Promise<Operator | null>;
  /** Receipts of several segments and executions in as few transactions as the leader's limits allow. */
  receiptBatches(receipts: StoredReceipt[], operatorOf: (execution: Address, segment: number) => Address): Batch[];
  /** `budget` 0 shares the whole max burn. */
  assignBatch(execution: Address, segment: number, operator: Address, sku: string, maxPrice: bigint, budget: bigint): Batch;
  finalizeBatch(execution: Execution & { address: Address }, reason: EndReason): Promise<Batch>;
  closeBatch(execution: Execution & { address: Address }): Batch;
  /** Simulates, sets the compute-unit limit from it, signs with the router key. Throws the SDK's typed error. */
  sign(batch: Batch, lifetime: Lifetime): Promise<SignedBatch>;
}

const signedReceiptOf = (r: StoredReceipt): SignedReceipt => ({
  fields: { execution: r.execution as Address, segment: r.segment, sku: r.sku, cumulativeUnits: r.cumulativeUnits, sequence: r.sequence },
  message: r.message,
  signature: r.signature,
  signer: r.signer as Address,
});

export async function connectEscrowChain(client: SolanaClient, config: Address, router: KeyPairSigner): Promise<EscrowChain> {
  const deployment = await fetchDeployment(client.rpc, config);
  const programAddress = deployment.programAddress;
  const wireEncoder = getTransactionEncoder();
  const b64 = getBase64Decoder();

  const sizes = new Map<string, number>();
  const receiptInstructions = (batch: StoredReceipt[], operatorOf: (execution: Address, segment: number) => Address) => {
    // One Ed25519 + submit_receipts pair per execution, in first-seen order.
    const byExecution = new Map<string, StoredReceipt[]>();
    for (const r of batch) byExecution.set(r.execution, [...(byExecution.get(r.execution) ?? []), r]);
    return [...byExecution].flatMap(([execution, rs]) =>
      submitReceiptsInstructions(deployment, execution as Address, rs.map(signedReceiptOf), (segment) => operatorOf(execution as Address, segment)),
    );
  };

  return {
    deployment,
    router,
    async observe() {
      const [slot, blockHeight, clock] = await Promise.all([
        client.rpc.getSlot({ commitment: "confirmed" }).send(),
        client.rpc.getBlockHeight({ commitment: "confirmed" }).send(),
        fetchSysvarClock(client.rpc, { commitment: "confirmed" }),
      ]);
      return { slot, blockHeight, unixTime: BigInt(clock.unixTimestamp) };
    },
    async latestBlockhash() {
      const { value } = await client.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
      return { blockhash: value.blockhash, lastValidBlockHeight: value.lastValidBlockHeight };
    },
    async send(wire) {
      const encoded = b64.decode(wire) as Base64EncodedWireTransaction;
      await client.rpc.sendTransaction(encoded, { encoding: "base64", skipPreflight: true, maxRetries: 0n }).send();
    },
    async statuses(signatures) {
      const out = new Map<string, SignatureOutcome>();
      for (let i = 0; i < signatures.length; i += 256) {
        const chunk = signatures.slice(i, i + 256);
        const { value } = await client.rpc.getSignatureStatuses(chunk as Signature[], { searchTransactionHistory: true }).send();
        chunk.forEach((sig, j) => {
          const s = value[j];
          if (!s) return out.set(sig, { state: "unknown" });
          if (s.err) {
            const { errorName, error } = nameFailure(s.err);
            return out.set(sig, { state: "failed", slot: s.slot, errorName, error });
          }
          if (s.confirmationStatus === "processed") return out.set(sig, { state: "processed" });
          return out.set(sig, { state: "confirmed", slot: s.slot });
        });
      }
      return out;
    },
    async subscribe(signature, signal, onOutcome) {
      const notifications = await client.rpcSubscriptions
        .signatureNotifications(signature as Signature, { commitment: "confirmed" })
        .subscribe({ abortSignal: signal });
      void (async () => {
        try {
          for await (const n of notifications) {
            const slot = n.context.slot;
            onOutcome(n.value.err ? { state: "failed", slot, ...nameFailure(n.value.err) } : { state: "confirmed", slot });
            return;
          }
        } catch {
          // Dropped or aborted: status polling covers this signature.
        }
      })();
    },
    async feeOf(signature) {
      const tx = await client.rpc.getTransaction(signature as Signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "base64" }).send();
      return tx?.meta?.fee ?? 0n;
    },
    readExecution: (address) => readMaybeExecution(client.rpc, address, programAddress),
    readOperator: (address) => readMaybeOperatorAt(client.rpc, address, programAddress),
    receiptBatches(receipts, operatorOf) {
      // A batch's wire size depends on which receipts of which segments it carries (and their
      // operators), never on the units or sequence inside the fixed-size messages: the same shape
      // is measured once. Packing measures ~2 candidates per receipt every pass otherwise.
      const size = (batch: StoredReceipt[]) => {
        const key = batch.map((r) => `${r.execution}/${r.segment}/${operatorOf(r.execution as Address, r.segment)}/${r.message.length}`).join(",");
        let n = sizes.get(key);
        if (n === undefined) {
          n = transactionSize(router, receiptInstructions(batch, operatorOf));
          if (sizes.size >= 20_000) sizes.clear();
          sizes.set(key, n);
        }
        return n;
      };
      return packReceipts(receipts, size).map((batch) => ({
        kind: "receipts" as const,
        executions: [...new Set(batch.map((r) => r.execution as Address))],
        items: batch.map((r) => ({ execution: r.execution, segment: r.segment, cumulativeUnits: r.cumulativeUnits, sequence: r.sequence })),
        instructions: receiptInstructions(batch, operatorOf),
      }));
    },
    assignBatch(execution, segment, operator, sku, maxPrice, budget) {
      const ix = getAssignSegmentInstruction(
        { router, execution, operator, segmentIndex: segment, sku: encodeSku(sku), maxPrice, budget },
        { programAddress },
      );
      return { kind: "assign", executions: [execution], items: [], instructions: [ix] };
    },
    async finalizeBatch(execution, reason) {
      const ix = getFinalizeInstruction(
        { authority: router, execution: execution.address, balance: await balanceAddress(execution.config, execution.buyer, programAddress), reason },
        { programAddress },
      );
      const paid = reason === EndReason.Completed ? paidOperators(execution.segments.slice(0, execution.segmentCount)) : [];
      const accounts = [...ix.accounts, ...paid.map((address) => ({ address, role: AccountRole.WRITABLE }))];
      return { kind: "finalize", executions: [execution.address], items: [], instructions: [{ ...ix, accounts }] };
    },
    closeBatch(execution) {
      const ix = getCloseInstruction({ authority: router, execution: execution.address, rentPayer: execution.rentPayer }, { programAddress });
      return { kind: "close", executions: [execution.address], items: [], instructions: [ix] };
    },
    async sign(batch, lifetime) {
      const kitLifetime = { blockhash: lifetime.blockhash as Blockhash, lastValidBlockHeight: lifetime.lastValidBlockHeight };
      const { unitsConsumed } = await simulate(client, router, batch.instructions, { programAddress, lifetime: kitLifetime });
      const limit = computeUnitLimitFor(unitsConsumed);
      // The packer sized every batch with the compute-unit limit instruction in it.
      const signed = await signTransactionMessageWithSigners(buildMessage(router, batch.instructions, kitLifetime, limit));
      const wire = new Uint8Array(wireEncoder.encode(signed));
      return { signature: getSignatureFromTransaction(signed), wire, blockhash: lifetime.blockhash, lastValidBlockHeight: lifetime.lastValidBlockHeight };
    },
  };
}

/** The program's error name for a landed failure (`{ InstructionError: [i, { Custom: code }] }`), else the raw error. */
function nameFailure(err: unknown): { errorName: string; error: string } {
  const raw = JSON.stringify(err, (_, v) => (typeof v === "bigint" ? Number(v) : v));
  const ie = (err as { InstructionError?: [unknown, unknown] }).InstructionError;
  const custom = ie && typeof ie[1] === "object" && ie[1] !== null ? (ie[1] as { Custom?: number | bigint }).Custom : undefined;
  if (custom === undefined) return { errorName: "TransactionFailed", error: raw };
  const named = programError(Number(custom));
  return { errorName: named.errorName, error: `${named.errorName}: ${named.message}` };
}

/** Program error names that mean "this already happened": the pipeline reconciles from the chain. */
export const ALREADY_DONE = new Set(["ReceiptNotNewer", "ExecutionSettled"]);
