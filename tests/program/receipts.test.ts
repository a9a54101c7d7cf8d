// submit_receipts: cumulative, operator-signed receipts charge only their increase, at the
// price pinned at assignment and the fee snapshotted at reservation, never past the max
// burn or the segment's budget; the fee is charged on each segment's total. Receipts bound to another execution, for unassigned segments, replayed, from a
// suspended operator or a rotated-out key are refused, and a refusal settles nothing of
// the batch. Settlement is reported by one ReceiptsSettled event per instruction.
import { expect } from "chai";
import type { Address, KeyPairSigner } from "@solana/kit";
import { Deployment, expectOk, type Buyer, type Operator, newSigningKey, openExecution, settle, type ReceiptSpec } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { fundedSigner, send } from "../support/svm.ts";
import { getEd25519VerifyInstruction, signReceipt } from "@arknet/escrow";
import { eventOf } from "../support/events.ts";

const FEE_BPS = 250n;
const MAX_BURN = 100_000n;

describe("submit_receipts", () => {
  let d: Deployment;
  let buyer: Buyer;
  let alpha: Operator; // H100 at 40, A100 at 25
  let stranger: KeyPairSigner; // anyone may submit: the operator's signature is the authority
  let execution: Address;

  const h100 = (units: bigint, seq: number, op = alpha): ReceiptSpec => ({ op, segment: 0, sku: "H100", units, seq });
  const submit = async (receipts: ReceiptSpec[], at = execution) => d.send(stranger, await d.submitIxs(at, receipts));
  const watched = () => [execution, alpha.address, buyer.balance, d.config];

  beforeEach(async () => {
    d = await Deployment.create({ feeBps: Number(FEE_BPS) });
    buyer = await d.newBuyer(1_000_000n);
    alpha = await d.newOperator({ H100: 40n, A100: 25n });
    stranger = await fundedSigner(d.svm);
    execution = await openExecution(d, buyer, alpha, "H100", { maxBurn: MAX_BURN, deposit: 200_000n });
  });

  it("charges units × pinned price; the operator gets the rest and owes the fee", async () => {
    const r = await expectOk(submit([h100(1_000n, 1)]), "submit");
    expect(eventOf(r, "ReceiptsSettled")).to.deep.equal({
      execution,
      consumed: 40_000n,
      receipts: [
        { segmentIndex: 0, cumulativeUnits: 1_000n, sequence: 1, cost: 40_000n, fee: 1_000n, capped: 0 },
      ],
    });
    const e = d.account("Execution", execution);
    expect(e).to.include({ consumed: 40_000n, feesAccrued: 1_000n });
    expect(e.segments[0]).to.include({ settledUnits: 1_000n, lastSeq: 1, charged: 40_000n, price: 40n });
    expect(d.account("Operator", alpha.address)).to.include({ claimable: 39_000n, totalEarned: 39_000n, feesOwed: 1_000n });
    // Accounting only: the balance stays reserved, the config untouched.
    expect(d.account("Balance", buyer.balance)).to.include({ available: 100_000n, reserved: MAX_BURN });
    expect(d.account("Config", d.config)).to.include({ feesUnwithdrawn: 0n });
    expect(d.tokens(d.vault)).to.equal(200_000n);
  });

  it("charges only the increase of a cumulative receipt", async () => {
    await settle(d, execution, [h100(1_000n, 1)]);
    const r = await expectOk(submit([h100(1_500n, 2)]), "second receipt");
    expect(eventOf(r, "ReceiptsSettled")).to.deep.equal({
      execution,
      consumed: 60_000n,
      receipts: [
        { segmentIndex: 0, cumulativeUnits: 1_500n, sequence: 2, cost: 20_000n, fee: 500n, capped: 0 },
      ],
    });
    expect(d.account("Execution", execution).segments[0]).to.include({ settledUnits: 1_500n, lastSeq: 2, charged: 60_000n });
    expect(d.account("Operator", alpha.address).claimable).to.equal(39_000n + 19_500n);
  });

  it("refuses a receipt for a segment that is not assigned (SegmentNotAssigned)", async () => {
    await expectRefused(d.svm, watched(), "SegmentNotAssigned", () =>
      submit([{ op: alpha, segment: 1, sku: "A100", units: 10n, seq: 1 }]),
    );
  });

  it("refuses a receipt signed for another execution (ReceiptWrongExecution)", async () => {
    await d.deposit(buyer, MAX_BURN);
    const other = await openExecution(d, buyer, alpha, "H100", { id: 2n, maxBurn: MAX_BURN, deposit: 0n });
    const forOther = await signReceipt(alpha.key, {
      execution: other,
      segment: 0,
      sku: "H100",
      cumulativeUnits: 1_000n,
      sequence: 1,
    });
    await expectRefused(d.svm, [...watched(), other], "ReceiptWrongExecution", () =>
      d.send(stranger, [getEd25519VerifyInstruction([forOther]), d.submitIx(execution, [alpha.address])]),
    );
    // It settles against the execution it names.
    await expectOk(d.send(stranger, [getEd25519VerifyInstruction([forOther]), d.submitIx(other, [alpha.address])]));
    expect(d.account("Execution", other).consumed).to.equal(40_000n);
  });

  it("refuses a replayed, a decreasing or a half-newer receipt (ReceiptNotNewer)", async () => {
    await settle(d, execution, [h100(1_000n, 5)]);
    for (const stale of [h100(1_000n, 5), h100(900n, 6), h100(1_000n, 6), h100(1_100n, 5), h100(1_100n, 4)]) {
      await expectRefused(d.svm, watched(), "ReceiptNotNewer", () => submit([stale]));
    }
  });

  it("settles a batch atomically: one stale receipt refuses all of it (ReceiptNotNewer)", async () => {
    await expectRefused(d.svm, watched(), "ReceiptNotNewer", () => submit([h100(1_000n, 1), h100(900n, 2)]));
    expect(d.account("Execution", execution).consumed).to.equal(0n);
  });

  it("clamps an over-cap receipt to the max burn; later receipts charge 0", async () => {
    // 3,000 units at 40 = 120,000 > 100,000 left.
    const r = await expectOk(submit([h100(3_000n, 1)]), "over-cap receipt");
    const fee = (MAX_BURN * FEE_BPS) / 10_000n;
    expect(eventOf(r, "ReceiptsSettled")).to.deep.equal({
      execution,
      consumed: MAX_BURN,
      receipts: [
        { segmentIndex: 0, cumulativeUnits: 3_000n, sequence: 1, cost: MAX_BURN, fee, capped: 1 },
      ],
    });
    expect(d.account("Execution", execution)).to.include({ consumed: MAX_BURN, feesAccrued: fee });
    expect(d.account("Operator", alpha.address).claimable).to.equal(MAX_BURN - fee);

    const later = await expectOk(submit([h100(3_100n, 2)]), "receipt past the cap");
    expect(eventOf(later, "ReceiptsSettled").receipts).to.deep.equal([
      { segmentIndex: 0, cumulativeUnits: 3_100n, sequence: 2, cost: 0n, fee: 0n, capped: 1 },
    ]);
    const e = d.account("Execution", execution);
    expect(e).to.include({ consumed: MAX_BURN, feesAccrued: fee });
    expect(e.segments[0]).to.include({ settledUnits: 3_100n, charged: MAX_BURN });
    expect(d.account("Operator", alpha.address).claimable).to.equal(MAX_BURN - fee);

    const bill = await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize");
    expect(eventOf(bill, "ExecutionFinalized")).to.include({ consumed: MAX_BURN, refund: 0n, fee });
  });

  it("clamps a receipt that crosses the cap to exactly what is left", async () => {
    await settle(d, execution, [h100(1_000n, 1)]); // 40,000 consumed
    const r = await expectOk(submit([h100(4_000n, 2)]), "crossing receipt"); // +120,000 asked, 60,000 left
    expect(eventOf(r, "ReceiptsSettled").receipts[0]).to.include({ cumulativeUnits: 4_000n, cost: 60_000n, fee: 1_500n, capped: 1 });
    expect(d.account("Execution", execution).consumed).to.equal(MAX_BURN);
  });

  it("refuses a receipt whose SKU is not the segment's (ReceiptSkuMismatch)", async () => {
    await expectRefused(d.svm, watched(), "ReceiptSkuMismatch", () =>
      submit([{ op: alpha, segment: 0, sku: "A100", units: 10n, seq: 1 }]),
    );
  });

  it("refuses a suspended operator's receipts (OperatorNotActive); earnings stay", async () => {
    await settle(d, execution, [h100(1_000n, 1)]);
    await expectOk(d.send(d.admin, [d.setStatusIx(alpha, 2)]), "suspend");
    await expectRefused(d.svm, watched(), "OperatorNotActive", () => submit([h100(2_000n, 2)]));
    expect(d.account("Operator", alpha.address).claimable).to.equal(39_000n);
  });

  it("refuses receipts signed by a rotated-out key (ReceiptSignerMismatch); the new key settles", async () => {
    const key = await newSigningKey();
    await expectOk(d.send(alpha.authority, [d.rotateIx(alpha, key)]), "rotate");
    await expectRefused(d.svm, watched(), "ReceiptSignerMismatch", () => submit([h100(1_000n, 1)]));
    const rotated = { ...alpha, key };
    await expectOk(submit([h100(1_000n, 1, rotated)]), "receipt signed by the new key");
    expect(d.account("Execution", execution).consumed).to.equal(40_000n);
  });

  it("refuses another operator's signature on the segment (ReceiptSignerMismatch)", async () => {
    const beta = await d.newOperator({ H100: 1n });
    // Signed by beta's key, settled against alpha's segment and account.
    const forged = await signReceipt(beta.key, {
      execution,
      segment: 0,
      sku: "H100",
      cumulativeUnits: 1_000n,
      sequence: 1,
    });
    await expectRefused(d.svm, [...watched(), beta.address], "ReceiptSignerMismatch", () =>
      d.send(stranger, [getEd25519VerifyInstruction([forged]), d.submitIx(execution, [alpha.address])]),
    );
  });

  it("refuses a batch without the segment's operator account (OperatorAccountMissing)", async () => {
    const beta = await d.newOperator({ H100: 1n });
    const [precompile] = await d.submitIxs(execution, [h100(1_000n, 1)]);
    await expectRefused(d.svm, [...watched(), beta.address], "OperatorAccountMissing", () =>
      d.send(stranger, [precompile, d.submitIx(execution, [beta.address])]),
    );
  });

  it("refuses more than 8 receipts in one instruction (TooManyReceipts)", async () => {
    // Past the leader's 8-signature limit: sent anyway (LiteSVM does not enforce it) to
    // show the program refuses on its own.
    const nine = Array.from({ length: 9 }, (_, i) => h100(100n * BigInt(i + 1), i + 1));
    await expectRefused(d.svm, watched(), "TooManyReceipts", async () =>
      send(d.svm, stranger, await d.submitIxs(execution, nine), { leaderLimits: false }),
    );
  });

  it("refuses a submit without the Ed25519 instruction before it (MissingEd25519Instruction)", async () => {
    await expectRefused(d.svm, watched(), "MissingEd25519Instruction", () =>
      d.send(stranger, [d.submitIx(execution, [alpha.address])]),
    );
  });

  it("refuses a receipt after finalize: the execution is settled (ExecutionSettled)", async () => {
    await settle(d, execution, [h100(1_000n, 1)]);
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize");
    await expectRefused(d.svm, watched(), "ExecutionSettled", () => submit([h100(2_000n, 2)]));
    expect(d.account("Operator", alpha.address).claimable).to.equal(39_000n);
    // And after close the account is gone (InvalidAccountOwner).
    await expectOk(d.send(buyer.wallet, [d.closeIx(execution, buyer.wallet, buyer.wallet.address)]), "close");
    await expectRefused(d.svm, [alpha.address, buyer.balance], "InvalidAccountOwner", () => submit([h100(2_000n, 2)]));
  });

  describe("fee on the segment's total", () => {
    it("charges fee_of(total) however the work is split: small receipts no longer pay no fee", async () => {
      // 39 units at 40 = 1,560 per receipt: floor(1,560 × 2.5%) = 39 each; 12 of them =
      // 18,720, whose fee is 468 (12 × 39 = 468 too). At price 1, 39 units cost 39, and
      // floor(39 × 2.5%) = 0 per receipt: the old rule charged no fee at all.
      const cheap = await d.newOperator({ GPU: 1n });
      await d.assign(execution, 1, cheap, "GPU");
      const rc = (units: bigint, seq: number): ReceiptSpec => ({ op: cheap, segment: 1, sku: "GPU", units, seq });
      const fees: bigint[] = [];
      for (let batch = 0; batch < 3; batch++) {
        const receipts = [1, 2, 3, 4].map((i) => rc(39n * BigInt(batch * 4 + i), batch * 4 + i));
        const r = await expectOk(submit(receipts), `batch ${batch}`);
        fees.push(...eventOf(r, "ReceiptsSettled").receipts.map((x: any) => x.fee));
      }
      const total = 12n * 39n; // 468 tokens charged
      const feeOfTotal = (total * FEE_BPS) / 10_000n; // 11
      expect(feeOfTotal).to.equal(11n);
      expect(fees.reduce((a, b) => a + b, 0n)).to.equal(feeOfTotal);
      expect(d.account("Execution", execution).segments[1]).to.include({ charged: total });
      expect(d.account("Operator", cheap.address)).to.include({ feesOwed: feeOfTotal, claimable: total - feeOfTotal });
    });

    it("gives each receipt the fee increase of its segment, and each segment its own total", async () => {
      // Segment 0: 1,001 then 1,002 units at 40 → 40,040 then 40,080: fees 1,001 then 1,002 − 1,001 = 1.
      await settle(d, execution, [h100(1_001n, 1)]);
      const r = await expectOk(submit([h100(1_002n, 2)]), "second");
      expect(eventOf(r, "ReceiptsSettled").receipts[0]).to.include({ cost: 40n, fee: 1n });
      expect(d.account("Execution", execution).feesAccrued).to.equal((40_080n * FEE_BPS) / 10_000n);
    });
  });

  describe("segment budget", () => {
    it("caps a segment's charges at its budget (capped 2), leaving the max burn to the other segments", async () => {
      const beta = await d.newOperator({ A100: 25n });
      // Segment 1 on beta with a 10,000 budget; segment 0 (alpha) shares the max burn.
      await d.assign(execution, 1, beta, "A100", { budget: 10_000n });
      expect(d.account("Execution", execution).segments[1]).to.include({ budget: 10_000n, price: 25n });
      const a100 = (units: bigint, seq: number): ReceiptSpec => ({ op: beta, segment: 1, sku: "A100", units, seq });
      const r = await expectOk(submit([a100(1_000n, 1)]), "over budget"); // 25,000 asked
      expect(eventOf(r, "ReceiptsSettled").receipts[0]).to.include({ cost: 10_000n, capped: 2 });
      const later = await expectOk(submit([a100(1_100n, 2)]), "past the budget");
      expect(eventOf(later, "ReceiptsSettled").receipts[0]).to.include({ cost: 0n, fee: 0n, capped: 2 });
      expect(d.account("Execution", execution).segments[1]).to.include({ charged: 10_000n, settledUnits: 1_100n });
      // Alpha still has the remaining 90,000 of the max burn.
      const rest = await expectOk(submit([h100(2_000n, 1)]), "alpha");
      expect(eventOf(rest, "ReceiptsSettled").receipts[0]).to.include({ cost: 80_000n, capped: 0 });
      const last = await expectOk(submit([h100(2_500n, 2)]), "alpha over the max burn");
      expect(eventOf(last, "ReceiptsSettled").receipts[0]).to.include({ cost: 10_000n, capped: 1 });
      expect(d.account("Execution", execution).consumed).to.equal(MAX_BURN);
    });

    it("caps at the max burn when it is smaller than what is left of the budget (capped 1)", async () => {
      await d.assign(execution, 1, alpha, "A100", { budget: 1_000_000n });
      const r = await expectOk(submit([{ op: alpha, segment: 1, sku: "A100", units: 10_000n, seq: 1 }]), "big");
      expect(eventOf(r, "ReceiptsSettled").receipts[0]).to.include({ cost: MAX_BURN, capped: 1 });
    });
  });

  describe("pinned terms", () => {
    it("settles at the price pinned at assignment after the operator raises its rate", async () => {
      await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "H100", 400n)]), "raise rate");
      const r = await expectOk(submit([h100(1_000n, 1)]), "submit");
      expect(eventOf(r, "ReceiptsSettled").receipts[0]).to.include({ cost: 40_000n, fee: 1_000n });
      expect(d.account("Execution", execution).segments[0]).to.include({ price: 40n, charged: 40_000n });
      // A segment assigned after the raise pins the new rate.
      await d.assign(execution, 1, alpha, "H100");
      expect(d.account("Execution", execution).segments[1].price).to.equal(400n);
    });

    it("charges the fee snapshotted at reservation after set_fee", async () => {
      await expectOk(d.send(d.admin, [d.setFeeIx(1_000)]), "set fee");
      expect(d.account("Execution", execution).feeBps).to.equal(Number(FEE_BPS));
      const r = await expectOk(submit([h100(1_000n, 1)]), "submit");
      expect(eventOf(r, "ReceiptsSettled").receipts[0]).to.include({ cost: 40_000n, fee: 1_000n });
      expect(d.account("Operator", alpha.address).claimable).to.equal(39_000n);
      // The next reservation takes the new fee.
      const next = await openExecution(d, buyer, alpha, "H100", { id: 2n, maxBurn: 50_000n, deposit: 0n });
      expect(d.account("Execution", next).feeBps).to.equal(1_000);
      const r2 = await expectOk(submit([h100(1_000n, 1)], next), "submit on the new execution");
      expect(eventOf(r2, "ReceiptsSettled").receipts[0]).to.include({ cost: 40_000n, fee: 4_000n });
    });
  });
});
