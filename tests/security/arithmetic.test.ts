// Attack class 11: arithmetic at the edges. Zero amounts, amounts, prices and units at
// u64::MAX, fee bps at and past the cap, durations and clocks at their limits; and
// rounding: every receipt's fee + operator share is its cost exactly, so no token unit
// is created or lost.
import { expect } from "chai";
import { getTransferInstruction } from "@solana-program/token";
import { expectRefused } from "../support/refusals.ts";
import { DEFAULT_TIMING, Deployment, expectOk, type Buyer, type Operator } from "../support/deployment.ts";
import { setTime } from "../support/svm.ts";
import { mintTo } from "../support/tokens.ts";
import { U64_MAX, Undeployed, world, type World } from "./support.ts";

const fee = (cost: bigint, bps: bigint) => (cost * bps) / 10_000n;

describe("security: arithmetic at the edges", () => {
  describe("zero", () => {
    let w: World;
    before(async () => {
      w = await world();
    });
    const zero = (what: string, run: () => ReturnType<World["d"]["send"]>) =>
      it(`${what} 0: ZeroAmount`, () => expectRefused(w.d.svm, w.watched, "ZeroAmount", run));
    zero("deposit", () => w.d.send(w.attacker.wallet, [w.d.depositIx(w.attacker, 0n)]));
    zero("withdraw", () => w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, 0n)]));
    zero("claim", () => w.d.send(w.op.authority, [w.d.claimIx(w.op, 0n)]));
    zero("withdraw_fees", () => w.d.send(w.d.admin, [w.d.withdrawFeesIx(0n)]));
    zero("top_up", () => w.d.send(w.buyer.wallet, [w.d.topUpIx(w.buyer, w.execution, 0n)]));
    zero("reserve with max burn", async () => w.d.send(w.buyer.wallet, [(await w.d.reserveIx(w.buyer, w.nextId, 0n)).ix]));
    zero("reserve_from_wallet with max burn", async () => w.d.send(w.buyer.wallet, [(await w.d.reserveFromWalletIx(w.buyer, w.nextId, 0n)).ix]));

    it("a receipt of 0 cumulative units: ReceiptNotNewer", async () => {
      const { execution } = await w.d.reserve(w.buyer, w.nextId++, 1_000n);
      await w.d.assign(execution, 0, w.op, "H100");
      await expectRefused(w.d.svm, [...w.watched, execution], "ReceiptNotNewer", async () =>
        w.d.send(w.attacker.wallet, await w.d.submitIxs(execution, [{ op: w.op, segment: 0, sku: "H100", units: 0n, seq: 1 }])),
      );
    });

    it("withdrawing a rate the card does not have (price 0): InvalidRate", () =>
      expectRefused(w.d.svm, w.watched, "InvalidRate", () => w.d.send(w.op.authority, [w.d.setRateIx(w.op, "V100", 0n)])));
  });

  describe("u64::MAX", () => {
    const FEE_BPS = 1000n;
    let d: Deployment;
    let whale: Buyer;
    let op: Operator;
    before(async () => {
      d = await Deployment.create({ feeBps: Number(FEE_BPS) });
      whale = await d.newBuyer(0n);
      await mintTo(d.svm, d.admin, d.mint, whale.tokens, U64_MAX);
      op = await d.newOperator({ H100: U64_MAX });
    });

    it("a whole mint supply of u64::MAX deposited, reserved, charged at u64::MAX × u64::MAX units, paid out to the unit", async () => {
      await d.deposit(whale, U64_MAX);
      expect(d.account("Balance", whale.balance).available).to.equal(U64_MAX);
      const { execution } = await d.reserve(whale, 1n, U64_MAX);
      await d.assign(execution, 0, op, "H100");
      // units × price overflows u64: the charge is capped at what is left of the max burn.
      await expectOk(d.send(d.router, await d.submitIxs(execution, [{ op, segment: 0, sku: "H100", units: U64_MAX, seq: 1 }])), "settle");
      const e = d.account("Execution", execution);
      const expectedFee = fee(U64_MAX, FEE_BPS);
      expect([e.consumed, e.feesAccrued]).to.deep.equal([U64_MAX, expectedFee]);
      expect(d.account("Operator", op.address).claimable).to.equal(U64_MAX - expectedFee);
      await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, whale)]), "finalize");
      expect(d.account("Operator", op.address).feesOwed).to.equal(expectedFee);
      expect(d.account("Operator", op.address).rates[0]).to.include({ unitsServed: U64_MAX, tokensServed: U64_MAX });
      await expectOk(d.send(op.authority, [d.claimIx(op, U64_MAX - expectedFee)]), "claim");
      await expectOk(d.send(d.admin, [d.withdrawFeesIx(expectedFee, d.treasury, d.admin, [op.address])]), "withdraw fees");
      expect([d.tokens(op.payout), d.tokens(d.treasury), d.tokens(d.vault)]).to.deep.equal([U64_MAX - expectedFee, expectedFee, 0n]);
    });
  });

  describe("cumulative deposits past u64::MAX", () => {
    // An attacker holding most of the supply cycles it through deposit and withdraw to
    // push the statistics counters to u64::MAX. v1 kept a deployment-wide total in the
    // Config with a checked add, so every later deposit failed (ArithmeticOverflow);
    // statistics now live per balance and saturate.
    let d: Deployment;
    let victim: Buyer;
    let attacker: Buyer;
    before(async () => {
      d = await Deployment.create();
      victim = await d.newBuyer(1_000n);
      attacker = await d.newBuyer(0n);
      await mintTo(d.svm, d.admin, d.mint, attacker.tokens, U64_MAX - 1_000n);
      await d.deposit(victim, 1_000n);
      await d.deposit(attacker, U64_MAX - 1_000n);
      await expectOk(d.send(attacker.wallet, [d.withdrawIx(attacker, U64_MAX - 1_000n)]), "round trip");
      await d.deposit(attacker, U64_MAX - 1_000n);
      await expectOk(d.send(attacker.wallet, [d.withdrawIx(attacker, U64_MAX - 1_000n)]), "second round trip");
      expect(d.account("Balance", attacker.balance)).to.include({ totalDeposited: U64_MAX, totalWithdrawn: U64_MAX });
      await expectOk(d.send(attacker.wallet, [getTransferInstruction({ source: attacker.tokens, destination: victim.tokens, authority: attacker.wallet, amount: 10n })]));
    });

    it("deposits keep working once cumulative deposits pass u64::MAX", async () => {
      await expectOk(d.send(victim.wallet, [d.depositIx(victim, 10n)]), "victim deposits");
      expect(d.account("Balance", victim.balance)).to.include({ available: 1_010n, totalDeposited: 1_010n });
      await expectOk(d.send(attacker.wallet, [d.depositIx(attacker, 10n)]), "attacker deposits past its saturated counter");
      expect(d.account("Balance", attacker.balance)).to.include({ available: 10n, totalDeposited: U64_MAX });
    });

    it("withdrawals still work", async () => {
      await expectOk(d.send(victim.wallet, [d.withdrawIx(victim, 1_000n)]), "withdraw");
      expect(d.tokens(victim.tokens)).to.equal(1_000n);
    });
  });

  describe("fee bps", () => {
    it("1001 bps at initialize and in set_fee: FeeTooHigh; 1000 is accepted", async () => {
      const u = await Undeployed.create();
      const t = await u.tokens();
      await expectRefused(u.svm, [u.config], "FeeTooHigh", () => u.send([u.initializeIx(t, { feeBps: 1001 })]));
      await expectRefused(u.svm, [u.config], "FeeTooHigh", () => u.send([u.initializeIx(t, { feeBps: 0xffff })]));
      await expectOk(u.send([u.initializeIx(t, { feeBps: 1000 })]), "initialize at the cap");
      const w = await world();
      await expectRefused(w.d.svm, w.watched, "FeeTooHigh", () => w.d.send(w.d.admin, [w.d.setFeeIx(1001)]));
    });

    for (const bps of [0n, 1n, 999n, 1000n]) {
      it(`${bps} bps: fee + operator share == cost for every receipt; the fees add up to the fee of the total`, async () => {
        const d = await Deployment.create({ feeBps: Number(bps) });
        const buyer = await d.newBuyer(10n ** 12n);
        const op = await d.newOperator({ H100: 1n });
        await d.deposit(buyer, 10n ** 12n);
        const { execution } = await d.reserve(buyer, 1n, 10n ** 12n);
        await d.assign(execution, 0, op, "H100");
        let units = 0n;
        let seq = 0;
        for (const cost of [1n, 9n, 10n, 11n, 9_999n, 10_000n, 10_001n, 123_456_789n, 99_999_999_999n]) {
          const e0 = d.account("Execution", execution);
          const c0 = d.account("Operator", op.address).claimable;
          units += cost;
          await expectOk(d.send(d.router, await d.submitIxs(execution, [{ op, segment: 0, sku: "H100", units, seq: ++seq }])));
          const e1 = d.account("Execution", execution);
          const share = d.account("Operator", op.address).claimable - c0;
          const charged = e1.consumed - e0.consumed;
          const f = e1.feesAccrued - e0.feesAccrued;
          // The receipt's fee is the increase of the fee of the segment's total.
          expect([charged, f, share + f]).to.deep.equal([cost, fee(units, bps) - fee(units - cost, bps), cost]);
        }
        expect(d.account("Execution", execution).feesAccrued).to.equal(fee(units, bps));
        await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]));
        const claimable = d.account("Operator", op.address).claimable;
        const fees = d.account("Operator", op.address).feesOwed;
        expect(d.account("Balance", buyer.balance).available + claimable + fees).to.equal(10n ** 12n);
        expect(d.tokens(d.vault)).to.equal(10n ** 12n);
      });
    }
  });

  describe("time", () => {
    let w: World;
    before(async () => {
      w = await world();
    });

    it("durations of 0 and of 30 days + 1 s: InvalidExpiry; 30 days is accepted", async () => {
      for (const durationSecs of [0n, 30n * 86_400n + 1n, U64_MAX]) {
        const { ix: reserve, execution } = await w.d.reserveIx(w.buyer, w.nextId, 1n, { durationSecs });
        await expectRefused(w.d.svm, [...w.watched, execution], "InvalidExpiry", () => w.d.send(w.buyer.wallet, [reserve]));
      }
      await w.d.reserve(w.buyer, w.nextId++, 1n, { durationSecs: 30n * 86_400n });
    });

    it("a clock at the end of i64: the expiry overflows and the reservation is refused (ArithmeticOverflow)", async () => {
      const saved = w.d.svm.getClock().unixTimestamp;
      setTime(w.d.svm, (1n << 63n) - 10n);
      try {
        const { ix: reserve, execution } = await w.d.reserveIx(w.buyer, w.nextId, 1n);
        await expectRefused(w.d.svm, [...w.watched, execution], "ArithmeticOverflow", () => w.d.send(w.buyer.wallet, [reserve]));
      } finally {
        setTime(w.d.svm, saved);
      }
    });

    it("a grace of u64::MAX: strangers cannot finalize before the clock's last second, the buyer can from expiry + window", async () => {
      const timing = { ...DEFAULT_TIMING, expiryGraceSecs: U64_MAX, settlementWindowSecs: 0n };
      await expectOk(w.d.send(w.d.admin, [w.d.setTimingIx(timing)]));
      const id = w.nextId++;
      const { execution } = await w.d.reserve(w.buyer, id, 1_000n);
      const e = w.d.account("Execution", execution);
      // One second before the end of i64: expiry + grace saturates at i64::MAX.
      setTime(w.d.svm, (1n << 63n) - 2n);
      await expectRefused(w.d.svm, [...w.watched, execution], "FinalizeNotAllowed", () =>
        w.d.send(w.attacker.wallet, [w.d.finalizeIx(execution, w.attacker.wallet, w.buyer)]),
      );
      await expectOk(w.d.send(w.buyer.wallet, [w.d.finalizeIx(execution, w.buyer.wallet, w.buyer)]), "buyer finalizes");
      setTime(w.d.svm, e.createdAt);
    });
  });
});
