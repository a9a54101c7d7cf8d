// Reservations: reserve, reserve_from_wallet and top_up move the max burn from the
// buyer's available balance into an execution and fail closed: a refused reservation
// creates no execution and leaves the balance (and the buyer's tokens) as they were.
import { expect } from "chai";
import { Deployment, expectOk, type Buyer } from "../support/deployment.ts";
import { expectRefused, snapshot } from "../support/refusals.ts";
import { fundedSigner, setTime, lamportsOf, rentExemptMinimum, PROGRAM_ID } from "../support/svm.ts";
import { encodeSku, executionAddress, getReserveInstructionDataCodec } from "@arknet/escrow";
import { eventNames, eventOf } from "../support/events.ts";
import { replaceAccount, signedBy, unsigned, withArgs } from "../support/mutate.ts";

const T0 = 1_700_000_000n;
const DAY = 24n * 3600n;

describe("reserve", () => {
  let d: Deployment;
  let buyer: Buyer;

  beforeEach(async () => {
    d = await Deployment.create({
      feeBps: 250,
      graceSecs: 600n,
      timing: { settlementWindowSecs: 300n, minDurationSecs: 120n, reviewWindowSecs: 900n },
    });
    setTime(d.svm, T0);
    buyer = await d.newBuyer(1_000_000n);
    await d.deposit(buyer, 400_000n);
  });

  it("moves the max burn from available to reserved and opens the execution", async () => {
    const { execution, result } = await d.reserve(buyer, 7n, 150_000n, {
      durationSecs: 7_200n,
      priceCaps: [{ sku: "H100", maxPrice: 50n }],
    });
    expect(d.account("Balance", buyer.balance)).to.include({
      available: 250_000n,
      reserved: 150_000n,
      lastExecutionId: 7n,
    });
    const e = d.account("Execution", execution);
    expect(e).to.include({
      config: d.config,
      buyer: buyer.wallet.address,
      router: d.router.address,
      rentPayer: buyer.wallet.address,
      executionId: 7n,
      maxBurn: 150_000n,
      consumed: 0n,
      feesAccrued: 0n,
      createdAt: T0,
      expiresAt: T0 + 7_200n,
      settledAt: 0n,
      graceSecs: 600n,
      settlementWindowSecs: 300n,
      reviewWindowSecs: 900n,
      feeBps: 250,
      status: 1,
      endReason: 0,
      segmentCount: 0,
      bump: (await executionAddress(d.config, buyer.wallet.address, 7n, PROGRAM_ID)).bump,
      priceCapCount: 1,
    });
    expect(e.priceCaps[0]).to.deep.equal({ sku: encodeSku("H100"), maxPrice: 50n });
    expect(lamportsOf(d.svm, execution)).to.equal(rentExemptMinimum(d.svm, execution));
    // Accounting only: no token moves.
    expect(d.tokens(d.vault)).to.equal(400_000n);
    expect(eventOf(result, "ExecutionReserved")).to.deep.equal({
      execution,
      buyer: buyer.wallet.address,
      executionId: 7n,
      maxBurn: 150_000n,
      expiresAt: T0 + 7_200n,
      fromWallet: false,
    });
  });

  it("refuses a duration below the deployment's minimum (DurationTooShort): no 1-second reservations", async () => {
    for (const durationSecs of [1n, 119n]) {
      const { ix: short, execution } = await d.reserveIx(buyer, 1n, 1_000n, { durationSecs });
      await expectRefused(d.svm, [buyer.balance, execution], "DurationTooShort", () => d.send(buyer.wallet, [short]));
    }
    await d.reserve(buyer, 1n, 1_000n, { durationSecs: 120n });
  });

  it("refuses a balance of another deployment of the program (WrongDeployment)", async () => {
    const other = await Deployment.create({ svm: d.svm, admin: d.admin });
    const there = await other.newBuyer(10_000n, buyer.wallet);
    await other.deposit(there, 10_000n);
    const { ix: mixed, execution } = await d.reserveIx({ ...buyer, balance: there.balance }, 1n, 1_000n);
    await expectRefused(d.svm, [there.balance, execution], "WrongDeployment", () => d.send(buyer.wallet, [mixed]));
  });

  it("lets another payer pay the rent, and records it as the rent payer", async () => {
    const payer = await fundedSigner(d.svm);
    const buyerLamports = lamportsOf(d.svm, buyer.wallet.address);
    const { ix: reserveIx, execution } = await d.reserveIx(buyer, 1n, 10_000n, { payer });
    await expectOk(d.send(payer, [signedBy(reserveIx, buyer.wallet)]), "reserve paid by another payer");
    expect(d.account("Execution", execution).rentPayer).to.equal(payer.address);
    expect(lamportsOf(d.svm, buyer.wallet.address)).to.equal(buyerLamports);
  });

  it("fails closed without enough balance (InsufficientBalance): no execution, balance unchanged", async () => {
    const { ix: tooMuch, execution } = await d.reserveIx(buyer, 1n, 400_001n);
    await expectRefused(d.svm, [buyer.balance, execution, d.config], "InsufficientBalance", () =>
      d.send(buyer.wallet, [tooMuch]),
    );
    expect(d.exists(execution)).to.equal(false);
    // Exactly the available balance is fine.
    await d.reserve(buyer, 1n, 400_000n);
    expect(d.account("Balance", buyer.balance)).to.include({ available: 0n, reserved: 400_000n });
  });

  it("fails closed for a buyer that never deposited (InvalidAccountOwner)", async () => {
    const stranger = await d.newBuyer(0n);
    const { ix: reserveIx, execution } = await d.reserveIx(stranger, 1n, 1n);
    await expectRefused(d.svm, [stranger.balance, execution], "InvalidAccountOwner", () =>
      d.send(stranger.wallet, [reserveIx]),
    );
    expect(d.exists(execution)).to.equal(false);
  });

  it("refuses a buyer that did not sign (MissingSigner)", async () => {
    const payer = await fundedSigner(d.svm);
    const { ix: reserveIx, execution } = await d.reserveIx(buyer, 1n, 10_000n, { payer });
    await expectRefused(d.svm, [buyer.balance, execution], "MissingSigner", () =>
      d.send(payer, [unsigned(reserveIx, buyer.wallet.address)]),
    );
  });

  it("refuses another wallet reserving from the buyer's balance (WrongBuyer)", async () => {
    const thief = await d.newBuyer(0n);
    const { ix: reserveIx, execution } = await d.reserveIx({ ...thief, balance: buyer.balance }, 1n, 10_000n);
    await expectRefused(d.svm, [buyer.balance, execution], "WrongBuyer", () => d.send(thief.wallet, [reserveIx]));
  });

  it("only accepts increasing execution ids (ExecutionIdNotIncreasing), even after finalize and close", async () => {
    const { execution } = await d.reserve(buyer, 5n, 1_000n);
    for (const id of [0n, 4n, 5n]) {
      const { ix: again, execution: target } = await d.reserveIx(buyer, id, 1_000n);
      await expectRefused(d.svm, [buyer.balance, target], "ExecutionIdNotIncreasing", () =>
        d.send(buyer.wallet, [again]),
      );
    }
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize 5");
    await expectOk(d.send(buyer.wallet, [d.closeIx(execution, buyer.wallet, buyer.wallet.address)]), "close 5");
    const { ix: reuse } = await d.reserveIx(buyer, 5n, 1_000n);
    await expectRefused(d.svm, [buyer.balance, execution], "ExecutionIdNotIncreasing", () =>
      d.send(buyer.wallet, [reuse]),
    );
    expect(d.exists(execution)).to.equal(false);
    await d.reserve(buyer, 6n, 1_000n);
    expect(d.account("Balance", buyer.balance).lastExecutionId).to.equal(6n);
  });

  it("refuses a zero max burn (ZeroAmount)", async () => {
    const { ix: zero, execution } = await d.reserveIx(buyer, 1n, 0n);
    await expectRefused(d.svm, [buyer.balance, execution], "ZeroAmount", () => d.send(buyer.wallet, [zero]));
  });

  it("refuses a zero or over-30-day duration (InvalidExpiry); 30 days is fine", async () => {
    for (const durationSecs of [0n, 30n * DAY + 1n]) {
      const { ix: bad, execution } = await d.reserveIx(buyer, 1n, 1_000n, { durationSecs });
      await expectRefused(d.svm, [buyer.balance, execution], "InvalidExpiry", () => d.send(buyer.wallet, [bad]));
    }
    const { execution } = await d.reserve(buyer, 1n, 1_000n, { durationSecs: 30n * DAY });
    expect(d.account("Execution", execution).expiresAt).to.equal(T0 + 30n * DAY);
  });

  it("refuses more than four price caps (TooManyPriceCaps) and an invalid cap SKU (InvalidSku)", async () => {
    const five = ["A", "B", "C", "D", "E"].map((s) => ({ sku: s, maxPrice: 1n }));
    const { ix: tooMany, execution } = await d.reserveIx(buyer, 1n, 1_000n, { priceCaps: five });
    await expectRefused(d.svm, [buyer.balance, execution], "TooManyPriceCaps", () => d.send(buyer.wallet, [tooMany]));
    // The SDK refuses the code "H 100" before building: the program's own check is reached by changing the built bytes.
    const { ix: valid } = await d.reserveIx(buyer, 1n, 1_000n, { priceCaps: [{ sku: "H100", maxPrice: 1n }] });
    const badSku = withArgs(valid, getReserveInstructionDataCodec(), { priceCaps: [{ sku: new TextEncoder().encode("H 100\0\0\0"), maxPrice: 1n }] });
    await expectRefused(d.svm, [buyer.balance, execution], "InvalidSku", () => d.send(buyer.wallet, [badSku]));
  });

  it("refuses an execution address that is not the id's PDA: the system program's create needs the PDA's signature", async () => {
    const { ix: reserve1 } = await d.reserveIx(buyer, 1n, 1_000n);
    const other = (await executionAddress(d.config, buyer.wallet.address, 2n, PROGRAM_ID)).address;
    const wrong = replaceAccount(reserve1, (await executionAddress(d.config, buyer.wallet.address, 1n, PROGRAM_ID)).address, other);
    const before = snapshot(d.svm, [buyer.balance, other]);
    const r = await d.send(buyer.wallet, [wrong]);
    expect(r.ok).to.equal(false);
    expect(r.error).to.match(/PrivilegeEscalation/);
    expect(snapshot(d.svm, [buyer.balance, other])).to.deep.equal(before);
  });
});

