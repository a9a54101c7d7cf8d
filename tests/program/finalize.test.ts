// finalize and cancel: who may settle an execution when (router any time, buyer from expiry
// + settlement window, anyone from expiry + grace, both snapshotted at reservation; the
// buyer's cancel while no segment is assigned), the reason the bill gives, where the
// refund goes, and that the execution then stays as the settled bill, refusing receipts.
import { expect } from "chai";
import type { Address, KeyPairSigner } from "@solana/kit";
import { END, Deployment, expectOk, DEFAULT_TIMING, type Buyer, type Operator, settle } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { fundedSigner, setTime, lamportsOf } from "../support/svm.ts";
import { encodeSku } from "@arknet/escrow";
import { eventOf } from "../support/events.ts";
import { signedBy, unsigned } from "../support/mutate.ts";

const T0 = 1_700_000_000n;
const DURATION = 3_600n;
const GRACE = 600n;
const WINDOW = 300n;
const EXPIRY = T0 + DURATION;

describe("finalize", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;
  let rentPayer: KeyPairSigner; // paid the execution's rent; neither buyer nor router
  let stranger: KeyPairSigner;
  let execution: Address;

  const lamports = (a: Address) => lamportsOf(d.svm, a);
  const finalizeBy = (who: KeyPairSigner, reason?: number) =>
    d.send(who, [d.finalizeIx(execution, who, buyer, { reason })]);
  const watched = () => [execution, buyer.balance, d.config, rentPayer.address, op.address];

  beforeEach(async () => {
    d = await Deployment.create({ feeBps: 250, graceSecs: GRACE, timing: { settlementWindowSecs: WINDOW, minDurationSecs: 60n } });
    setTime(d.svm, T0);
    buyer = await d.newBuyer(1_000_000n);
    op = await d.newOperator({ H100: 40n });
    rentPayer = await fundedSigner(d.svm);
    stranger = await fundedSigner(d.svm);
    await d.deposit(buyer, 200_000n);
    const reserve = await d.reserveIx(buyer, 1n, 100_000n, { durationSecs: DURATION, payer: rentPayer });
    await expectOk(d.send(rentPayer, [signedBy(reserve.ix, buyer.wallet)]), "reserve");
    execution = reserve.execution;
    await d.assign(execution, 0, op, "H100");
    // 1,000 units at 40: 40,000 consumed, 1,000 of it fee.
    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 1_000n, seq: 1 }]);
  });

  it("lets the router finalize before expiry: refund, bill with the reason, execution settled (not closed)", async () => {
    const rent = lamports(execution);
    const payerBefore = lamports(rentPayer.address);
    setTime(d.svm, T0 + 100n);
    const r = await expectOk(finalizeBy(d.router, END.completed), "finalize");
    expect(eventOf(r, "ExecutionFinalized")).to.deep.equal({
      execution,
      buyer: buyer.wallet.address,
      executionId: 1n,
      reason: END.completed,
      maxBurn: 100_000n,
      consumed: 40_000n,
      fee: 1_000n,
      refund: 60_000n,
      finalizedBy: d.router.address,
      padding: new Uint8Array(3),
      segments: [{ operator: op.address, sku: encodeSku("H100"), price: 40n, units: 1_000n, charged: 40_000n }],
    });
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
    // The execution stays, settled, as the bill; the rent payer is not touched.
    expect(d.account("Execution", execution)).to.include({ status: 2, endReason: END.completed, settledAt: T0 + 100n });
    expect(lamports(execution)).to.equal(rent);
    expect(lamports(rentPayer.address)).to.equal(payerBefore);
    // The fee stays with the operator's fees_owed until withdraw_fees sweeps it.
    expect(d.account("Operator", op.address)).to.include({ claimable: 39_000n, feesOwed: 1_000n, executionsCompleted: 1n });
    expect(d.account("Config", d.config).feesUnwithdrawn).to.equal(0n);
    expect(d.tokens(d.vault)).to.equal(200_000n);
    expect(160_000n + 39_000n + 1_000n).to.equal(d.tokens(d.vault));
  });

  it("takes the router's word for preempted and failed, and expired only after expiry (InvalidEndReason before)", async () => {
    for (const reason of [END.preempted, END.failed]) {
      const { execution: e } = await d.reserve(buyer, BigInt(10 + reason), 1_000n);
      const r = await expectOk(d.send(d.router, [d.finalizeIx(e, d.router, buyer, { reason })]), `reason ${reason}`);
      expect(eventOf(r, "ExecutionFinalized").reason).to.equal(reason);
      expect(d.account("Execution", e).endReason).to.equal(reason);
    }
    for (const reason of [0, END.cancelled, 6, 255]) {
      await expectRefused(d.svm, watched(), "InvalidEndReason", () => finalizeBy(d.router, reason));
    }
    await expectRefused(d.svm, watched(), "InvalidEndReason", () => finalizeBy(d.router, END.expired));
    setTime(d.svm, EXPIRY);
    const r = await expectOk(finalizeBy(d.router, END.expired), "router: expired");
    expect(eventOf(r, "ExecutionFinalized").reason).to.equal(END.expired);
  });

  it("refuses any reason but expired from the buyer or a stranger (InvalidEndReason)", async () => {
    setTime(d.svm, EXPIRY + GRACE);
    for (const who of [buyer.wallet, stranger]) {
      for (const reason of [END.completed, END.preempted, END.failed, END.cancelled]) {
        await expectRefused(d.svm, watched(), "InvalidEndReason", () => finalizeBy(who, reason));
      }
    }
  });

  it("refunds the whole max burn of an execution without receipts", async () => {
    const { execution: idle } = await d.reserve(buyer, 2n, 5_000n);
    const r = await expectOk(d.send(d.router, [d.finalizeIx(idle, d.router, buyer, { reason: END.failed })]), "finalize idle");
    expect(eventOf(r, "ExecutionFinalized")).to.include({ maxBurn: 5_000n, consumed: 0n, fee: 0n, refund: 5_000n });
    expect(eventOf(r, "ExecutionFinalized").segments).to.deep.equal([]);
    expect(d.account("Balance", buyer.balance)).to.include({ available: 100_000n, reserved: 100_000n });
  });

  it("refuses a second finalize, receipts, segments and top-ups once settled (ExecutionSettled)", async () => {
    await expectOk(finalizeBy(d.router), "first finalize");
    await expectRefused(d.svm, watched(), "ExecutionSettled", () => finalizeBy(d.router, END.failed));
    await expectRefused(d.svm, watched(), "ExecutionSettled", async () =>
      d.send(d.router, await d.submitIxs(execution, [{ op, segment: 0, sku: "H100", units: 2_000n, seq: 2 }])),
    );
    await expectRefused(d.svm, watched(), "ExecutionSettled", () => d.send(d.router, [d.assignIx(execution, 1, op, "H100")]));
    await expectRefused(d.svm, watched(), "ExecutionSettled", () => d.send(buyer.wallet, [d.topUpIx(buyer, execution, 1n)]));
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
  });

  it("refuses the buyer before expiry + settlement window (FinalizeNotAllowed): operators land their receipts", async () => {
    for (const t of [T0 + 1n, EXPIRY, EXPIRY + WINDOW - 1n]) {
      setTime(d.svm, t);
      await expectRefused(d.svm, watched(), "FinalizeNotAllowed", () => finalizeBy(buyer.wallet));
    }
    // Inside the window the operator still settles the work it did before expiry.
    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 1_500n, seq: 2 }]);
    expect(d.account("Execution", execution).consumed).to.equal(60_000n);
  });

  it("lets the buyer finalize from expiry + settlement window, as expired", async () => {
    setTime(d.svm, EXPIRY + WINDOW);
    const r = await expectOk(finalizeBy(buyer.wallet), "buyer finalizes");
    expect(eventOf(r, "ExecutionFinalized")).to.include({ finalizedBy: buyer.wallet.address, refund: 60_000n, reason: END.expired });
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
  });

  it("refuses a stranger before expiry + grace (FinalizeNotAllowed)", async () => {
    for (const t of [T0, EXPIRY, EXPIRY + WINDOW, EXPIRY + GRACE - 1n]) {
      setTime(d.svm, t);
      await expectRefused(d.svm, watched(), "FinalizeNotAllowed", () => finalizeBy(stranger));
    }
  });

  it("lets anyone finalize from expiry + grace; the refund goes to the buyer", async () => {
    setTime(d.svm, EXPIRY + GRACE);
    const strangerBefore = lamports(stranger.address);
    const r = await expectOk(finalizeBy(stranger), "stranger finalizes");
    expect(eventOf(r, "ExecutionFinalized")).to.include({ finalizedBy: stranger.address, refund: 60_000n, reason: END.expired });
    expect(lamports(stranger.address)).to.equal(strangerBefore - 5_000n); // the signature fee only
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
  });

  it("uses the grace and settlement window snapshotted at reservation, not a later set_timing", async () => {
    const shorter = { ...DEFAULT_TIMING, expiryGraceSecs: 10n, settlementWindowSecs: 5n };
    await expectOk(d.send(d.admin, [d.setTimingIx(shorter)]), "shorter timing");
    expect(d.account("Execution", execution)).to.include({ graceSecs: GRACE, settlementWindowSecs: WINDOW });
    setTime(d.svm, EXPIRY + 10n);
    await expectRefused(d.svm, watched(), "FinalizeNotAllowed", () => finalizeBy(stranger));
    await expectRefused(d.svm, watched(), "FinalizeNotAllowed", () => finalizeBy(buyer.wallet));
    setTime(d.svm, EXPIRY + GRACE);
    await expectOk(finalizeBy(stranger), "stranger after the snapshotted grace");
  });

  it("never depends on the rent payer's account: finalize works after the rent payer is gone", async () => {
    // The rent payer empties its wallet (the account no longer exists).
    d.svm.setAccount({ address: rentPayer.address, data: new Uint8Array(), executable: false, lamports: 0n as any, programAddress: "11111111111111111111111111111111" as Address, space: 0n });
    expect(lamports(rentPayer.address)).to.equal(0n);
    await expectOk(finalizeBy(d.router, END.preempted), "finalize");
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
  });

  it("with reason completed, requires every paid operator (OperatorAccountMissing) and counts each once", async () => {
    await expectRefused(d.svm, watched(), "OperatorAccountMissing", () =>
      d.send(d.router, [d.finalizeIx(execution, d.router, buyer, { reason: END.completed, operators: [] })]),
    );
    // A second segment on the same operator: still one completed execution.
    await d.assign(execution, 1, op, "H100");
    await settle(d, execution, [{ op, segment: 1, sku: "H100", units: 10n, seq: 1 }]);
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer, { reason: END.completed, operators: [op.address, op.address] })]));
    expect(d.account("Operator", op.address).executionsCompleted).to.equal(1n);
  });

  it("does not count preempted, failed or expired executions as completed", async () => {
    await expectOk(finalizeBy(d.router, END.preempted), "preempted");
    expect(d.account("Operator", op.address).executionsCompleted).to.equal(0n);
  });

  it("refuses another buyer's balance (WrongBuyer)", async () => {
    const other = await d.newBuyer(1_000n);
    await d.deposit(other, 1_000n);
    const wrongBalance = d.finalizeIx(execution, d.router, { ...buyer, balance: other.balance });
    await expectRefused(d.svm, [...watched(), other.balance], "WrongBuyer", () => d.send(d.router, [wrongBalance]));
  });

  it("refuses the router's address without its signature (MissingSigner)", async () => {
    const noSig = unsigned(await d.finalizeIx(execution, d.router, buyer), d.router.address);
    await expectRefused(d.svm, watched(), "MissingSigner", () => d.send(stranger, [noSig]));
  });
});

