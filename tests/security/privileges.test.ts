// Attack class 15: the router or the admin redirecting funds to an account of their own.
// The router settles and finalizes but the refund always goes to the execution buyer's
// balance and the rent to whoever paid it; the admin withdraws settled fees, to the
// configured treasury only, and can reach nothing escrowed, reserved or claimable.
import { expect } from "chai";
import { expectRefused } from "../support/refusals.ts";
import { expectOk } from "../support/deployment.ts";
import { setTime, PROGRAM_ID } from "../support/svm.ts";
import { createTokenAccount } from "../support/tokens.ts";
import { world, type World } from "./support.ts";
import { replaceAccount } from "../support/mutate.ts";
import { balanceAddress } from "@arknet/escrow";

describe("security: router or admin redirecting funds", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  describe("router", () => {
    it("cannot finalize the refund into a balance of its own: WrongBuyer", async () => {
      const routerAsBuyer = {
        wallet: w.d.router,
        tokens: await createTokenAccount(w.d.svm, w.d.admin, w.d.mint, w.d.router.address),
        balance: await balanceAddress(w.d.config, w.d.router.address, PROGRAM_ID),
      };
      await expectOk(w.d.send(w.attacker.wallet, [w.d.depositIx(routerAsBuyer, 1n, w.attacker)]), "router's balance");
      await expectRefused(w.d.svm, [...w.watched, routerAsBuyer.balance], "WrongBuyer", () =>
        w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, routerAsBuyer)]),
      );
    });

    it("cannot close the bill before the review window (CloseNotAllowed) nor take its rent after (InvalidRentPayer)", async () => {
      await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)]), "finalize");
      const close = (rentPayer = w.buyer.wallet.address) => w.d.send(w.d.router, [w.d.closeIx(w.execution, w.d.router, rentPayer)]);
      await expectRefused(w.d.svm, w.watched, "CloseNotAllowed", () => close());
      const e = w.d.account("Execution", w.execution);
      setTime(w.d.svm, e.settledAt + e.reviewWindowSecs);
      await expectRefused(w.d.svm, w.watched, "InvalidRentPayer", () => close(w.d.router.address));
      await expectOk(close(), "anyone closes after the window; the rent goes to its payer");
    });

    it("cannot withdraw, reserve from or top up from the buyer's balance: WrongBuyer", async () => {
      const asBuyer = { ...w.buyer, wallet: w.d.router };
      await expectRefused(w.d.svm, w.watched, "WrongBuyer", () => w.d.send(w.d.router, [w.d.withdrawIx(asBuyer, 1n, w.attacker.tokens)]));
      await expectRefused(w.d.svm, w.watched, "WrongBuyer", () => w.d.send(w.d.router, [w.d.topUpIx(asBuyer, w.execution, 1n)]));
      const { ix: reserve, execution } = await w.d.reserveIx(asBuyer, 1n, 1n);
      await expectRefused(w.d.svm, [...w.watched, execution], "WrongBuyer", () => w.d.send(w.d.router, [reserve]));
    });

    it("cannot assign a segment above the buyer's price cap: PriceAboveCap", async () => {
      const greedy = await w.d.newOperator({ H100: 1_000n });
      const { execution } = await w.d.reserve(w.buyer, w.nextId, 1_000n, { priceCaps: [{ sku: "H100", maxPrice: 999n }] });
      await expectRefused(w.d.svm, [...w.watched, execution], "PriceAboveCap", () => w.d.send(w.d.router, [w.d.assignIx(execution, 0, greedy, "H100")]));
    });

    it("cannot assign a segment to an operator the admin has not activated: OperatorNotActive", async () => {
      const own = await w.d.newOperator({ H100: 1n }, false);
      await expectRefused(w.d.svm, [...w.watched, own.address], "OperatorNotActive", () => w.d.send(w.d.router, [w.d.assignIx(w.execution, 1, own, "H100")]));
    });

    it("a router replaced by set_router keeps only the executions it was snapshotted into", async () => {
      const next = w.attacker.wallet;
      await expectOk(w.d.send(w.d.admin, [w.d.setRouterIx(next.address)]));
      await expectRefused(w.d.svm, w.watched, "WrongRouter", () => w.d.send(next, [w.d.assignIx(w.execution, 1, w.op, "A100", next)]));
      await expectRefused(w.d.svm, w.watched, "FinalizeNotAllowed", () => w.d.send(next, [w.d.finalizeIx(w.execution, next, w.buyer)]));
      await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)]), "old router finalizes its own");
    });
  });

  describe("admin", () => {
    it("withdraw_fees to an account of its own: InvalidTreasury", async () => {
      const own = await createTokenAccount(w.d.svm, w.d.admin, w.d.mint, w.d.admin.address);
      await expectRefused(w.d.svm, [...w.watched, own], "InvalidTreasury", () => w.d.send(w.d.admin, [w.d.withdrawFeesIx(1n, own)]));
    });

    it("withdraw_fees above the settled fees (escrowed tokens are in the vault too): InsufficientFees", async () => {
      const fees = w.d.account("Config", w.d.config).feesUnwithdrawn;
      expect(w.d.tokens(w.d.vault) > fees).to.equal(true);
      await expectRefused(w.d.svm, w.watched, "InsufficientFees", () => w.d.send(w.d.admin, [w.d.withdrawFeesIx(fees + 1n)]));
    });

    it("cannot claim an operator's earnings: WrongAuthority", () =>
      expectRefused(w.d.svm, w.watched, "WrongAuthority", () =>
        w.d.send(w.d.admin, [w.d.claimIx({ ...w.op, authority: w.d.admin }, 1n, w.d.treasury)]),
      ));

    it("cannot withdraw a buyer's balance: WrongBuyer", () =>
      expectRefused(w.d.svm, w.watched, "WrongBuyer", () =>
        w.d.send(w.d.admin, [w.d.withdrawIx({ ...w.buyer, wallet: w.d.admin }, 1n, w.d.treasury)]),
      ));

    it("cannot finalize an execution before its expiry + grace: FinalizeNotAllowed", () =>
      expectRefused(w.d.svm, w.watched, "FinalizeNotAllowed", () =>
        w.d.send(w.d.admin, [w.d.finalizeIx(w.execution, w.d.admin, w.buyer)]),
      ));

    it("a fee raised to the cap does not reach open executions (fee snapshot)", async () => {
      const snapshot = w.d.account("Execution", w.execution).feeBps;
      await expectOk(w.d.send(w.d.admin, [w.d.setFeeIx(1000)]));
      const before = w.d.account("Execution", w.execution);
      await expectOk(w.d.send(w.d.router, await w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 2_000n, seq: 2 }])));
      const after = w.d.account("Execution", w.execution);
      const cost = (after.consumed as bigint) - (before.consumed as bigint);
      expect(after.feesAccrued - before.feesAccrued).to.equal((cost * BigInt(snapshot)) / 10_000n);
    });

    it("pausing blocks no exit: withdraw, claim, settle and finalize still work", async () => {
      await expectOk(w.d.send(w.d.admin, [w.d.setPausedIx(true)]));
      await expectOk(w.d.send(w.d.router, await w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 2_000n, seq: 2 }])), "settle");
      await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)]), "finalize");
      await expectOk(w.d.send(w.op.authority, [w.d.claimIx(w.op, 1n)]), "claim");
      await expectOk(w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, 1n)]), "withdraw");
      await expectRefused(w.d.svm, w.watched, "ProgramPaused", () => w.d.send(w.attacker.wallet, [w.d.depositIx(w.attacker, 1n)]));
    });
  });

  describe("operators and strangers", () => {
    it("an operator cannot claim another operator's earnings: WrongAuthority", async () => {
      const rival = await w.d.newOperator({ H100: 1n });
      await expectRefused(w.d.svm, [...w.watched, rival.payout], "WrongAuthority", async () =>
        w.d.send(rival.authority, [replaceAccount(await w.d.claimIx(rival, 1n), rival.address, w.op.address)]),
      );
    });

    it("a stranger cannot finalize before expiry + grace, the buyer not before expiry", async () => {
      const e = w.d.account("Execution", w.execution);
      const saved = w.d.svm.getClock().unixTimestamp;
      try {
        setTime(w.d.svm, e.expiresAt - 1n);
        await expectRefused(w.d.svm, w.watched, "FinalizeNotAllowed", () => w.d.send(w.buyer.wallet, [w.d.finalizeIx(w.execution, w.buyer.wallet, w.buyer)]));
        setTime(w.d.svm, e.expiresAt + e.graceSecs - 1n);
        await expectRefused(w.d.svm, w.watched, "FinalizeNotAllowed", () => w.d.send(w.attacker.wallet, [w.d.finalizeIx(w.execution, w.attacker.wallet, w.buyer)]));
        setTime(w.d.svm, e.expiresAt + e.graceSecs);
        await expectOk(w.d.send(w.attacker.wallet, [w.d.finalizeIx(w.execution, w.attacker.wallet, w.buyer)]), "anyone after grace");
      } finally {
        setTime(w.d.svm, saved);
      }
    });
  });
});
