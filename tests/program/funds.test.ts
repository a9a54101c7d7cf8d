// Tokens in and out of the vault: deposit (own and sponsored), withdraw, claim and
// withdraw_fees. Each happy path checks the accounts it writes, the token amounts and
// the event decoded through the IDL; each refusal the exact program error with every
// account the instruction would have written unchanged.
import { expect } from "chai";
import { generateKeyPairSigner, type Address } from "@solana/kit";
import { Deployment, U64_MAX, expectOk, type Buyer, type Operator, openExecution, settle } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { createTokenAccount } from "../support/tokens.ts";
import { dataOf, lamportsOf, PROGRAM_ID } from "../support/svm.ts";
import { eventOf } from "../support/events.ts";
import { replaceAccount, unsigned } from "../support/mutate.ts";
import { findBalancePda } from "@arknet/escrow";

/** Overwrites the u64 at `offset` of the account body (after the 8-byte discriminator). */
function setU64(d: Deployment, at: Address, offset: number, value: bigint): void {
  const a = d.svm.getAccount(at);
  const data = new Uint8Array(dataOf(d.svm, at));
  new DataView(data.buffer).setBigUint64(8 + offset, value, true);
  d.svm.setAccount({ ...a, address: at, data } as any);
}

/**
 * A deployment with one settled receipt: 1,000 H100 units at 40 = 40,000 charged to an
 * open execution (max burn 100,000), fee 2.5% = 1,000, the operator earned 39,000.
 */
async function settledOnce() {
  const d = await Deployment.create({ feeBps: 250 });
  const buyer = await d.newBuyer(1_000_000n);
  const op = await d.newOperator({ H100: 40n });
  const execution = await openExecution(d, buyer, op, "H100", { maxBurn: 100_000n });
  await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 1_000n, seq: 1 }]);
  return { d, buyer, op, execution };
}