describe("reserve_from_wallet", () => {
  let d: Deployment;
  let buyer: Buyer;

  beforeEach(async () => {
    d = await Deployment.create({ feeBps: 250 });
    setTime(d.svm, T0);
    buyer = await d.newBuyer(1_000_000n);
  });

  it("deposits exactly the max burn and reserves it, creating the balance", async () => {
    const { ix: rfw, execution } = await d.reserveFromWalletIx(buyer, 1n, 250_000n);
    const r = await expectOk(d.send(buyer.wallet, [rfw]), "reserve from wallet");
    expect(d.tokens(buyer.tokens)).to.equal(750_000n);
    expect(d.tokens(d.vault)).to.equal(250_000n);
    expect(d.account("Balance", buyer.balance)).to.include({
      buyer: buyer.wallet.address,
      available: 0n,
      reserved: 250_000n,
      totalDeposited: 250_000n,
      lastExecutionId: 1n,
    });
    expect(d.account("Execution", execution)).to.include({ maxBurn: 250_000n, rentPayer: buyer.wallet.address });
    expect(eventNames(r)).to.deep.equal(["Deposited", "ExecutionReserved"]);
    expect(eventOf(r, "Deposited")).to.deep.equal({
      buyer: buyer.wallet.address,
      depositor: buyer.wallet.address,
      amount: 250_000n,
      available: 250_000n,
    });
    expect(eventOf(r, "ExecutionReserved")).to.include({ execution, maxBurn: 250_000n, fromWallet: true });
  });

  it("leaves an existing available balance untouched", async () => {
    await d.deposit(buyer, 100_000n);
    const { ix: rfw } = await d.reserveFromWalletIx(buyer, 1n, 30_000n);
    await expectOk(d.send(buyer.wallet, [rfw]), "reserve from wallet");
    expect(d.account("Balance", buyer.balance)).to.include({ available: 100_000n, reserved: 30_000n });
    expect(d.tokens(d.vault)).to.equal(130_000n);
  });

  it("fails closed: a refused reservation moves no tokens (ExecutionIdNotIncreasing)", async () => {
    const { ix: first } = await d.reserveFromWalletIx(buyer, 3n, 1_000n);
    await expectOk(d.send(buyer.wallet, [first]), "reserve 3");
    const { ix: again, execution } = await d.reserveFromWalletIx(buyer, 2n, 1_000n);
    await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, d.config, execution], "ExecutionIdNotIncreasing", () =>
      d.send(buyer.wallet, [again]),
    );
    expect(d.exists(execution)).to.equal(false);
  });

  it("fails closed when the wallet holds too little: the token program refuses, nothing moves", async () => {
    const poor = await d.newBuyer(999n);
    const { ix: rfw, execution } = await d.reserveFromWalletIx(poor, 1n, 1_000n);
    const watched = [poor.balance, poor.tokens, d.vault, d.config, execution];
    const before = snapshot(d.svm, watched);
    const r = await d.send(poor.wallet, [rfw]);
    expect(r.ok).to.equal(false);
    expect(r.errorCode).to.equal(1); // SPL Token: InsufficientFunds
    expect(snapshot(d.svm, watched)).to.deep.equal(before);
  });

  it("refuses a buyer that did not sign (MissingSigner)", async () => {
    const { ix: rfw, execution } = await d.reserveFromWalletIx(buyer, 1n, 1_000n);
    await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, execution], "MissingSigner", () =>
      d.send(d.router, [unsigned(rfw, buyer.wallet.address)]),
    );
  });

  it("refuses another wallet reserving into the buyer's balance (WrongBuyer)", async () => {
    await d.deposit(buyer, 5_000n);
    const thief = await d.newBuyer(10_000n);
    const { ix: rfw, execution } = await d.reserveFromWalletIx({ ...thief, balance: buyer.balance }, 1n, 1_000n);
    await expectRefused(d.svm, [buyer.balance, thief.tokens, d.vault, execution], "WrongBuyer", () =>
      d.send(thief.wallet, [rfw]),
    );
  });

  it("refuses a zero max burn (ZeroAmount)", async () => {
    const { ix: zero, execution } = await d.reserveFromWalletIx(buyer, 1n, 0n);
    await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, execution], "ZeroAmount", () =>
      d.send(buyer.wallet, [zero]),
    );
  });
});

