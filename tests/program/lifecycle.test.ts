// One whole execution against the compiled program: two operators, three SKUs, streamed
// cumulative receipts, finalize with refund, ratings, close, claims and fees. The bill
// must match the receipts to the token unit, the operators' statistics what the chain
// saw, and the vault must hold exactly what the accounts say.
import { expect } from "chai";
import type { Address } from "@solana/kit";
import { END, Deployment, expectOk, type Buyer, type Operator } from "../support/deployment.ts";
import { decodeSku } from "@arknet/escrow";
import { programEvents } from "../support/events.ts";
import { lamportsOf } from "../support/svm.ts";

const FEE_BPS = 250n;
const fee = (cost: bigint) => (cost * FEE_BPS) / 10_000n;

describe("execution lifecycle", () => {
  let d: Deployment;
  let buyer: Buyer;
  let alpha: Operator; // H100 + A100
  let beta: Operator; // RTX5090
  let execution: Address;

  const prices = { H100: 40n, A100: 25n, RTX5090: 9n };
  const maxBurn = 500_000n;

  before(async () => {
    d = await Deployment.create({ feeBps: Number(FEE_BPS) });
    buyer = await d.newBuyer(1_000_000n);
    alpha = await d.newOperator({ H100: prices.H100, A100: prices.A100 });
    beta = await d.newOperator({ RTX5090: prices.RTX5090 });
  });

  it("deposits and reserves the max burn", async () => {
    await d.deposit(buyer, 800_000n);
    const r = await d.reserve(buyer, 1n, maxBurn);
    execution = r.execution;
    const bal = d.account("Balance", buyer.balance);
    expect(bal.available).to.equal(300_000n);
    expect(bal.reserved).to.equal(maxBurn);
    const e = d.account("Execution", execution);
    expect(e.maxBurn).to.equal(maxBurn);
    expect(e.router).to.equal(d.router.address);
    expect(e.feeBps).to.equal(Number(FEE_BPS));
    expect(programEvents(r.result).map((x) => x.name)).to.include("ExecutionReserved");
  });

  it("assigns three segments over three SKUs and two operators, pinning prices", async () => {
    await d.assign(execution, 0, alpha, "H100");
    await d.assign(execution, 1, alpha, "A100");
    const r = await d.assign(execution, 2, beta, "RTX5090");
    const e = d.account("Execution", execution);
    expect(e.segmentCount).to.equal(3);
    expect(e.segments.slice(0, 3).map((s: any) => [s.operator, decodeSku(s.sku), s.price])).to.deep.equal([
      [alpha.address, "H100", prices.H100],
      [alpha.address, "A100", prices.A100],
      [beta.address, "RTX5090", prices.RTX5090],
    ]);
    expect(programEvents(r)[0].data.price).to.equal(prices.RTX5090);
  });

  it("settles streamed cumulative receipts, six in one legacy transaction", async () => {
    const ex = execution;
    // First stream: one receipt per segment.
    await expectOk(d.send(d.router, await d.submitIxs(ex, [{ op: alpha, segment: 0, sku: "H100", units: 1_000n, seq: 1 }])));
    // A batch of six from two operators: only each segment's newest increase counts.
    const batch = await expectOk(
      d.send(d.router, await d.submitIxs(ex, [
        { op: alpha, segment: 0, sku: "H100", units: 1_500n, seq: 2 },
        { op: alpha, segment: 0, sku: "H100", units: 2_000n, seq: 3 },
        { op: alpha, segment: 1, sku: "A100", units: 3_000n, seq: 1 },
        { op: alpha, segment: 1, sku: "A100", units: 4_000n, seq: 2 },
        { op: beta, segment: 2, sku: "RTX5090", units: 10_000n, seq: 1 },
        { op: beta, segment: 2, sku: "RTX5090", units: 12_000n, seq: 2 },
      ])),
    );
    expect(batch.size).to.be.at.most(1232);
    const events = programEvents(batch).filter((x) => x.name === "ReceiptsSettled");
    expect(events).to.have.length(1);
    const settled = events[0].data.receipts;
    expect(settled.map((s: any) => s.cumulativeUnits)).to.deep.equal([1_500n, 2_000n, 3_000n, 4_000n, 10_000n, 12_000n]);
    expect(settled.map((s: any) => s.cost)).to.deep.equal([20_000n, 20_000n, 75_000n, 25_000n, 90_000n, 18_000n]);
    expect(settled.map((s: any) => s.segmentIndex)).to.deep.equal([0, 0, 1, 1, 2, 2]);

    expect(events[0].data.consumed).to.equal(d.account("Execution", ex).consumed);

    // The stream goes on after the batch: a later cumulative receipt charges its increase.
    const last = await expectOk(
      d.send(d.router, await d.submitIxs(ex, [{ op: beta, segment: 2, sku: "RTX5090", units: 13_000n, seq: 3 }])),
    );
    expect(programEvents(last)[0].data.receipts.map((s: any) => s.cost)).to.deep.equal([9_000n]);

    const e = d.account("Execution", ex);
    const charged = [2_000n * prices.H100, 4_000n * prices.A100, 13_000n * prices.RTX5090];
    expect(e.segments.slice(0, 3).map((s: any) => s.charged)).to.deep.equal(charged);
    expect(e.consumed).to.equal(charged.reduce((a, b) => a + b));
  });

  it("finalizes as completed with the bill, the fee and the refund in the same instruction", async () => {
    const ex = execution;
    const before = d.account("Execution", ex);
    const r = await expectOk(d.send(d.router, [d.finalizeIx(ex, d.router, buyer, { reason: END.completed })]), "finalize");
    const bill = programEvents(r).find((x) => x.name === "ExecutionFinalized")!.data;
    expect(bill.maxBurn).to.equal(maxBurn);
    expect(bill.consumed).to.equal(before.consumed);
    expect(bill.refund).to.equal(maxBurn - before.consumed);
    expect(bill.fee).to.equal(before.feesAccrued);
    expect(bill.segments.map((s: any) => [s.operator, decodeSku(s.sku), s.price, s.units, s.charged])).to.deep.equal([
      [alpha.address, "H100", prices.H100, 2_000n, 80_000n],
      [alpha.address, "A100", prices.A100, 4_000n, 100_000n],
      [beta.address, "RTX5090", prices.RTX5090, 13_000n, 117_000n],
    ]);
    expect(bill.reason).to.equal(END.completed);
    expect(d.account("Execution", ex)).to.include({ status: 2, endReason: END.completed });

    const bal = d.account("Balance", buyer.balance);
    expect(bal.reserved).to.equal(0n);
    expect(bal.available).to.equal(800_000n - before.consumed);

    // The fee is the fee of each segment's total; operators get the rest exactly.
    const segmentFees = [80_000n, 100_000n, 117_000n].map(fee);
    const alphaEarned = 180_000n - segmentFees[0] - segmentFees[1];
    const betaEarned = 117_000n - segmentFees[2];
    expect(bill.fee).to.equal(segmentFees.reduce((a, b) => a + b));
    expect(d.account("Operator", alpha.address)).to.include({ claimable: alphaEarned, feesOwed: segmentFees[0] + segmentFees[1] });
    expect(d.account("Operator", beta.address)).to.include({ claimable: betaEarned, feesOwed: segmentFees[2] });
  });

  it("keeps what the chain saw on each operator: segments, completed jobs, units and tokens per SKU", async () => {
    const a = d.account("Operator", alpha.address);
    expect(a).to.include({ segmentsAssigned: 2n, segmentsSettled: 2n, executionsCompleted: 1n });
    expect(a.rates.slice(0, 2).map((r: any) => [decodeSku(r.sku), r.unitsServed, r.tokensServed])).to.deep.equal([
      ["H100", 2_000n, 80_000n],
      ["A100", 4_000n, 100_000n],
    ]);
    const b = d.account("Operator", beta.address);
    expect(b).to.include({ segmentsAssigned: 1n, segmentsSettled: 1n, executionsCompleted: 1n });
    expect([b.rates[0].unitsServed, b.rates[0].tokensServed]).to.deep.equal([13_000n, 117_000n]);
  });

  it("lets the buyer rate both operators it paid, then close: rent back to the payer", async () => {
    await expectOk(d.send(buyer.wallet, [d.rateIx(execution, buyer, alpha, 5)]), "rate alpha");
    await expectOk(d.send(buyer.wallet, [d.rateIx(execution, buyer, beta, 3)]), "rate beta");
    expect(d.account("Operator", alpha.address)).to.include({ ratingCount: 1n, ratingSum: 5n });
    expect(d.account("Operator", beta.address)).to.include({ ratingCount: 1n, ratingSum: 3n });
    expect(d.account("Execution", execution).segments.slice(0, 3).map((s: any) => s.rating)).to.deep.equal([5, 5, 3]);
    const rent = lamportsOf(d.svm, execution);
    const payerBefore = lamportsOf(d.svm, buyer.wallet.address);
    await expectOk(d.send(buyer.wallet, [d.closeIx(execution, buyer.wallet, buyer.wallet.address)]), "close");
    expect(d.exists(execution)).to.equal(false);
    expect(lamportsOf(d.svm, buyer.wallet.address)).to.equal(payerBefore + rent - 5_000n);
  });

  it("pays claims and fees out, and the vault holds exactly what the accounts owe", async () => {
    const claimA = d.account("Operator", alpha.address).claimable;
    const claimB = d.account("Operator", beta.address).claimable;
    await expectOk(d.send(alpha.authority, [d.claimIx(alpha, claimA)]), "claim alpha");
    await expectOk(d.send(beta.authority, [d.claimIx(beta, claimB - 1n)]), "claim beta");
    expect(d.tokens(alpha.payout)).to.equal(claimA);
    expect(d.tokens(beta.payout)).to.equal(claimB - 1n);
    const fees = d.account("Operator", alpha.address).feesOwed + d.account("Operator", beta.address).feesOwed;
    await expectOk(d.send(d.admin, [d.withdrawFeesIx(fees, d.treasury, d.admin, [alpha.address, beta.address])]), "withdraw fees");
    expect(d.tokens(d.treasury)).to.equal(fees);

    const owed =
      d.account("Balance", buyer.balance).available +
      d.account("Operator", alpha.address).claimable +
      d.account("Operator", beta.address).claimable +
      d.account("Config", d.config).feesUnwithdrawn;
    expect(d.tokens(d.vault)).to.equal(owed);
    expect(owed).to.equal(800_000n - 297_000n + 1n);
  });
});