describe("deposit", () => {
  let d: Deployment;
  let buyer: Buyer;

  beforeEach(async () => {
    d = await Deployment.create();
    buyer = await d.newBuyer(1_000_000n);
  });

  it("creates the buyer's balance on first use and moves the tokens into the vault", async () => {
    expect(d.exists(buyer.balance)).to.equal(false);
    const r = await d.deposit(buyer, 300_000n);
    expect(d.account("Balance", buyer.balance)).to.include({
      config: d.config,
      buyer: buyer.wallet.address,
      available: 300_000n,
      reserved: 0n,
      totalDeposited: 300_000n,
      totalWithdrawn: 0n,
      lastExecutionId: 0n,
      bump: (await findBalancePda({ config: d.config, buyer: buyer.wallet.address }, { programAddress: PROGRAM_ID }))[1],
    });
    expect(d.tokens(d.vault)).to.equal(300_000n);
    expect(d.tokens(buyer.tokens)).to.equal(700_000n);
    expect(eventOf(r, "Deposited")).to.deep.equal({
      buyer: buyer.wallet.address,
      depositor: buyer.wallet.address,
      amount: 300_000n,
      available: 300_000n,
    });
  });

  it("adds to an existing balance", async () => {
    await d.deposit(buyer, 100_000n);
    const r = await d.deposit(buyer, 50_000n);
    expect(d.account("Balance", buyer.balance)).to.include({ available: 150_000n, totalDeposited: 150_000n });
    expect(d.tokens(d.vault)).to.equal(150_000n);
    expect(eventOf(r, "Deposited")).to.include({ amount: 50_000n, available: 150_000n });
  });

  it("takes a sponsored deposit into another buyer's balance; the sponsor cannot spend it", async () => {
    const sponsor = await d.newBuyer(500_000n);
    const buyerLamports = lamportsOf(d.svm, buyer.wallet.address);
    const r = await expectOk(d.send(sponsor.wallet, [d.depositIx(buyer, 200_000n, sponsor)]), "sponsored deposit");
    expect(d.account("Balance", buyer.balance)).to.include({ buyer: buyer.wallet.address, available: 200_000n });
    expect(d.exists(sponsor.balance)).to.equal(false);
    expect(d.tokens(sponsor.tokens)).to.equal(300_000n);
    expect(d.tokens(buyer.tokens)).to.equal(1_000_000n);
    // The sponsor paid the new balance's rent, not the buyer.
    expect(lamportsOf(d.svm, buyer.wallet.address)).to.equal(buyerLamports);
    expect(eventOf(r, "Deposited")).to.deep.equal({
      buyer: buyer.wallet.address,
      depositor: sponsor.wallet.address,
      amount: 200_000n,
      available: 200_000n,
    });

    const asSponsor = { ...buyer, wallet: sponsor.wallet };
    await expectRefused(d.svm, [buyer.balance, d.vault, sponsor.tokens, d.config], "WrongBuyer", () =>
      d.send(sponsor.wallet, [d.withdrawIx(asSponsor, 1n, sponsor.tokens)]),
    );
  });

  it("saturates total_deposited at u64::MAX instead of refusing the deposit", async () => {
    await d.deposit(buyer, 100n);
    setU64(d, buyer.balance, 64 + 16, U64_MAX - 5n); // Balance.totalDeposited
    await d.deposit(buyer, 10n);
    expect(d.account("Balance", buyer.balance)).to.include({ available: 110n, totalDeposited: U64_MAX });
    await d.deposit(buyer, 10n);
    expect(d.account("Balance", buyer.balance)).to.include({ available: 120n, totalDeposited: U64_MAX });
  });

  it("refuses a balance of another deployment (WrongDeployment)", async () => {
    const other = await Deployment.create({ svm: d.svm, admin: d.admin });
    const there = await other.newBuyer(1_000n, buyer.wallet);
    await other.deposit(there, 1_000n);
    const mixed = d.depositIx({ ...buyer, balance: there.balance }, 10n);
    await expectRefused(d.svm, [there.balance, buyer.tokens, d.vault], "WrongDeployment", () => d.send(buyer.wallet, [mixed]));
  });

  it("refuses a zero amount (ZeroAmount) and creates no balance", async () => {
    await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, d.config], "ZeroAmount", () =>
      d.send(buyer.wallet, [d.depositIx(buyer, 0n)]),
    );
    expect(d.exists(buyer.balance)).to.equal(false);
  });

  it("refuses a depositor that did not sign (MissingSigner)", async () => {
    const ixNoSig = unsigned(await d.depositIx(buyer, 10n), buyer.wallet.address);
    await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, d.config], "MissingSigner", () =>
      d.send(d.router, [ixNoSig]),
    );
  });

  it("refuses a balance account that is not the buyer's PDA (InvalidPda)", async () => {
    const other = await d.newBuyer(0n);
    const wrong = d.depositIx({ ...buyer, balance: other.balance }, 10n);
    await expectRefused(d.svm, [other.balance, buyer.balance, buyer.tokens, d.vault], "InvalidPda", () =>
      d.send(buyer.wallet, [wrong]),
    );
  });

  it("refuses a token account other than the configured vault (InvalidVault)", async () => {
    const other = await d.newBuyer(0n);
    const wrongVault = replaceAccount(await d.depositIx(buyer, 10n), d.vault, other.tokens);
    await expectRefused(d.svm, [buyer.balance, buyer.tokens, other.tokens, d.vault, d.config], "InvalidVault", () =>
      d.send(buyer.wallet, [wrongVault]),
    );
  });
});

