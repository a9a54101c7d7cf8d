// The two clients integrators use, pointed at a validator, with every exchange recorded.
import {
  appendTransactionMessageInstructions,
  createDefaultRpcTransport,
  createKeyPairSignerFromBytes,
  createSolanaRpcFromTransport,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { Connection } from "@solana/web3.js";
import type { RunningValidator } from "../../src/launch.ts";
import { recordingFetch, recordings, type Exchange } from "./recorder.ts";
import { currentTestName } from "./recorder-name.ts";

export function kitRpc(v: RunningValidator, target: string) {
  const inner = createDefaultRpcTransport({ url: v.rpcUrl });
  const transport = (async (config: { payload: unknown; signal?: AbortSignal }) => {
    const response = await inner(config as any);
    const list: Exchange[] = recordings.get(target) ?? [];
    recordings.set(target, list);
    list.push({ test: currentTestName(), method: (config.payload as any)?.method ?? "?", request: config.payload, response });
    return response;
  }) as typeof inner;
  return createSolanaRpcFromTransport(transport);
}

export type KitRpc = ReturnType<typeof kitRpc>;

export const kitSubscriptions = (v: RunningValidator) => createSolanaRpcSubscriptions(v.wsUrl);

export function web3Connection(v: RunningValidator, target: string) {
  return new Connection(v.rpcUrl, { wsEndpoint: v.wsUrl, commitment: "confirmed", fetch: recordingFetch(target) as any });
}

export const signerOf = (kp: { secretKey: Uint8Array }) => createKeyPairSignerFromBytes(kp.secretKey);

/** A signed legacy transaction, base64, and its signature. */
export async function signedTx(rpc: KitRpc, payer: KeyPairSigner, ixs: Instruction[], blockhash?: { blockhash: any; lastValidBlockHeight: bigint }) {
  const lifetime = blockhash ?? (await rpc.getLatestBlockhash({ commitment: "confirmed" }).send()).value;
  const tx = await signTransactionMessageWithSigners(
    pipe(
      createTransactionMessage({ version: "legacy" }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
      (m) => appendTransactionMessageInstructions(ixs, m),
    ),
  );
  return { tx, wire: getBase64EncodedWireTransaction(tx), signature: getSignatureFromTransaction(tx) };
}
