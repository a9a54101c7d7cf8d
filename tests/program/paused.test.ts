// The pause: deposit, reserve, reserve_from_wallet and top_up are refused (ProgramPaused)
// with nothing moved; everything that lets money out or settles work already done
// (withdraw, submit_receipts, assign_segment, finalize, claim, withdraw_fees) still works.
import { expect } from "chai";
import type { Address } from "@solana/kit";
import { Deployment, expectOk, type Buyer, type Operator, openExecution, settle } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";

describe("paused", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;
  let execution: Address;

  beforeEach(async () => {
    d = await Deployment.create({ feeBps: 250 });
    buyer = await d.newBuyer(1_000_000n);
    op = await d.newOperator({ H100: 40n, A100: 25n });
    execution = await openExecution(d, buyer, op, "H100", { maxBurn: 100_000n, deposit: 300_000n });
    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 1_000n, seq: 1 }]);
    await expectOk(d.send(d.admin, [d.setPausedIx(true)]), "pause");
    expect(d.account("Config", d.config).paused).to.equal(1);
  });

  describe("refuses new money in (ProgramPaused)", () => {
    it("deposit", async () => {
      await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, d.config], "ProgramPaused", () =>
        d.send(buyer.wallet, [d.depositIx(buyer, 1_000n)]),
      );
    });

    it("reserve, creating no execution", async () => {
      const { ix: reserve, execution: next } = await d.reserveIx(buyer, 2n, 1_000n);
      await expectRefused(d.svm, [buyer.balance, next, d.config], "ProgramPaused", () => d.send(buyer.wallet, [reserve]));
      expect(d.exists(next)).to.equal(false);
    });

    it("reserve_from_wallet, moving no tokens", async () => {
      const { ix: reserve, execution: next } = await d.reserveFromWalletIx(buyer, 2n, 1_000n);
      await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, next, d.config], "ProgramPaused", () =>
        d.send(buyer.wallet, [reserve]),
      );
    });

    it("top_up", async () => {
      await expectRefused(d.svm, [buyer.balance, execution], "ProgramPaused", () =>
        d.send(buyer.wallet, [d.topUpIx(buyer, execution, 1_000n)]),
      );
    });
  });

  describe("keeps money out and settlement working", () => {
    it("withdraw", async () => {
      await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, 200_000n)]), "withdraw while paused");
      expect(d.account("Balance", buyer.balance).available).to.equal(0n);
      expect(d.tokens(buyer.tokens)).to.equal(1_000_000n - 100_000n);
    });

    it("submit_receipts and assign_segment", async () => {
      await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 1_500n, seq: 2 }]);
      await d.assign(execution, 1, op, "A100");
      expect(d.account("Execution", execution)).to.include({ consumed: 60_000n, segmentCount: 2 });
    });

    it("finalize, claim and withdraw_fees", async () => {
      await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize while paused");
      expect(d.account("Balance", buyer.balance)).to.include({ available: 260_000n, reserved: 0n });
      await expectOk(d.send(op.authority, [d.claimIx(op, 39_000n)]), "claim while paused");
      expect(d.tokens(op.payout)).to.equal(39_000n);
      await expectOk(d.send(d.admin, [d.withdrawFeesIx(1_000n, d.treasury, d.admin, [op.address])]), "withdraw fees while paused");
      expect(d.tokens(d.treasury)).to.equal(1_000n);
    });
  });

  it("takes deposits again once unpaused", async () => {
    await expectOk(d.send(d.admin, [d.setPausedIx(false)]), "unpause");
    await d.deposit(buyer, 1_000n);
    expect(d.account("Balance", buyer.balance).available).to.equal(201_000n);
  });
});
