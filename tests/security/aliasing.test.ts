// Attack class 7: one account in two slots that must differ. A vault that pays itself
// would book a withdrawal that moves nothing; an operator passed twice must not be
// credited twice.
import { expect } from "chai";
import { AccountRole } from "@solana/kit";
import { expectRefused } from "../support/refusals.ts";
import { expectOk } from "../support/deployment.ts";
import { H100_PRICE, world, type World } from "./support.ts";
import { decodeEvents } from "@arknet/escrow";

describe("security: the same account in two writable slots", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("withdraw with the vault as destination: DestinationIsVault", () =>
    expectRefused(w.d.svm, w.watched, "DestinationIsVault", () => w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, 1n, w.d.vault)])));

  it("claim with the vault as destination: DestinationIsVault", () =>
    expectRefused(w.d.svm, w.watched, "DestinationIsVault", () => w.d.send(w.op.authority, [w.d.claimIx(w.op, 1n, w.d.vault)])));

  it("withdraw_fees with the vault as treasury: InvalidTreasury", () =>
    expectRefused(w.d.svm, w.watched, "InvalidTreasury", () => w.d.send(w.d.admin, [w.d.withdrawFeesIx(1n, w.d.vault)])));

  it("deposit with the vault as source: DuplicateAccount", () =>
    expectRefused(w.d.svm, w.watched, "DuplicateAccount", () =>
      w.d.send(w.attacker.wallet, [w.d.depositIx({ ...w.attacker, tokens: w.d.vault }, 1n)]),
    ));

  it("reserve_from_wallet with the vault as source: DuplicateAccount", async () => {
    const { ix: reserve, execution } = await w.d.reserveFromWalletIx({ ...w.attacker, tokens: w.d.vault }, 1n, 1n);
    await expectRefused(w.d.svm, [...w.watched, execution], "DuplicateAccount", () => w.d.send(w.attacker.wallet, [reserve]));
  });

  it("close with the execution or the balance as rent payer: InvalidRentPayer", async () => {
    await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.buyer)]), "finalize");
    for (const rentPayer of [w.execution, w.buyer.balance]) {
      await expectRefused(w.d.svm, w.watched, "InvalidRentPayer", () =>
        w.d.send(w.buyer.wallet, [w.d.closeIx(w.execution, w.buyer.wallet, rentPayer)]),
      );
    }
  });

  it("finalize with the execution as its own balance: InvalidAccountData", async () => {
    const asBalance = { ...w.buyer, balance: w.execution };
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () =>
      w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, asBalance)]),
    );
  });

  it("top_up with the balance as the execution: InvalidAccountData", () =>
    expectRefused(w.d.svm, w.watched, "InvalidAccountData", () => w.d.send(w.buyer.wallet, [w.d.topUpIx(w.buyer, w.buyer.balance, 1n)])));

  it("submit_receipts with the operator in three slots credits it once per receipt", async () => {
    const before = w.d.account("Operator", w.op.address);
    const execBefore = w.d.account("Execution", w.execution);
    const [pre, submit] = await w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 1_500n, seq: 2 }]);
    const twice = {
      ...submit,
      accounts: [...submit.accounts!, { address: w.op.address, role: AccountRole.WRITABLE }, { address: w.op.address, role: AccountRole.WRITABLE }],
    };
    const r = await expectOk(w.d.send(w.attacker.wallet, [pre, twice]), "submit");
    const cost = 500n * H100_PRICE;
    const e = w.d.account("Execution", w.execution);
    const fee = (e.feesAccrued as bigint) - (execBefore.feesAccrued as bigint);
    expect(e.consumed - execBefore.consumed).to.equal(cost);
    expect(w.d.account("Operator", w.op.address).claimable - before.claimable).to.equal(cost - fee);
    expect(decodeEvents(r.logs).map((x) => x.name)).to.deep.equal(["ReceiptsSettled"]);
  });

  it("two receipts of one operator with the operator passed twice: each increase charged once", async () => {
    const before = w.d.account("Operator", w.op.address).claimable;
    await expectOk(w.d.send(w.d.router, [w.d.assignIx(w.execution, 1, w.op, "A100")]), "assign");
    const [pre, submit] = await w.d.submitIxs(w.execution, [
      { op: w.op, segment: 0, sku: "H100", units: 1_100n, seq: 2 },
      { op: w.op, segment: 1, sku: "A100", units: 10n, seq: 1 },
    ]);
    const twice = { ...submit, accounts: [...submit.accounts!, { address: w.op.address, role: AccountRole.WRITABLE }] };
    await expectOk(w.d.send(w.attacker.wallet, [pre, twice]), "submit");
    const e = w.d.account("Execution", w.execution);
    expect(e.segments[0].charged).to.equal(1_100n * H100_PRICE);
    expect(e.segments[1].charged).to.equal(10n * 7n);
    const fee = (c: bigint) => (c * 250n) / 10_000n;
    expect(w.d.account("Operator", w.op.address).claimable - before).to.equal(100n * H100_PRICE - fee(100n * H100_PRICE) + 70n - fee(70n));
  });
});
