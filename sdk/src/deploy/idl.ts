// Publishing the IDL on-chain through the Program Metadata program (seed "idl", JSON, zlib),
// so explorers decode the program's accounts and instructions. Skipped, with the reason, on
// clusters without that program (local validators); unchanged content sends nothing.
import {
  createClientWithInterfacesFromRpc,
  createTransactionMessage,
  createTransactionPlanExecutor,
  createTransactionPlanner,
  fetchEncodedAccount,
  getSignatureFromTransaction,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type TransactionSigner,
} from "@solana/kit";
import {
  Compression,
  DataSource,
  Encoding,
  fetchMetadataContent,
  Format,
  PROGRAM_METADATA_PROGRAM_ADDRESS,
  writeMetadata,
} from "@solana-program/program-metadata";
import type { SolanaClient } from "../tx/client.ts";

export type IdlPublishResult = { action: "published" | "unchanged" } | { action: "skipped"; reason: string };


/** Writes `idlJson` as the program's canonical "idl" metadata (its upgrade authority signs). */
export async function publishIdl(
  client: SolanaClient,
  input: { program: Address; authority: TransactionSigner; idlJson: string },
): Promise<IdlPublishResult> {
  const pm = await fetchEncodedAccount(client.rpc, PROGRAM_METADATA_PROGRAM_ADDRESS, { commitment: "confirmed" });
  if (!pm.exists || !pm.executable) {
    return { action: "skipped", reason: `the cluster has no Program Metadata program (${PROGRAM_METADATA_PROGRAM_ADDRESS})` };
  }
  const current = await fetchMetadataContent(client.rpc, input.program, "idl").catch(() => null);
  if (current !== null && normalize(current) === normalize(input.idlJson)) return { action: "unchanged" };

  const planner = createTransactionPlanner({
    createTransactionMessage: () => pipe(createTransactionMessage({ version: 0 }), (m) => setTransactionMessageFeePayerSigner(input.authority, m)),
  });
  const sendAndConfirm = sendAndConfirmTransactionFactory(client);
  const executor = createTransactionPlanExecutor({
    executeTransactionMessage: async (_context, message) => {
      const { value } = await client.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
      const signed = await signTransactionMessageWithSigners(setTransactionMessageLifetimeUsingBlockhash(value, message) as never);
      await sendAndConfirm(signed as never, { commitment: "confirmed" });
      return { signature: getSignatureFromTransaction(signed) } as never;
    },
  });
  const isTransactionPlan = (x: any) => x && typeof x === "object" && x.planType === "transactionPlan";
  const pmClient = {
    rpc: client.rpc,
    ...createClientWithInterfacesFromRpc(client.rpc),
    planTransaction: async (plan: any) => {
      const planned: any = await planner(plan);
      return planned.message;
    },
    planTransactions: (plan: any) => planner(plan),
    sendTransaction: async (plan: any) => executor(isTransactionPlan(plan) ? plan : await planner(plan)),
    sendTransactions: async (plan: any) => executor(isTransactionPlan(plan) ? plan : await planner(plan)),
  };
  await writeMetadata(pmClient as never, {
    payer: input.authority,
    authority: input.authority,
    program: input.program,
    seed: "idl",
    encoding: Encoding.Utf8,
    compression: Compression.Zlib,
    format: Format.Json,
    dataSource: DataSource.Direct,
    data: new TextEncoder().encode(input.idlJson),
  });
  return { action: "published" };
}

function normalize(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json));
  } catch {
    return json;
  }
}