describe("withdraw", () => {
  let d: Deployment;
  let buyer: Buyer;

  beforeEach(async () => {
    d = await Deployment.create();
    buyer = await d.newBuyer(1_000_000n);
    await d.deposit(buyer, 400_000n);
  });

  it("pays available tokens out to the buyer", async () => {
    const r = await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, 150_000n)]), "withdraw");
    expect(d.account("Balance", buyer.balance)).to.include({
      available: 250_000n,
      totalDeposited: 400_000n,
      totalWithdrawn: 150_000n,
    });
    expect(d.tokens(d.vault)).to.equal(250_000n);
    expect(d.tokens(buyer.tokens)).to.equal(750_000n);
    expect(eventOf(r, "Withdrawn")).to.deep.equal({
      buyer: buyer.wallet.address,
      destination: buyer.tokens,
      amount: 150_000n,
      available: 250_000n,
    });
  });

  it("pays to any token account of the mint", async () => {
    const elsewhere = await createTokenAccount(d.svm, d.admin, d.mint, (await generateKeyPairSigner()).address, d.tokenProgram);
    const r = await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, 400_000n, elsewhere)]), "withdraw");
    expect(d.tokens(elsewhere)).to.equal(400_000n);
    expect(d.account("Balance", buyer.balance).available).to.equal(0n);
    expect(eventOf(r, "Withdrawn")).to.include({ destination: elsewhere, available: 0n });
  });

  it("saturates total_withdrawn at u64::MAX instead of refusing the withdrawal", async () => {
    setU64(d, buyer.balance, 64 + 24, U64_MAX - 1n); // Balance.totalWithdrawn
    await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, 1_000n)]), "withdraw");
    expect(d.account("Balance", buyer.balance)).to.include({ available: 399_000n, totalWithdrawn: U64_MAX });
    expect(d.tokens(buyer.tokens)).to.equal(601_000n);
  });

  it("never pays out reserved tokens (InsufficientBalance)", async () => {
    await d.reserve(buyer, 1n, 300_000n);
    await expectRefused(d.svm, [buyer.balance, d.vault, buyer.tokens, d.config], "InsufficientBalance", () =>
      d.send(buyer.wallet, [d.withdrawIx(buyer, 100_001n)]),
    );
    await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, 100_000n)]), "withdraw the rest");
    expect(d.account("Balance", buyer.balance)).to.include({ available: 0n, reserved: 300_000n });
    expect(d.tokens(d.vault)).to.equal(300_000n);
  });

  it("refuses a zero amount (ZeroAmount)", async () => {
    await expectRefused(d.svm, [buyer.balance, d.vault, buyer.tokens, d.config], "ZeroAmount", () =>
      d.send(buyer.wallet, [d.withdrawIx(buyer, 0n)]),
    );
  });

  it("refuses the vault as destination (DestinationIsVault)", async () => {
    await expectRefused(d.svm, [buyer.balance, d.vault, d.config], "DestinationIsVault", () =>
      d.send(buyer.wallet, [d.withdrawIx(buyer, 1n, d.vault)]),
    );
  });

  it("refuses a buyer that did not sign (MissingSigner)", async () => {
    const thief = await d.newBuyer(0n);
    const ixNoSig = unsigned(await d.withdrawIx(buyer, 1n, thief.tokens), buyer.wallet.address);
    await expectRefused(d.svm, [buyer.balance, d.vault, thief.tokens, d.config], "MissingSigner", () =>
      d.send(thief.wallet, [ixNoSig]),
    );
  });

  it("refuses another wallet signing for the buyer's balance (WrongBuyer)", async () => {
    const thief = await d.newBuyer(0n);
    await expectRefused(d.svm, [buyer.balance, d.vault, thief.tokens, d.config], "WrongBuyer", () =>
      d.send(thief.wallet, [d.withdrawIx({ ...buyer, wallet: thief.wallet }, 1n, thief.tokens)]),
    );
  });
});

