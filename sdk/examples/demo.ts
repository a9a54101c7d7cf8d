// One whole GPU execution over JSON-RPC, told for humans: starts the project's local validator,
// deploys the compiled program through the SDK (loader-v3, initialize), then a buyer deposits
// and reserves; the router splits the job over two operators and three SKUs; the operators'
// nodes sign cumulative receipts; the router settles them and finalizes; the buyer rates and
// closes; operators claim. Every number printed is read back from the chain.
//   npx tsx sdk/examples/demo.ts            (ARKNET_RPC_URL=… uses a running validator instead;
//   ARKNET_VALIDATOR=solana-test-validator starts Anza's test validator instead of the localnet)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { airdropFactory, createKeyPairSignerFromBytes, generateKeyPairSigner, lamports, type Address, type KeyPairSigner } from "@solana/kit";
import { getMintToInstruction } from "@solana-program/token";
import {
  assignSegment, claim, close, createAssociatedTokenAccountIdempotent, createClient, deployAll, deposit, EndReason, finalize,
  getBill, OperatorStatus, rate, registerOperator, reserve, sendInstructions, setOperatorStatus, signReceipt, submitReceipts,
  readOperator, verifyBill, vaultCheck, deploymentAccounts, tokenBalance, reputationScore, type SolanaClient,
} from "../src/index.ts";
import { formatAmount } from "../src/cli/amounts.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PRICES = { H100: 800n, A100: 500n, RTX5090: 200n }; // token base units per GPU-second
const t = (v: bigint) => formatAmount(v, 6);
const short = (a: Address) => `${a.slice(0, 4)}…${a.slice(-4)}`;

async function funded(client: SolanaClient): Promise<KeyPairSigner> {
  const s = await generateKeyPairSigner();
  await airdropFactory(client)({ recipientAddress: s.address, lamports: lamports(10_000_000_000n), commitment: "confirmed" });
  return s;
}