describe("top_up", () => {
  let d: Deployment;
  let buyer: Buyer;
  let execution: Awaited<ReturnType<Deployment["reserve"]>>["execution"];

  beforeEach(async () => {
    d = await Deployment.create();
    buyer = await d.newBuyer(1_000_000n);
    await d.deposit(buyer, 400_000n);
    ({ execution } = await d.reserve(buyer, 1n, 300_000n));
  });

  it("moves available balance into the execution's max burn", async () => {
    const r = await expectOk(d.send(buyer.wallet, [d.topUpIx(buyer, execution, 60_000n)]), "top up");
    expect(d.account("Balance", buyer.balance)).to.include({ available: 40_000n, reserved: 360_000n });
    expect(d.account("Execution", execution).maxBurn).to.equal(360_000n);
    expect(d.tokens(d.vault)).to.equal(400_000n);
    expect(eventOf(r, "ExecutionToppedUp")).to.deep.equal({ execution, amount: 60_000n, maxBurn: 360_000n });
    // Finalize releases the topped-up max burn as a whole.
    const bill = await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize");
    expect(eventOf(bill, "ExecutionFinalized")).to.include({ maxBurn: 360_000n, refund: 360_000n });
    expect(d.account("Balance", buyer.balance)).to.include({ available: 400_000n, reserved: 0n });
  });

  it("refuses more than the available balance (InsufficientBalance)", async () => {
    await expectRefused(d.svm, [buyer.balance, execution], "InsufficientBalance", () =>
      d.send(buyer.wallet, [d.topUpIx(buyer, execution, 100_001n)]),
    );
  });

  it("refuses a zero amount (ZeroAmount)", async () => {
    await expectRefused(d.svm, [buyer.balance, execution], "ZeroAmount", () =>
      d.send(buyer.wallet, [d.topUpIx(buyer, execution, 0n)]),
    );
  });

  it("refuses a buyer that did not sign (MissingSigner)", async () => {
    await expectRefused(d.svm, [buyer.balance, execution], "MissingSigner", async () =>
      d.send(d.router, [unsigned(await d.topUpIx(buyer, execution, 1n), buyer.wallet.address)]),
    );
  });

  it("refuses another wallet topping up with its balance or the buyer's (WrongBuyer)", async () => {
    const other = await d.newBuyer(1_000n);
    await d.deposit(other, 1_000n);
    // Its own balance into the buyer's execution.
    await expectRefused(d.svm, [other.balance, execution], "WrongBuyer", () =>
      d.send(other.wallet, [d.topUpIx(other, execution, 1n)]),
    );
    // The buyer's balance, signed by the other wallet.
    await expectRefused(d.svm, [buyer.balance, execution], "WrongBuyer", () =>
      d.send(other.wallet, [d.topUpIx({ ...buyer, wallet: other.wallet }, execution, 1n)]),
    );
  });

  it("refuses a settled execution (ExecutionSettled)", async () => {
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize");
    await expectRefused(d.svm, [buyer.balance, execution], "ExecutionSettled", () =>
      d.send(buyer.wallet, [d.topUpIx(buyer, execution, 1n)]),
    );
  });
});
