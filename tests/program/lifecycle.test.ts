// One whole execution against the compiled program: two operators, three SKUs, streamed
// cumulative receipts, finalize with refund, claims. The bill must match the receipts
// to the token unit, and the vault must hold exactly what the accounts say.
import { expect } from "chai";
import { decodeEvents, skuName } from "../helpers/idl.ts";
import type { Address } from "@solana/kit";
import { Deployment, expectOk, type Buyer, type Operator } from "../helpers/escrow.ts";

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
    expect(e.max_burn).to.equal(maxBurn);
    expect(e.router).to.equal(d.router.address);
    expect(e.fee_bps).to.equal(Number(FEE_BPS));
    expect(decodeEvents(r.result.logs).map((x) => x.name)).to.include("ExecutionReserved");
  });

  it("assigns three segments over three SKUs and two operators, pinning prices", async () => {
    await d.assign(execution, 0, alpha, "H100");
    await d.assign(execution, 1, alpha, "A100");
    const r = await d.assign(execution, 2, beta, "RTX5090");
    const e = d.account("Execution", execution);
    expect(e.segment_count).to.equal(3);
    expect(e.segments.slice(0, 3).map((s: any) => [s.operator, skuName(s.sku), s.price])).to.deep.equal([
      [alpha.address, "H100", prices.H100],
      [alpha.address, "A100", prices.A100],
      [beta.address, "RTX5090", prices.RTX5090],
    ]);
    expect(decodeEvents(r.logs)[0].data.price).to.equal(prices.RTX5090);
  });

  it("settles streamed cumulative receipts, six in one legacy transaction", async () => {
    const ex = execution;
    // First stream: one receipt per segment.
    await expectOk(d.send(d.router, d.submitIxs(ex, [{ op: alpha, segment: 0, sku: "H100", units: 1_000n, seq: 1 }])));
    // A batch of six from two operators: only each segment's newest increase counts.
    const batch = await expectOk(
      d.send(d.router, d.submitIxs(ex, [
        { op: alpha, segment: 0, sku: "H100", units: 1_500n, seq: 2 },
        { op: alpha, segment: 0, sku: "H100", units: 2_000n, seq: 3 },
        { op: alpha, segment: 1, sku: "A100", units: 3_000n, seq: 1 },
        { op: alpha, segment: 1, sku: "A100", units: 4_000n, seq: 2 },
        { op: beta, segment: 2, sku: "RTX5090", units: 10_000n, seq: 1 },
        { op: beta, segment: 2, sku: "RTX5090", units: 12_000n, seq: 2 },
      ])),
    );
    expect(batch.size).to.be.at.most(1232);
    const events = decodeEvents(batch.logs).filter((x) => x.name === "ReceiptsSettled");
    expect(events).to.have.length(1);
    const settled = events[0].data.receipts;
    expect(settled.map((s: any) => s.units)).to.deep.equal([500n, 500n, 3_000n, 1_000n, 10_000n, 2_000n]);
    expect(settled.map((s: any) => s.segment_index)).to.deep.equal([0, 0, 1, 1, 2, 2]);

    expect(events[0].data.consumed).to.equal(d.account("Execution", ex).consumed);

    // The stream goes on after the batch: a later cumulative receipt charges its increase.
    const last = await expectOk(
      d.send(d.router, d.submitIxs(ex, [{ op: beta, segment: 2, sku: "RTX5090", units: 13_000n, seq: 3 }])),
    );
    expect(decodeEvents(last.logs)[0].data.receipts.map((s: any) => s.units)).to.deep.equal([1_000n]);

    const e = d.account("Execution", ex);
    const charged = [2_000n * prices.H100, 4_000n * prices.A100, 13_000n * prices.RTX5090];
    expect(e.segments.slice(0, 3).map((s: any) => s.charged)).to.deep.equal(charged);
    expect(e.consumed).to.equal(charged.reduce((a, b) => a + b));
  });

  it("finalizes with the bill, the fee and the refund in the same instruction", async () => {
    const ex = execution;
    const before = d.account("Execution", ex);
    const r = await expectOk(d.send(d.router, [d.finalizeIx(ex, d.router, buyer)]), "finalize");
    const bill = decodeEvents(r.logs).find((x) => x.name === "ExecutionFinalized")!.data;
    expect(bill.max_burn).to.equal(maxBurn);
    expect(bill.consumed).to.equal(before.consumed);
    expect(bill.refund).to.equal(maxBurn - before.consumed);
    expect(bill.fee).to.equal(before.fees_accrued);
    expect(bill.segments.map((s: any) => [s.operator, skuName(s.sku), s.price, s.units, s.charged])).to.deep.equal([
      [alpha.address, "H100", prices.H100, 2_000n, 80_000n],
      [alpha.address, "A100", prices.A100, 4_000n, 100_000n],
      [beta.address, "RTX5090", prices.RTX5090, 13_000n, 117_000n],
    ]);
    expect(d.exists(ex)).to.equal(false);

    const bal = d.account("Balance", buyer.balance);
    expect(bal.reserved).to.equal(0n);
    expect(bal.available).to.equal(800_000n - before.consumed);

    // Fees are charged per receipt on actual use; operators get the rest exactly.
    const perReceipt = [40_000n, 20_000n, 20_000n, 75_000n, 25_000n, 90_000n, 18_000n, 9_000n];
    const fees = perReceipt.map(fee);
    const alphaEarned = perReceipt.slice(0, 5).reduce((a, c, i) => a + c - fees[i], 0n);
    const betaEarned = perReceipt.slice(5).reduce((a, c, i) => a + c - fees[5 + i], 0n);
    expect(d.account("Operator", alpha.address).claimable).to.equal(alphaEarned);
    expect(d.account("Operator", beta.address).claimable).to.equal(betaEarned);
    expect(d.account("Config", d.config).fees_unwithdrawn).to.equal(fees.reduce((a, b) => a + b));
  });

  it("pays claims and fees out, and the vault holds exactly what the accounts owe", async () => {
    const claimA = d.account("Operator", alpha.address).claimable;
    const claimB = d.account("Operator", beta.address).claimable;
    await expectOk(d.send(alpha.authority, [d.claimIx(alpha, claimA)]), "claim alpha");
    await expectOk(d.send(beta.authority, [d.claimIx(beta, claimB - 1n)]), "claim beta");
    expect(d.tokens(alpha.payout)).to.equal(claimA);
    expect(d.tokens(beta.payout)).to.equal(claimB - 1n);
    const fees = d.account("Config", d.config).fees_unwithdrawn;
    await expectOk(d.send(d.admin, [d.withdrawFeesIx(fees)]), "withdraw fees");
    expect(d.tokens(d.treasury)).to.equal(fees);

    const owed =
      d.account("Balance", buyer.balance).available +
      d.account("Operator", alpha.address).claimable +
      d.account("Operator", beta.address).claimable +
      d.account("Config", d.config).fees_unwithdrawn;
    expect(d.tokens(d.vault)).to.equal(owed);
    expect(owed).to.equal(800_000n - 297_000n + 1n);
  });
});
