// Attack classes 9 and 14: using an execution or a balance after it is spent. finalize
// settles the execution (it then refuses receipts, segments, top-ups and a second
// finalize); close wipes its discriminator, moves its lamports out and hands it back to
// the system program, so lamports sent to the address in the same transaction revive
// nothing; every later use of it, in the same transaction or after, is refused.
import { expect } from "chai";
import { expectRefused } from "../support/refusals.ts";
import { expectOk } from "../support/deployment.ts";
import { transferLamports, world, type World } from "./support.ts";
import { signedBy } from "../support/mutate.ts";
import { PROGRAM_ID } from "../support/svm.ts";

describe("security: close, refund lamports and reuse in one transaction", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  // Finalize and close, in one transaction (the buyer closes at once).
  const finalizeAndClose = () => [
    w.d.finalizeIx(w.execution, w.d.router, w.buyer),
    signedBy(w.d.closeIx(w.execution, w.buyer.wallet, w.buyer.wallet.address), w.buyer.wallet),
  ];
  const revive = () => transferLamports(w.d.router, w.execution, 10_000_000n);
  /** The refusal must come from instruction `index`, after finalize succeeded. */
  const at = (index: number) => (r: { error?: string }) => expect(r.error).to.contain(`index: ${index},`);
  const receipt = () => w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 9_000n, seq: 2 }]);

  it("finalize, close, fund the address, submit_receipts: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", async () =>
      w.d.send(w.d.router, [...finalizeAndClose(), revive(), ...(await receipt())]),
    ).then(at(4)));

  it("finalize, close, fund the address, top_up: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", async () =>
      w.d.send(w.d.router, [...finalizeAndClose(), revive(), signedBy(await w.d.topUpIx(w.buyer, w.execution, 1n), w.buyer.wallet)]),
    ).then(at(3)));

  it("finalize, close, fund the address, assign_segment: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () =>
      w.d.send(w.d.router, [...finalizeAndClose(), revive(), w.d.assignIx(w.execution, 1, w.op, "A100")]),
    ).then(at(3)));

  it("finalize and close, fund the address, finalize and close again: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () =>
      w.d.send(w.d.router, [...finalizeAndClose(), revive(), ...finalizeAndClose()]),
    ).then(at(3)));

  it("finalize twice in one transaction: ExecutionSettled", () =>
    expectRefused(w.d.svm, w.watched, "ExecutionSettled", () =>
      w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer), w.d.finalizeIx(w.execution, w.d.router, w.buyer, { reason: 2 })]),
    ).then(at(1)));

  it("finalize, close, then reserve the same id again: ExecutionIdNotIncreasing", async () => {
    const { ix: reserve } = await w.d.reserveIx(w.buyer, 2n, 1_000n, { payer: w.d.router });
    await expectRefused(w.d.svm, w.watched, "ExecutionIdNotIncreasing", () =>
      w.d.send(w.d.router, [...finalizeAndClose(), signedBy(reserve, w.buyer.wallet)]),
    ).then(at(2));
  });

  it("once closed, the address holds nothing of the program's", async () => {
    await expectOk(w.d.send(w.d.router, finalizeAndClose()), "finalize and close");
    const a = w.d.svm.getAccount(w.execution);
    expect(a.exists && a.programAddress === PROGRAM_ID).to.equal(false);
  });

  it("close twice in one transaction: InvalidAccountOwner", async () => {
    await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)]), "finalize");
    const close = w.d.closeIx(w.execution, w.buyer.wallet, w.buyer.wallet.address);
    await expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () => w.d.send(w.buyer.wallet, [close, revive(), close])).then(at(2));
  });
});

describe("security: finalize, claim, withdraw twice; receipts, segments, top-ups and cancel after finalize", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)]), "finalize");
  });

  it("finalize again: ExecutionSettled", () =>
    expectRefused(w.d.svm, w.watched, "ExecutionSettled", () => w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)])));

  it("a receipt after finalize: ExecutionSettled", () =>
    expectRefused(w.d.svm, w.watched, "ExecutionSettled", async () =>
      w.d.send(w.attacker.wallet, await w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 9_000n, seq: 2 }])),
    ));

  it("a top-up, a segment or a cancel after finalize: ExecutionSettled", async () => {
    await expectRefused(w.d.svm, w.watched, "ExecutionSettled", () => w.d.send(w.buyer.wallet, [w.d.topUpIx(w.buyer, w.execution, 1n)]));
    await expectRefused(w.d.svm, w.watched, "ExecutionSettled", () => w.d.send(w.d.router, [w.d.assignIx(w.execution, 1, w.op, "A100")]));
    await expectRefused(w.d.svm, w.watched, "ExecutionSettled", () => w.d.send(w.buyer.wallet, [w.d.cancelIx(w.execution, w.buyer)]));
  });

  it("claim everything, then claim again: InsufficientClaimable", async () => {
    const all = w.d.account("Operator", w.op.address).claimable;
    await expectOk(w.d.send(w.op.authority, [w.d.claimIx(w.op, all)]), "claim");
    await expectRefused(w.d.svm, w.watched, "InsufficientClaimable", () => w.d.send(w.op.authority, [w.d.claimIx(w.op, 1n)]));
  });

  it("withdraw everything, then withdraw again: InsufficientBalance", async () => {
    const all = w.d.account("Balance", w.buyer.balance).available;
    await expectOk(w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, all)]), "withdraw");
    await expectRefused(w.d.svm, w.watched, "InsufficientBalance", () => w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, 1n)]));
  });

  it("withdraw fees twice: InsufficientFees", async () => {
    const all = w.d.account("Config", w.d.config).feesUnwithdrawn + w.d.account("Operator", w.op.address).feesOwed;
    await expectOk(w.d.send(w.d.admin, [w.d.withdrawFeesIx(all, w.d.treasury, w.d.admin, [w.op.address])]), "withdraw fees");
    await expectRefused(w.d.svm, w.watched, "InsufficientFees", () => w.d.send(w.d.admin, [w.d.withdrawFeesIx(1n)]));
  });

  it("two withdrawals of the whole balance in one transaction: the second is InsufficientBalance", async () => {
    const all = w.d.account("Balance", w.buyer.balance).available;
    await expectRefused(w.d.svm, w.watched, "InsufficientBalance", () =>
      w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, all), w.d.withdrawIx(w.buyer, all)]),
    );
  });
});
