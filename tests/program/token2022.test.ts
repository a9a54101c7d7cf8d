// A deployment on a Token-2022 mint runs the whole flow (deposit, reserve, assign,
// settle, finalize, claim, withdraw_fees) with the same accounting as SPL Token, and
// refuses the other token program.
import { expect } from "chai";
import { Deployment, expectOk, type Buyer, type Operator, openExecution, settle } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from "../support/tokens.ts";
import { eventOf } from "../support/events.ts";
import { replaceAccount } from "../support/mutate.ts";

describe("Token-2022 deployment", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;

  beforeEach(async () => {
    d = await Deployment.create({ tokenProgram: TOKEN_2022_PROGRAM_ADDRESS, feeBps: 250, decimals: 9 });
    buyer = await d.newBuyer(1_000_000n);
    op = await d.newOperator({ H100: 40n });
  });

  it("records the Token-2022 program and the mint's decimals", () => {
    expect(d.svm.getAccount(d.mint)).to.include({ exists: true, programAddress: TOKEN_2022_PROGRAM_ADDRESS });
    expect(d.account("Config", d.config)).to.include({ tokenProgram: TOKEN_2022_PROGRAM_ADDRESS, decimals: 9 });
  });

  it("deposits, reserves, settles, finalizes, claims and withdraws fees", async () => {
    const execution = await openExecution(d, buyer, op, "H100", { maxBurn: 100_000n, deposit: 300_000n });
    expect(d.tokens(d.vault)).to.equal(300_000n);
    expect(d.tokens(buyer.tokens)).to.equal(700_000n);

    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 1_000n, seq: 1 }]);
    const bill = await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize");
    expect(eventOf(bill, "ExecutionFinalized")).to.include({ consumed: 40_000n, fee: 1_000n, refund: 60_000n });
    expect(d.account("Balance", buyer.balance)).to.include({ available: 260_000n, reserved: 0n });

    const claim = await expectOk(d.send(op.authority, [d.claimIx(op, 39_000n)]), "claim");
    expect(eventOf(claim, "Claimed")).to.include({ amount: 39_000n, claimable: 0n });
    expect(d.tokens(op.payout)).to.equal(39_000n);
    await expectOk(d.send(d.admin, [d.withdrawFeesIx(1_000n, d.treasury, d.admin, [op.address])]), "withdraw fees");
    expect(d.tokens(d.treasury)).to.equal(1_000n);
    await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, 260_000n)]), "withdraw");
    expect(d.tokens(buyer.tokens)).to.equal(960_000n);
    expect(d.tokens(d.vault)).to.equal(0n);
  });

  it("reserves from the wallet", async () => {
    const { ix: reserve, execution } = await d.reserveFromWalletIx(buyer, 1n, 50_000n);
    await expectOk(d.send(buyer.wallet, [reserve]), "reserve from wallet");
    expect(d.tokens(d.vault)).to.equal(50_000n);
    expect(d.account("Execution", execution).maxBurn).to.equal(50_000n);
  });

  it("refuses the SPL Token program (InvalidTokenProgram)", async () => {
    await d.deposit(buyer, 1_000n);
    const viaSplToken = replaceAccount(await d.withdrawIx(buyer, 1_000n), TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS);
    await expectRefused(d.svm, [buyer.balance, buyer.tokens, d.vault, d.config], "InvalidTokenProgram", () =>
      d.send(buyer.wallet, [viaSplToken]),
    );
  });
});
