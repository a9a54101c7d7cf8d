// Reputation: what the Operator account records (segments assigned and settled,
// completed executions, ratings, units and tokens per SKU) as real executions run, and the
// public score docs/protocol.md defines, computed from those fields.
import { expect } from "chai";
import { END, Deployment, expectOk, type Buyer, type Operator, settle } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { fundedSigner, setTime } from "../support/svm.ts";
import { reputationScore } from "@arknet/escrow";
import { eventOf } from "../support/events.ts";

describe("reputation", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;
  let idle: Operator;

  beforeEach(async () => {
    d = await Deployment.create({ timing: { reviewWindowSecs: 1_000n } });
    buyer = await d.newBuyer(10_000_000n);
    op = await d.newOperator({ H100: 10n });
    idle = await d.newOperator({ H100: 5n });
    await d.deposit(buyer, 1_000_000n);
  });

  /** One execution: a segment on `op` (settled) and one on `idle` (never settled). */
  async function run(id: bigint, reason: number = END.completed) {
    const { execution } = await d.reserve(buyer, id, 100_000n);
    await d.assign(execution, 0, op, "H100");
    await d.assign(execution, 1, idle, "H100");
    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 100n, seq: 1 }]);
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer, { reason })]), "finalize");
    return execution;
  }

  it("counts assigned and settled segments (no-shows), completed executions, and units and tokens per SKU", async () => {
    await run(1n);
    await run(2n, END.preempted);
    expect(d.account("Operator", op.address)).to.include({ segmentsAssigned: 2n, segmentsSettled: 2n, executionsCompleted: 1n });
    expect(d.account("Operator", op.address).rates[0]).to.include({ unitsServed: 200n, tokensServed: 2_000n });
    // The idle operator was assigned twice and never settled a receipt: two no-shows, and
    // it was paid nothing, so the completed execution does not count for it.
    expect(d.account("Operator", idle.address)).to.include({ segmentsAssigned: 2n, segmentsSettled: 0n, executionsCompleted: 0n });
  });

  it("takes one rating per paid operator per execution, 1 to 5 stars, from the buyer only", async () => {
    const execution = await run(1n);
    for (const stars of [0, 6]) {
      await expectRefused(d.svm, [execution, op.address], "InvalidRating", () => d.send(buyer.wallet, [d.rateIx(execution, buyer, op, stars)]));
    }
    const stranger = await fundedSigner(d.svm);
    await expectRefused(d.svm, [execution, op.address], "WrongBuyer", () =>
      d.send(stranger, [d.rateIx(execution, { ...buyer, wallet: stranger }, op, 5)]),
    );
    await expectRefused(d.svm, [execution, idle.address], "OperatorNotPaid", () => d.send(buyer.wallet, [d.rateIx(execution, buyer, idle, 1)]));
    const r = await expectOk(d.send(buyer.wallet, [d.rateIx(execution, buyer, op, 4)]), "rate");
    expect(eventOf(r, "OperatorRated")).to.deep.equal({ execution, operator: op.address, ratingCount: 1n, ratingSum: 4n, stars: 4 });
    expect(d.account("Execution", execution).segments[0].rating).to.equal(4);
    await expectRefused(d.svm, [execution, op.address], "AlreadyRated", () => d.send(buyer.wallet, [d.rateIx(execution, buyer, op, 5)]));
    expect(d.account("Operator", op.address)).to.include({ ratingCount: 1n, ratingSum: 4n });
  });

  it("refuses ratings of an open execution (ExecutionNotSettled) and after the review window (ReviewWindowClosed)", async () => {
    const { execution } = await d.reserve(buyer, 1n, 100_000n);
    await d.assign(execution, 0, op, "H100");
    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 100n, seq: 1 }]);
    await expectRefused(d.svm, [execution, op.address], "ExecutionNotSettled", () => d.send(buyer.wallet, [d.rateIx(execution, buyer, op, 5)]));
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer, { reason: END.failed })]));
    const e = d.account("Execution", execution);
    setTime(d.svm, e.settledAt + e.reviewWindowSecs);
    await expectRefused(d.svm, [execution, op.address], "ReviewWindowClosed", () => d.send(buyer.wallet, [d.rateIx(execution, buyer, op, 5)]));
  });

  it("lets the buyer close at once and anyone after the review window (CloseNotAllowed before), rent to the payer", async () => {
    const first = await run(1n);
    await expectOk(d.send(buyer.wallet, [d.closeIx(first, buyer.wallet, buyer.wallet.address)]), "buyer closes at once");
    expect(d.exists(first)).to.equal(false);
    const second = await run(2n);
    const stranger = await fundedSigner(d.svm);
    await expectRefused(d.svm, [second], "CloseNotAllowed", () => d.send(stranger, [d.closeIx(second, stranger, buyer.wallet.address)]));
    await expectRefused(d.svm, [second], "ExecutionNotSettled", async () => {
      const { execution: open } = await d.reserve(buyer, 3n, 1_000n);
      return d.send(buyer.wallet, [d.closeIx(open, buyer.wallet, buyer.wallet.address)]);
    });
    const e = d.account("Execution", second);
    setTime(d.svm, e.settledAt + e.reviewWindowSecs);
    const r = await expectOk(d.send(stranger, [d.closeIx(second, stranger, buyer.wallet.address)]), "anyone after the window");
    expect(eventOf(r, "ExecutionClosed")).to.include({ execution: second, rentPayer: buyer.wallet.address });
  });

  it("gives the public score of docs/protocol.md from the account's fields", async () => {
    // The worked example of docs/protocol.md.
    expect(reputationScore({ segmentsAssigned: 10n, segmentsSettled: 9n, executionsCompleted: 3n, ratingCount: 0n, ratingSum: 0n }))
      .to.deep.equal({ reliability: 8_333n, ratings: 5_000n, jobs: 2_307n, score: 6_595n });
    // A new operator: 50% everywhere but jobs.
    expect(reputationScore({ segmentsAssigned: 0n, segmentsSettled: 0n, executionsCompleted: 0n, ratingCount: 0n, ratingSum: 0n }).score).to.equal(4_250n);
    // Live accounts: the paid, rated operator outranks the no-show.
    const execution = await run(1n);
    await expectOk(d.send(buyer.wallet, [d.rateIx(execution, buyer, op, 5)]));
    const good = reputationScore(d.account("Operator", op.address));
    const bad = reputationScore(d.account("Operator", idle.address));
    expect(good).to.deep.equal({ reliability: 6_666n, ratings: 6_666n, jobs: 909n, score: 5_802n });
    expect(bad).to.deep.equal({ reliability: 3_333n, ratings: 5_000n, jobs: 0n, score: 3_249n });
  });
});
