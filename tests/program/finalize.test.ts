// finalize: who may close an execution when (router any time, buyer from expiry, anyone
// from expiry + the grace snapshotted at reservation), what the bill says, where the
// refund, the fee and the rent go, and that a closed execution stays closed.
import { expect } from "chai";
import type { Address, KeyPairSigner } from "@solana/kit";
import { Deployment, expectOk, type Buyer, type Operator } from "../helpers/escrow.ts";
import { expectRefused } from "../helpers/errors.ts";
import { settle } from "../helpers/flows.ts";
import { sku } from "../helpers/idl.ts";
import { fundedSigner, setTime } from "../helpers/svm.ts";
import { eventOf, lamportsOf, signedBy, unsigned } from "../helpers/tx.ts";

const T0 = 1_700_000_000n;
const DURATION = 3_600n;
const GRACE = 600n;
const EXPIRY = T0 + DURATION;

describe("finalize", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;
  let rentPayer: KeyPairSigner; // paid the execution's rent; neither buyer nor router
  let stranger: KeyPairSigner;
  let execution: Address;
  let rent: bigint;

  const lamports = (a: Address) => lamportsOf(d.svm, a);
  const finalizeBy = (who: KeyPairSigner, payer = rentPayer.address) =>
    d.send(who, [d.finalizeIx(execution, who, buyer, payer)]);
  const watched = () => [execution, buyer.balance, d.config, rentPayer.address];

  beforeEach(async () => {
    d = await Deployment.create({ feeBps: 250, graceSecs: GRACE });
    setTime(d.svm, T0);
    buyer = await d.newBuyer(1_000_000n);
    op = await d.newOperator({ H100: 40n });
    rentPayer = await fundedSigner(d.svm);
    stranger = await fundedSigner(d.svm);
    await d.deposit(buyer, 200_000n);
    const reserve = await d.reserveIx(buyer, 1n, 100_000n, { durationSecs: DURATION, payer: rentPayer });
    await expectOk(d.send(rentPayer, [signedBy(reserve.ix, buyer.wallet)]), "reserve");
    execution = reserve.execution;
    rent = lamports(execution);
    await d.assign(execution, 0, op, "H100");
    // 1,000 units at 40: 40,000 consumed, 1,000 of it fee.
    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 1_000n, seq: 1 }]);
  });

  it("lets the router finalize before expiry: refund, fee, bill, and the rent back to its payer", async () => {
    const payerBefore = lamports(rentPayer.address);
    const r = await expectOk(finalizeBy(d.router), "finalize");
    expect(eventOf(r, "ExecutionFinalized")).to.deep.equal({
      execution,
      buyer: buyer.wallet.address,
      execution_id: 1n,
      max_burn: 100_000n,
      consumed: 40_000n,
      fee: 1_000n,
      refund: 60_000n,
      finalized_by: d.router.address,
      segments: [{ operator: op.address, sku: sku("H100"), price: 40n, units: 1_000n, charged: 40_000n }],
    });
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
    expect(d.account("Config", d.config)).to.include({ fees_unwithdrawn: 1_000n, total_fees: 1_000n, total_settled: 40_000n });
    expect(d.exists(execution)).to.equal(false);
    expect(lamports(rentPayer.address)).to.equal(payerBefore + rent);
    // No token moved; the vault still holds exactly what the accounts owe.
    const claimable = d.account("Operator", op.address).claimable;
    expect(claimable).to.equal(39_000n);
    expect(d.tokens(d.vault)).to.equal(200_000n);
    expect(160_000n + claimable + 1_000n).to.equal(d.tokens(d.vault));
  });

  it("refunds the whole max burn of an execution without receipts", async () => {
    const { execution: idle } = await d.reserve(buyer, 2n, 5_000n);
    const r = await expectOk(d.send(d.router, [d.finalizeIx(idle, d.router, buyer)]), "finalize idle");
    expect(eventOf(r, "ExecutionFinalized")).to.include({ max_burn: 5_000n, consumed: 0n, fee: 0n, refund: 5_000n });
    expect(eventOf(r, "ExecutionFinalized").segments).to.deep.equal([]);
    expect(d.account("Balance", buyer.balance)).to.include({ available: 100_000n, reserved: 100_000n });
  });

  it("refuses a second finalize: the account is closed (InvalidAccountOwner)", async () => {
    await expectOk(finalizeBy(d.router), "first finalize");
    await expectRefused(d.svm, watched(), "InvalidAccountOwner", () => finalizeBy(d.router));
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
  });

  it("refuses the buyer before expiry (FinalizeNotAllowed)", async () => {
    setTime(d.svm, EXPIRY - 1n);
    await expectRefused(d.svm, watched(), "FinalizeNotAllowed", () => finalizeBy(buyer.wallet));
  });

  it("lets the buyer finalize from expiry, rent still to the rent payer", async () => {
    setTime(d.svm, EXPIRY);
    const payerBefore = lamports(rentPayer.address);
    const r = await expectOk(finalizeBy(buyer.wallet), "buyer finalizes");
    expect(eventOf(r, "ExecutionFinalized")).to.include({ finalized_by: buyer.wallet.address, refund: 60_000n });
    expect(lamports(rentPayer.address)).to.equal(payerBefore + rent);
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
  });

  it("refuses a stranger before expiry + grace (FinalizeNotAllowed)", async () => {
    for (const t of [T0, EXPIRY, EXPIRY + GRACE - 1n]) {
      setTime(d.svm, t);
      await expectRefused(d.svm, watched(), "FinalizeNotAllowed", () => finalizeBy(stranger));
    }
  });

  it("lets anyone finalize from expiry + grace; the refund goes to the buyer, the rent to its payer", async () => {
    setTime(d.svm, EXPIRY + GRACE);
    const payerBefore = lamports(rentPayer.address);
    const strangerBefore = lamports(stranger.address);
    const r = await expectOk(finalizeBy(stranger), "stranger finalizes");
    expect(eventOf(r, "ExecutionFinalized")).to.include({ finalized_by: stranger.address, refund: 60_000n });
    expect(lamports(rentPayer.address)).to.equal(payerBefore + rent);
    expect(lamports(stranger.address)).to.equal(strangerBefore - 5_000n); // the signature fee only
    expect(d.account("Balance", buyer.balance)).to.include({ available: 160_000n, reserved: 0n });
  });

  it("uses the grace snapshotted at reservation, not a later set_expiry_grace", async () => {
    await expectOk(d.send(d.admin, [d.adminIx("set_expiry_grace", { expiry_grace_secs: 10n })]), "shorter grace");
    expect(d.account("Execution", execution).grace_secs).to.equal(GRACE);
    setTime(d.svm, EXPIRY + 10n);
    await expectRefused(d.svm, watched(), "FinalizeNotAllowed", () => finalizeBy(stranger));
    setTime(d.svm, EXPIRY + GRACE);
    await expectOk(finalizeBy(stranger), "stranger after the snapshotted grace");
  });

  it("refuses a rent destination other than the rent payer (InvalidRentPayer)", async () => {
    await expectRefused(d.svm, [...watched(), buyer.wallet.address], "InvalidRentPayer", () =>
      d.send(d.router, [d.finalizeIx(execution, d.router, buyer, buyer.wallet.address)]),
    );
  });

  it("refuses another buyer's balance (WrongBuyer)", async () => {
    const other = await d.newBuyer(1_000n);
    await d.deposit(other, 1_000n);
    const wrongBalance = d.finalizeIx(execution, d.router, { ...buyer, balance: other.balance }, rentPayer.address);
    await expectRefused(d.svm, [...watched(), other.balance], "WrongBuyer", () => d.send(d.router, [wrongBalance]));
  });

  it("refuses the router's address without its signature (MissingSigner)", async () => {
    const noSig = unsigned(d.finalizeIx(execution, d.router, buyer, rentPayer.address), d.router.address);
    await expectRefused(d.svm, watched(), "MissingSigner", () => d.send(stranger, [noSig]));
  });
});