describe("claim", () => {
  let d: Deployment;
  let op: Operator;
  const earned = 39_000n;

  beforeEach(async () => {
    ({ d, op } = await settledOnce());
  });

  it("pays earned tokens to the operator's destination", async () => {
    expect(d.account("Operator", op.address).claimable).to.equal(earned);
    const r = await expectOk(d.send(op.authority, [d.claimIx(op, 30_000n)]), "claim");
    expect(d.account("Operator", op.address)).to.include({
      claimable: earned - 30_000n,
      totalEarned: earned,
      totalClaimed: 30_000n,
    });
    expect(d.tokens(op.payout)).to.equal(30_000n);
    expect(d.tokens(d.vault)).to.equal(100_000n - 30_000n);
    expect(eventOf(r, "Claimed")).to.deep.equal({
      operator: op.address,
      destination: op.payout,
      amount: 30_000n,
      claimable: earned - 30_000n,
    });
  });

  it("saturates total_claimed at u64::MAX instead of refusing the claim", async () => {
    setU64(d, op.address, 96 + 24, U64_MAX - 1n); // Operator.totalClaimed
    await expectOk(d.send(op.authority, [d.claimIx(op, earned)]), "claim");
    expect(d.account("Operator", op.address)).to.include({ claimable: 0n, totalClaimed: U64_MAX });
    expect(d.tokens(op.payout)).to.equal(earned);
  });

  it("refuses an operator of another deployment (WrongDeployment)", async () => {
    const other = await Deployment.create({ svm: d.svm, admin: d.admin });
    // Same authority registered in another deployment of the program: that deployment's
    // earnings cannot be claimed from this vault.
    const there = await other.newOperator({ H100: 1n }, true, op.authority);
    setU64(d, there.address, 96, 1_000n); // claimable, as if earned there
    const fromHere = d.claimIx({ ...op, address: there.address }, 1_000n);
    await expectRefused(d.svm, [there.address, d.vault, op.payout], "WrongDeployment", () => d.send(op.authority, [fromHere]));
  });

  it("refuses more than claimable (InsufficientClaimable), also after a full claim", async () => {
    const watched = [op.address, d.config, d.vault, op.payout];
    await expectRefused(d.svm, watched, "InsufficientClaimable", () =>
      d.send(op.authority, [d.claimIx(op, earned + 1n)]),
    );
    await expectOk(d.send(op.authority, [d.claimIx(op, earned)]), "claim all");
    expect(d.account("Operator", op.address).claimable).to.equal(0n);
    await expectRefused(d.svm, watched, "InsufficientClaimable", () => d.send(op.authority, [d.claimIx(op, 1n)]));
  });

  it("refuses a zero amount (ZeroAmount)", async () => {
    await expectRefused(d.svm, [op.address, d.config, d.vault, op.payout], "ZeroAmount", () =>
      d.send(op.authority, [d.claimIx(op, 0n)]),
    );
  });

  it("refuses the vault as destination (DestinationIsVault)", async () => {
    await expectRefused(d.svm, [op.address, d.config, d.vault], "DestinationIsVault", () =>
      d.send(op.authority, [d.claimIx(op, 1n, d.vault)]),
    );
  });

  it("refuses an authority that did not sign (MissingSigner)", async () => {
    const thief = await d.newBuyer(0n);
    const ixNoSig = unsigned(await d.claimIx(op, 1n, thief.tokens), op.authority.address);
    await expectRefused(d.svm, [op.address, d.config, d.vault, thief.tokens], "MissingSigner", () =>
      d.send(thief.wallet, [ixNoSig]),
    );
  });

  it("refuses another wallet claiming the operator's earnings (WrongAuthority)", async () => {
    const thief = await d.newBuyer(0n);
    const claimAsThief = d.claimIx({ ...op, authority: thief.wallet }, 1n, thief.tokens);
    await expectRefused(d.svm, [op.address, d.config, d.vault, thief.tokens], "WrongAuthority", () =>
      d.send(thief.wallet, [claimAsThief]),
    );
  });

  it("pays a suspended operator what it already earned", async () => {
    await expectOk(d.send(d.admin, [d.setStatusIx(op, 2)]), "suspend");
    await expectOk(d.send(op.authority, [d.claimIx(op, earned)]), "claim while suspended");
    expect(d.tokens(op.payout)).to.equal(earned);
    expect(d.account("Operator", op.address)).to.include({ status: 2, claimable: 0n });
  });
});

