// Reading over RPC: executions of a buyer, receipts from history, the bill and its independent
// verification, operator reputation, events.
import { expect } from "chai";
import { getBill, getReceipts, listExecutions, operatorEarnings, verifyBill, readOperator, reputationScore } from "../src/read/index.ts";
import { signReceipt, verifyReceipt } from "../src/receipts/index.ts";
import { EndReason, finalize, submitReceiptsInstructions } from "../src/flows/index.ts";
import { sendInstructions } from "../src/tx/send.ts";
import { requireCluster } from "./support/cluster.ts";
import { testDeployment, type TestDeployment } from "./support/escrow.ts";
import { runExecution, type FinishedExecution } from "./support/execution.ts";

describe("reading executions, receipts and bills", function () {
  let t: TestDeployment;
  let done: FinishedExecution;

  before(async function () {
    requireCluster(this);
    t = await testDeployment();
    done = await runExecution(t, { budget: 1_000_000n });
  });

  it("lists the buyer's executions", async () => {
    const list = await listExecutions(t.client.rpc, t.deployment.programAddress, { buyer: done.buyer.address, config: t.deployment.config });
    expect(list.map((e) => e.address)).to.deep.equal([done.execution]);
    expect(list[0].data.status).to.equal(2); // settled
  });

  it("reads the settled receipts back from transaction history, signatures intact", async () => {
    const receipts = await getReceipts(t.client.rpc, done.execution, t.deployment.programAddress);
    expect(receipts).to.have.length(6);
    expect(receipts.map((r) => r.fields.sequence)).to.deep.equal([1, 1, 2, 2, 3, 3]);
    for (const r of receipts) expect(await verifyReceipt(r)).to.equal(true);
    expect(receipts[0].signer).to.equal(done.operators[0].key.address);
  });

  it("gives the program's bill and verifies it from receipts and events alone (budget-capped segment)", async () => {
    const bill = await getBill(t.client.rpc, done.execution, t.deployment.programAddress);
    expect(bill.status).to.equal("final");
    expect(bill.segments.map((s) => [s.sku, s.units, s.charged])).to.deep.equal([
      ["H100", 3_000n, 3_720_000n],
      ["RTX5090", 3_000n, 1_000_000n], // 1,830,000 by the rate, capped by the 1,000,000 budget
    ]);
    expect(bill.refund).to.equal(done.maxBurn - 4_720_000n);
    const v = await verifyBill(t.client.rpc, done.execution, t.deployment.programAddress, t.deployment.feeBps);
    expect(v.mismatches).to.deep.equal([]);
    expect(v.ok).to.equal(true);
    expect(v.rebuilt.fee).to.equal(bill.fee);
  });

  it("verifyBill catches a bill that does not follow from the receipts", async () => {
    const v = await verifyBill(t.client.rpc, done.execution, t.deployment.programAddress, t.deployment.feeBps + 1);
    expect(v.ok).to.equal(false);
    expect(v.mismatches.some((m) => m.includes("fee"))).to.equal(true);
  });

  it("keeps each execution's bill apart when one transaction settles receipts of two executions (as the settler packs them)", async () => {
    const a = await runExecution(t, { finalize: false });
    const b = await runExecution(t, { finalize: false });
    const next = (x: FinishedExecution, segment: number) =>
      signReceipt(x.operators[segment].key, { execution: x.execution, segment, sku: x.segments[segment].sku, cumulativeUnits: 4_000n, sequence: 4 });
    const [ra, rb] = [await next(a, 0), await next(b, 1)];
    await sendInstructions(t.client, t.router, [
      ...submitReceiptsInstructions(t.deployment, a.execution, [ra], () => a.operators[0].operator),
      ...submitReceiptsInstructions(t.deployment, b.execution, [rb], () => b.operators[1].operator),
    ], { programAddress: t.deployment.programAddress });
    for (const x of [a, b]) {
      await finalize(t.client, t.deployment, { authority: t.router, execution: x.execution, reason: EndReason.Completed });
      const v = await verifyBill(t.client.rpc, x.execution, t.deployment.programAddress, t.deployment.feeBps);
      expect(v.mismatches).to.deep.equal([]);
      const bill = await getBill(t.client.rpc, x.execution, t.deployment.programAddress);
      expect(bill.segments.map((s) => s.units)).to.deep.equal(x === a ? [4_000n, 3_000n] : [3_000n, 4_000n]);
    }
  });

  it("computes the public reputation score from the operator's statistics", async () => {
    const op = await readOperator(t.client.rpc, t.deployment, done.operators[0].authority.address);
    expect([op!.segmentsAssigned, op!.segmentsSettled, op!.executionsCompleted]).to.deep.equal([1n, 1n, 1n]);
    const s = reputationScore(op!);
    // reliability 10000×2/3 = 6666, ratings 5000 (none), jobs 10000×1/11 = 909
    expect(s).to.deep.equal({ reliability: 6666n, ratings: 5000n, jobs: 909n, score: (6000n * 6666n + 2500n * 5000n + 1500n * 909n) / 10000n });
    expect(reputationScore({ segmentsAssigned: 10n, segmentsSettled: 9n, executionsCompleted: 3n, ratingCount: 0n, ratingSum: 0n }).score).to.equal(6595n); // docs/protocol.md example
  });

  it("gives each operator's earnings per SKU from its history: only its own segments, units as increments", async () => {
    const [h100, rtx] = await Promise.all(done.operators.map((o) => operatorEarnings(t.client.rpc, o.operator, t.deployment.programAddress)));
    expect(h100.map((p) => [p.sku, p.units, p.charged])).to.deep.equal([["H100", 1_000n, 1_240_000n], ["H100", 1_000n, 1_240_000n], ["H100", 1_000n, 1_240_000n]]);
    expect(rtx.map((p) => p.sku)).to.deep.equal(["RTX5090", "RTX5090", "RTX5090"]);
    expect(rtx.reduce((a, p) => a + p.charged, 0n)).to.equal(1_000_000n); // capped by the segment budget
    const fee = (x: bigint) => (x * BigInt(t.deployment.feeBps)) / 10_000n;
    expect(h100.reduce((a, p) => a + p.fee, 0n)).to.equal(fee(3_720_000n));
  });
});