async function main() {
  let stop = async () => {};
  let rpcUrl = process.env.ARKNET_RPC_URL;
  let mintAuthority: KeyPairSigner | null = null;
  let mint: Address | null = null;
  if (!rpcUrl) {
    const { startValidator } = await import("@arknet/localnet/launch");
    const node = await startValidator({ escrow: false });
    stop = node.stop;
    rpcUrl = node.rpcUrl;
    mintAuthority = await createKeyPairSignerFromBytes(node.faucet.secretKey);
    mint = node.usdcMint as Address;
    console.log(`Local validator  ${node.rpcUrl} (${node.kind === "localnet" ? "LiteSVM behind JSON-RPC and PubSub" : "Agave's solana-test-validator"})`);
  }
  try {
    const client = createClient(rpcUrl);
    if (!mintAuthority || !mint) throw new Error("ARKNET_RPC_URL mode needs ARKNET_MINT and its authority: run without it");
    const admin = await funded(client);
    const router = await funded(client);
    const program = await generateKeyPairSigner();
    const elf = new Uint8Array(readFileSync(`${ROOT}target/deploy/arknet_escrow.so`));
    const started = Date.now();
    const deployed = await deployAll(client, { elf, program, authority: admin, deployment: { mint, router: router.address, feeBps: 250 } });
    const d = deployed.deployment!;
    console.log(`Deployed         program ${short(program.address)}: ${deployed.program.writes} writes of ${deployed.program.chunkSize} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`Deployment       config ${short(d.config)}, vault ${short(d.vault)}, fee ${d.feeBps / 100}%\n`);

    const ops = [];
    for (const [name, rates] of [["alpha", [["H100", PRICES.H100], ["A100", PRICES.A100]]], ["beta", [["RTX5090", PRICES.RTX5090]]]] as const) {
      const authority = await funded(client);
      const key = await generateKeyPairSigner();
      const { operator } = await registerOperator(client, d, { authority, signingKey: key, rates: rates.map(([sku, price]) => ({ sku, price })) });
      await setOperatorStatus(client, d, { admin, operator, status: OperatorStatus.Active });
      ops.push({ name, authority, key, operator });
      console.log(`Operator ${name.padEnd(6)}  ${short(operator)}: ${rates.map(([s, p]) => `${s} ${t(p)}/s`).join(", ")} (co-signed by its GPU key, active)`);
    }
    const buyer = await funded(client);
    const ata = await createAssociatedTokenAccountIdempotent(buyer, buyer.address, mint, d.tokenProgram);
    await sendInstructions(client, mintAuthority, [ata.instruction, getMintToInstruction({ mint, token: ata.address, mintAuthority, amount: 100_000_000n })]);
    console.log(`Buyer            ${short(buyer.address)} holds ${t(await tokenBalance(client.rpc, ata.address))} tokens\n`);

    await deposit(client, d, { depositor: buyer, amount: 60_000_000n });
    const { execution } = await reserve(client, d, { buyer, maxBurn: 40_000_000n, durationSecs: 3_600n, priceCaps: [{ sku: "H100", maxPrice: 1_000n }] });
    console.log(`1. deposit 60, reserve a max burn of 40 → execution ${short(execution)}`);
    const plan = [[ops[0], "H100"], [ops[0], "A100"], [ops[1], "RTX5090"]] as const;
    for (const [op, sku] of plan) await assignSegment(client, d, { router, execution, operator: op.operator, sku, maxPrice: PRICES[sku] });
    console.log(`2. router assigns 3 segments: alpha H100, alpha A100, beta RTX5090 (prices pinned)`);
    const receipts = [];
    for (let seq = 1; seq <= 4; seq++) {
      for (const [i, [op, sku]] of plan.entries()) {
        receipts.push(await signReceipt(op.key, { execution, segment: i, sku, cumulativeUnits: BigInt(seq) * [1_550n, 900n, 3_050n][i], sequence: seq }));
      }
    }
    const settled = await submitReceipts(client, d, { feePayer: router, execution, receipts });
    console.log(`3. ${receipts.length} signed cumulative receipts settled in ${settled.signatures.length} transactions (${settled.batchSizes.join(" + ")})`);
    await finalize(client, d, { authority: router, execution, reason: EndReason.Completed });
    const bill = await getBill(client.rpc, execution, d.programAddress);
    console.log(`4. router finalizes (completed): the bill`);
    for (const s of bill.segments) console.log(`     ${s.sku.padEnd(8)} ${String(s.units).padStart(6)} s × ${t(s.price)} = ${t(s.charged)}`);
    console.log(`     total ${t(bill.consumed)} (fee ${t(bill.fee)}), refund ${t(bill.refund)} to the buyer's balance`);
    const v = await verifyBill(client.rpc, execution, d.programAddress, d.feeBps);
    console.log(`5. auditor rebuilds the bill from receipts and events: ${v.ok ? "identical" : `DIFFERS: ${v.mismatches.join("; ")}`}`);
    for (const op of ops) await rate(client, d, { buyer, execution, operator: op.operator, stars: op.name === "alpha" ? 5 : 4 });
    await close(client, d, { authority: buyer, execution });
    console.log(`6. buyer rates alpha 5★, beta 4★ and closes the execution (rent back)`);
    for (const op of ops) {
      const acc = (await readOperator(client.rpc, d, op.authority.address))!;
      await claim(client, d, { authority: op.authority, amount: acc.claimable });
      console.log(`7. ${op.name} claims ${t(acc.claimable)}; reputation ${(Number(reputationScore(acc).score) / 100).toFixed(2)}%`);
    }
    const check = vaultCheck(await tokenBalance(client.rpc, d.vault), (await import("../src/deployment.ts").then((m) => m.fetchDeployment(client.rpc, d.config))).data, await deploymentAccounts(client.rpc, d.programAddress, d.config));
    console.log(`8. vault ${t(check.vault)} = liabilities ${t(check.liabilities)}: ${check.surplus === 0n ? "conserved" : "NOT conserved"}`);
  } finally {
    await stop();
  }
}

await main();
process.exit(0);
