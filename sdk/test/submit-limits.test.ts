// submitReceipts against the leader's limits, checked on the transactions that landed: each is
// at most 1232 bytes with at most 8 precompile signatures, each batch but the last is full (one
// more receipt would break a limit), and a priority fee rides on every batch with its limit.
import { expect } from "chai";
import { getBase58Encoder, type Signature } from "@solana/kit";
import { submitReceipts, submitReceiptsInstructions } from "../src/flows/index.ts";
import { MAX_PRECOMPILE_SIGNATURES, MAX_TRANSACTION_BYTES } from "../src/program.ts";
import { signReceipt, type SignedReceipt } from "../src/receipts/index.ts";
import { transactionSize } from "../src/tx/send.ts";
import { requireCluster } from "./support/cluster.ts";
import { testDeployment, type TestDeployment } from "./support/escrow.ts";
import { runExecution, type FinishedExecution } from "./support/execution.ts";

const ED25519 = "Ed25519SigVerify111111111111111111111111111";
const COMPUTE_BUDGET = "ComputeBudget111111111111111111111111111111";

describe("submitReceipts within 1232 bytes and 8 precompile signatures (landed transactions)", function () {
  let t: TestDeployment;
  let run: FinishedExecution;

  before(async function () {
    requireCluster(this);
    t = await testDeployment();
    run = await runExecution(t, { finalize: false }); // receipts up to sequence 3 already settled
  });

  async function landed(signature: Signature) {
    const wire = await t.client.rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "base64" }).send();
    const json = await t.client.rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
    const msg = json!.transaction.message;
    const data = (program: string) => msg.instructions.filter((ix) => msg.accountKeys[ix.programIdIndex] === program).map((ix) => Buffer.from(getBase58Encoder().encode(ix.data)));
    return { bytes: Buffer.from(wire!.transaction[0], "base64").length, ed25519: data(ED25519), budget: data(COMPUTE_BUDGET) };
  }

  it("packs 22 receipts of two keys into full batches, each within the limits, with the priority fee on each", async () => {
    const receipts: SignedReceipt[] = [];
    for (let seq = 4; seq <= 14; seq++) {
      receipts.push(await signReceipt(run.operators[0].key, { execution: run.execution, segment: 0, sku: "H100", cumulativeUnits: 3_000n + 10n * BigInt(seq), sequence: seq }));
      receipts.push(await signReceipt(run.operators[1].key, { execution: run.execution, segment: 1, sku: "RTX5090", cumulativeUnits: 3_000n + 10n * BigInt(seq), sequence: seq }));
    }
    const priorityFee = 777n;
    const result = await submitReceipts(t.client, t.deployment, { feePayer: t.router, execution: run.execution, receipts }, { priorityFee });
    expect(result.batchSizes.reduce((a, b) => a + b, 0)).to.equal(receipts.length);
    expect(result.signatures).to.have.length(result.batchSizes.length).and.length.above(1);

    const operatorOf = (segment: number) => run.operators[segment].operator;
    let offset = 0;
    for (const [i, signature] of result.signatures.entries()) {
      const tx = await landed(signature);
      const count = result.batchSizes[i];
      expect(tx.bytes).to.be.at.most(MAX_TRANSACTION_BYTES);
      expect(tx.ed25519).to.have.length(1);
      expect(tx.ed25519[0][0]).to.equal(count).and.be.at.most(MAX_PRECOMPILE_SIGNATURES);
      expect(tx.budget.find((d) => d[0] === 3)?.readBigUInt64LE(1)).to.equal(priorityFee);
      expect(tx.budget.some((d) => d[0] === 2)).to.equal(true);
      if (i < result.signatures.length - 1) {
        const withNext = receipts.slice(offset, offset + count + 1);
        const size = transactionSize(t.router, submitReceiptsInstructions(t.deployment, run.execution, withNext, operatorOf), { priorityFee });
        expect(size > MAX_TRANSACTION_BYTES || count === MAX_PRECOMPILE_SIGNATURES, `batch ${i} of ${count} could take one more (${size} bytes)`).to.equal(true);
      }
      offset += count;
    }
    console.log(`      receipts per transaction: ${result.batchSizes.join(", ")}`);
  });
});