describe("cancel", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;

  beforeEach(async () => {
    d = await Deployment.create();
    setTime(d.svm, T0);
    buyer = await d.newBuyer(1_000_000n);
    op = await d.newOperator({ H100: 40n });
    await d.deposit(buyer, 10_000n);
  });

  it("lets the buyer cancel an execution with no segment at any time: full refund, reason cancelled", async () => {
    const { execution } = await d.reserve(buyer, 1n, 4_000n);
    const r = await expectOk(d.send(buyer.wallet, [d.cancelIx(execution, buyer)]), "cancel");
    expect(eventOf(r, "ExecutionFinalized")).to.include({
      reason: END.cancelled,
      refund: 4_000n,
      consumed: 0n,
      finalizedBy: buyer.wallet.address,
    });
    expect(d.account("Execution", execution)).to.include({ status: 2, endReason: END.cancelled });
    expect(d.account("Balance", buyer.balance)).to.include({ available: 10_000n, reserved: 0n });
    // The router can no longer assign it.
    await expectRefused(d.svm, [execution], "ExecutionSettled", () => d.send(d.router, [d.assignIx(execution, 0, op, "H100")]));
  });

  it("refuses once a segment is assigned, and anyone but the buyer (CancelNotAllowed)", async () => {
    const { execution } = await d.reserve(buyer, 1n, 4_000n);
    const stranger = await fundedSigner(d.svm);
    const asStranger = { ...buyer, wallet: stranger };
    await expectRefused(d.svm, [execution, buyer.balance], "CancelNotAllowed", () =>
      d.send(stranger, [d.cancelIx(execution, asStranger)]),
    );
    await expectRefused(d.svm, [execution, buyer.balance], "CancelNotAllowed", () =>
      d.send(d.router, [d.cancelIx(execution, { ...buyer, wallet: d.router })]),
    );
    await d.assign(execution, 0, op, "H100");
    await expectRefused(d.svm, [execution, buyer.balance], "CancelNotAllowed", () =>
      d.send(buyer.wallet, [d.cancelIx(execution, buyer)]),
    );
  });

  it("refuses the buyer unsigned (MissingSigner) and a settled execution (ExecutionSettled)", async () => {
    const { execution } = await d.reserve(buyer, 1n, 4_000n);
    const stranger = await fundedSigner(d.svm);
    await expectRefused(d.svm, [execution, buyer.balance], "MissingSigner", async () =>
      d.send(stranger, [unsigned(await d.cancelIx(execution, buyer), buyer.wallet.address)]),
    );
    await expectOk(d.send(buyer.wallet, [d.cancelIx(execution, buyer)]), "cancel");
    await expectRefused(d.svm, [execution, buyer.balance], "ExecutionSettled", () =>
      d.send(buyer.wallet, [d.cancelIx(execution, buyer)]),
    );
  });
});
