// bench:sdk — what the SDK achieves against the leader's limits and a validator, written to
// bench/results/sdk.json: receipts per submit transaction by number of operators (with and
// without a priority fee), and a loader-v3 deploy of the compiled program over RPC.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { airdropFactory, generateKeyPairSigner, lamports, type Address } from "@solana/kit";
import { startLocalnet } from "@arknet/localnet/launch";
import { PROGRAM_ID, createClient, deployProgram, type SignedReceipt, packReceipts, signReceipt, submitReceiptsInstructions, transactionSize } from "../src/index.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const execution = (await generateKeyPairSigner()).address;
const feePayer = await generateKeyPairSigner();

async function receiptsPerTransaction(operators: number, priorityFee?: bigint): Promise<number> {
  const keys = await Promise.all(Array.from({ length: operators }, () => generateKeyPairSigner()));
  const accounts: Address[] = await Promise.all(keys.map(async () => (await generateKeyPairSigner()).address));
  const receipts: SignedReceipt[] = [];
  for (let i = 0; i < 16; i++) receipts.push(await signReceipt(keys[i % operators], { execution, segment: i % operators, sku: "H100", cumulativeUnits: BigInt(i + 1), sequence: i + 1 }));
  const build = (batch: typeof receipts) => submitReceiptsInstructions({ programAddress: PROGRAM_ID }, execution, batch, (s) => accounts[s]);
  // the flow's rule: without a priority fee the compute-unit limit instruction is optional
  const size = (batch: typeof receipts) => transactionSize(feePayer, build(batch), { priorityFee, computeUnitLimit: priorityFee !== undefined });
  return packReceipts(receipts, size)[0].length;
}

const packing: Record<string, { noPriorityFee: number; withPriorityFee: number }> = {};
for (const n of [1, 2, 3, 4]) packing[`${n} operator${n > 1 ? "s" : ""}`] = { noPriorityFee: await receiptsPerTransaction(n), withPriorityFee: await receiptsPerTransaction(n, 1_000n) };

const node = await startLocalnet({ escrow: false });
const client = createClient(node.rpcUrl);
const authority = await generateKeyPairSigner();
await airdropFactory(client)({ recipientAddress: authority.address, lamports: lamports(20_000_000_000n), commitment: "confirmed" });
const elf = new Uint8Array(readFileSync(`${ROOT}target/deploy/arknet_escrow.so`));
const started = performance.now();
const d = await deployProgram(client, { elf, program: await generateKeyPairSigner(), authority });
const deploySeconds = (performance.now() - started) / 1000;
await node.stop();

const result = {
  date: new Date().toISOString(),
  receiptsPerSubmitTransaction: packing,
  deploy: { validator: "localnet", elfBytes: elf.length, writes: d.writes, chunkBytes: d.chunkSize, seconds: Number(deploySeconds.toFixed(2)) },
};
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/sdk.json`, JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
process.exit(0);
