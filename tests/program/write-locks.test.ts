// Solana runs transactions in parallel per writable account: the money path must not
// write-lock a deployment-wide account for bookkeeping. Each instruction here runs with
// exactly the writable accounts docs/protocol.md ("Accounts each instruction writes")
// lists — the config read-only — and succeeds.
import { expect } from "chai";
import { AccountRole, type Address, type Instruction } from "@solana/kit";
import { END, Deployment, expectOk, type Buyer, type Operator, settle } from "../support/deployment.ts";

const WRITABLE = new Set([AccountRole.WRITABLE, AccountRole.WRITABLE_SIGNER]);

/** The writable accounts of `ix`, in order. */
const writable = (ix: Instruction): Address[] => (ix.accounts ?? []).filter((m) => WRITABLE.has(m.role)).map((m) => m.address);

describe("write locks", () => {
  let d: Deployment;
  let buyer: Buyer;
  let op: Operator;

  before(async () => {
    d = await Deployment.create();
    buyer = await d.newBuyer(1_000_000n);
    op = await d.newOperator({ H100: 10n });
  });

  /** Runs `ix` signed by `payer` and checks its writable accounts are exactly `expected`. */
  async function run(name: string, payer: Parameters<Deployment["send"]>[0], ix: Instruction, expected: Address[]) {
    expect(writable(ix), `${name}: writable accounts`).to.deep.equal(expected);
    expect(writable(ix), `${name}: the config is not write-locked`).to.not.include(d.config);
    await expectOk(d.send(payer, [ix]), name);
  }

  it("deposit, withdraw, reserve, top_up, assign, submit, finalize, rate, close, cancel and claim leave the config read-only", async () => {
    await d.deposit(buyer, 10n); // creates the balance
    await run("deposit", buyer.wallet, await d.depositIx(buyer, 500_000n), [buyer.wallet.address, buyer.balance, buyer.tokens, d.vault]);
    await run("withdraw", buyer.wallet, await d.withdrawIx(buyer, 10n), [buyer.balance, d.vault, buyer.tokens]);
    const { ix: reserve, execution } = await d.reserveIx(buyer, 1n, 100_000n);
    await run("reserve", buyer.wallet, reserve, [buyer.wallet.address, buyer.balance, execution]);
    await run("top_up", buyer.wallet, await d.topUpIx(buyer, execution, 1_000n), [buyer.balance, execution]);
    await run("assign_segment", d.router, d.assignIx(execution, 0, op, "H100"), [execution, op.address]);
    const [pre, submit] = await d.submitIxs(execution, [{ op, segment: 0, sku: "H100", units: 100n, seq: 1 }]);
    expect(writable(submit)).to.deep.equal([execution, op.address]);
    await expectOk(d.send(d.router, [pre, submit]), "submit_receipts");
    await run("finalize", d.router, await d.finalizeIx(execution, d.router, buyer, { reason: END.completed }), [execution, buyer.balance, op.address]);
    await run("rate", buyer.wallet, d.rateIx(execution, buyer, op, 5), [execution, op.address]);
    await run("close", buyer.wallet, d.closeIx(execution, buyer.wallet, buyer.wallet.address), [execution, buyer.wallet.address]);
    const { execution: idle } = await d.reserve(buyer, 2n, 1_000n);
    await run("cancel", buyer.wallet, await d.cancelIx(idle, buyer), [idle, buyer.balance]);
    await run("claim", op.authority, await d.claimIx(op, 900n), [op.address, d.vault, op.payout]);
  });

  it("finalize with any other reason writes only the execution and the balance", async () => {
    const { execution } = await d.reserve(buyer, 3n, 10_000n);
    await d.assign(execution, 0, op, "H100");
    await settle(d, execution, [{ op, segment: 0, sku: "H100", units: 10n, seq: 1 }]);
    await run("finalize (preempted)", d.router, await d.finalizeIx(execution, d.router, buyer, { reason: END.preempted }), [execution, buyer.balance]);
  });
});
