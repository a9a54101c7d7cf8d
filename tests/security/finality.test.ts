// Attack classes 9 and 14: using an execution or a balance after it is spent. finalize
// wipes the execution's discriminator, moves its lamports out and hands it back to the
// system program, so lamports sent to the address in the same transaction revive
// nothing; every later use of it, in the same transaction or after, is refused.
import { expect } from "chai";
import { expectRefused } from "../helpers/errors.ts";
import { expectOk } from "../helpers/escrow.ts";
import { PROGRAM_ID } from "../helpers/idl.ts";
import { signed, transferLamports, world, type World } from "./support.ts";

describe("security: close, refund lamports and reuse in one transaction", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  const finalize = () => w.d.finalizeIx(w.execution, w.d.router, w.buyer);
  const revive = () => transferLamports(w.d.router, w.execution, 10_000_000n);
  /** The refusal must come from instruction `index`, after finalize succeeded. */
  const at = (index: number) => (r: { error?: string }) => expect(r.error).to.contain(`index: ${index},`);
  const receipt = () => w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 9_000n, seq: 2 }]);

  it("finalize, fund the address, submit_receipts: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () => w.d.send(w.d.router, [finalize(), revive(), ...receipt()])).then(at(3)));

  it("finalize, fund the address, top_up: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () =>
      w.d.send(w.d.router, [finalize(), revive(), signed(w.d.topUpIx(w.buyer, w.execution, 1n), w.buyer.wallet)]),
    ).then(at(2)));

  it("finalize, fund the address, assign_segment: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () =>
      w.d.send(w.d.router, [finalize(), revive(), w.d.assignIx(w.execution, 1, w.op, "A100")]),
    ).then(at(2)));

  it("finalize twice in one transaction, with lamports sent in between: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () => w.d.send(w.d.router, [finalize(), revive(), finalize()])).then(at(2)));

  it("finalize, then reserve the same id again: ExecutionIdNotIncreasing", async () => {
    const { ix: reserve } = await w.d.reserveIx(w.buyer, 2n, 1_000n, { payer: w.d.router });
    await expectRefused(w.d.svm, w.watched, "ExecutionIdNotIncreasing", () =>
      w.d.send(w.d.router, [finalize(), signed(reserve, w.buyer.wallet)]),
    ).then(at(1));
  });

  it("once finalized, the address holds nothing of the program's", async () => {
    await expectOk(w.d.send(w.d.router, [finalize()]), "finalize");
    const a = w.d.svm.getAccount(w.execution);
    expect(a.exists && a.programAddress === PROGRAM_ID).to.equal(false);
  });
});

describe("security: finalize, claim, withdraw twice; receipts and top-ups after finalize", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)]), "finalize");
  });

  it("finalize again: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () => w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)])));

  it("a receipt after finalize: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () =>
      w.d.send(w.attacker.wallet, w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 9_000n, seq: 2 }])),
    ));

  it("a top-up after finalize: InvalidAccountOwner", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountOwner", () => w.d.send(w.buyer.wallet, [w.d.topUpIx(w.buyer, w.execution, 1n)])));

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
    const all = w.d.account("Config", w.d.config).fees_unwithdrawn;
    await expectOk(w.d.send(w.d.admin, [w.d.withdrawFeesIx(all)]), "withdraw fees");
    await expectRefused(w.d.svm, w.watched, "InsufficientFees", () => w.d.send(w.d.admin, [w.d.withdrawFeesIx(1n)]));
  });

  it("two withdrawals of the whole balance in one transaction: the second is InsufficientBalance", async () => {
    const all = w.d.account("Balance", w.buyer.balance).available;
    await expectRefused(w.d.svm, w.watched, "InsufficientBalance", () =>
      w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, all), w.d.withdrawIx(w.buyer, all)]),
    );
  });
});