describe("withdraw_fees", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;
  const fees = 1_000n;

  beforeEach(async () => {
    let execution: Address;
    ({ d, buyer, op, execution } = await settledOnce());
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize");
  });

  it("sweeps the operators' fees owed into the config, then sends the amount to the treasury", async () => {
    // Settlement left the fee with the operator; finalize did not touch the config.
    expect(d.account("Operator", op.address).feesOwed).to.equal(fees);
    expect(d.account("Config", d.config).feesUnwithdrawn).to.equal(0n);
    const vaultBefore = d.tokens(d.vault);
    const r = await expectOk(d.send(d.admin, [d.withdrawFeesIx(600n, d.treasury, d.admin, [op.address])]), "withdraw fees");
    expect(d.account("Config", d.config).feesUnwithdrawn).to.equal(400n);
    expect(d.account("Operator", op.address)).to.include({ feesOwed: 0n, claimable: 39_000n });
    expect(d.tokens(d.treasury)).to.equal(600n);
    expect(d.tokens(d.vault)).to.equal(vaultBefore - 600n);
    expect(eventOf(r, "FeesWithdrawn")).to.deep.equal({ treasury: d.treasury, amount: 600n, feesUnwithdrawn: 400n });
    // The rest later, without sweeping again.
    await expectOk(d.send(d.admin, [d.withdrawFeesIx(400n)]), "the rest");
    expect(d.tokens(d.treasury)).to.equal(fees);
  });

  it("refuses more than the swept fees (InsufficientFees); unswept and open executions' fees cannot be taken", async () => {
    await expectRefused(d.svm, [d.config, d.vault, d.treasury, op.address], "InsufficientFees", () =>
      d.send(d.admin, [d.withdrawFeesIx(1n)]),
    );
    const open = await openExecution(d, buyer, op, "H100", { id: 2n, maxBurn: 50_000n });
    await settle(d, open, [{ op, segment: 0, sku: "H100", units: 500n, seq: 1 }]);
    expect(d.account("Execution", open).feesAccrued).to.equal(500n);
    expect(d.account("Operator", op.address).feesOwed).to.equal(fees + 500n);
    await expectRefused(d.svm, [d.config, d.vault, d.treasury, op.address], "InsufficientFees", () =>
      d.send(d.admin, [d.withdrawFeesIx(fees + 501n, d.treasury, d.admin, [op.address])]),
    );
  });

  it("refuses to sweep an operator of another deployment (WrongDeployment)", async () => {
    const other = await Deployment.create({ svm: d.svm, admin: d.admin });
    const foreign = await other.newOperator({ H100: 1n });
    await expectRefused(d.svm, [d.config, d.vault, foreign.address], "WrongDeployment", () =>
      d.send(d.admin, [d.withdrawFeesIx(1n, d.treasury, d.admin, [foreign.address])]),
    );
  });

  it("refuses any destination but the configured treasury (InvalidTreasury)", async () => {
    await expectRefused(d.svm, [d.config, d.vault, buyer.tokens, d.treasury], "InvalidTreasury", () =>
      d.send(d.admin, [d.withdrawFeesIx(1n, buyer.tokens)]),
    );
  });

  it("follows set_treasury: the old treasury is refused, the new one paid", async () => {
    const newTreasury = await createTokenAccount(d.svm, d.admin, d.mint, d.admin.address, d.tokenProgram);
    await expectOk(d.send(d.admin, [d.setTreasuryIx(newTreasury)]), "set treasury");
    await expectRefused(d.svm, [d.config, d.vault, d.treasury], "InvalidTreasury", () =>
      d.send(d.admin, [d.withdrawFeesIx(1n)]),
    );
    await expectOk(d.send(d.admin, [d.withdrawFeesIx(fees, newTreasury, d.admin, [op.address])]), "withdraw to the new treasury");
    expect(d.tokens(newTreasury)).to.equal(fees);
    expect(d.tokens(d.treasury)).to.equal(0n);
  });

  it("refuses a zero amount (ZeroAmount)", async () => {
    await expectRefused(d.svm, [d.config, d.vault, d.treasury], "ZeroAmount", () =>
      d.send(d.admin, [d.withdrawFeesIx(0n)]),
    );
  });

  it("refuses a signer other than the admin (Unauthorized)", async () => {
    await expectRefused(d.svm, [d.config, d.vault, d.treasury], "Unauthorized", () =>
      d.send(buyer.wallet, [d.withdrawFeesIx(1n, d.treasury, buyer.wallet)]),
    );
  });

  it("refuses an admin that did not sign (MissingSigner)", async () => {
    await expectRefused(d.svm, [d.config, d.vault, d.treasury], "MissingSigner", () =>
      d.send(buyer.wallet, [unsigned(d.withdrawFeesIx(1n), d.admin.address)]),
    );
  });
});
