// Attack class 4: re-initialising an account that already exists, to reset its state
// (a config with another admin or mint, an operator back to pending with claimable
// wiped, a balance back to zero, an execution with its receipts forgotten).
import { expect } from "chai";
import { expectRefused } from "../support/refusals.ts";
import { DEFAULT_TIMING, expectOk, newSigningKey } from "../support/deployment.ts";
import { createMint, createTokenAccount } from "../support/tokens.ts";
import { plantData, world, type World } from "./support.ts";
import { PROGRAM_ID } from "../support/svm.ts";
import { executionAddress } from "@arknet/escrow";

describe("security: re-initialisation", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("initialize twice, even with another mint, vault and router: AlreadyInitialized", async () => {
    const { d } = w;
    const mint = await createMint(d.svm, d.admin, 0);
    const vault = await createTokenAccount(d.svm, d.admin, mint, d.config);
    const treasury = await createTokenAccount(d.svm, d.admin, mint, d.admin.address);
    await expectRefused(d.svm, w.watched, "AlreadyInitialized", async () =>
      d.send(d.admin, [await d.initializeIx(0, { ...DEFAULT_TIMING, expiryGraceSecs: 0n, settlementWindowSecs: 0n }, { mint, vault, treasury, router: w.attacker.wallet.address })]),
    );
    await expectRefused(d.svm, w.watched, "AlreadyInitialized", async () => d.send(d.admin, [await d.initializeIx(250, 3600n)]));
  });

  it("register_operator twice keeps status, key, rates and claimable", async () => {
    const before = w.d.account("Operator", w.op.address);
    expect(before.claimable > 0n && before.status === 1).to.equal(true);
    const again = w.d.registerIx(w.op, await newSigningKey());
    await expectRefused(w.d.svm, w.watched, "AlreadyInitialized", () => w.d.send(w.op.authority, [again]));
  });

  it("deposit into an existing balance adds to it and resets nothing", async () => {
    const before = w.d.account("Balance", w.buyer.balance);
    expect(before.reserved > 0n && before.lastExecutionId === 2n).to.equal(true);
    await expectOk(w.d.send(w.attacker.wallet, [w.d.depositIx(w.buyer, 7n, w.attacker)]), "sponsored deposit");
    const after = w.d.account("Balance", w.buyer.balance);
    expect(after).to.deep.equal({
      ...before,
      available: before.available + 7n,
      totalDeposited: before.totalDeposited + 7n,
    });
  });

  it("reserve_from_wallet on an existing balance resets nothing either", async () => {
    const before = w.d.account("Balance", w.buyer.balance);
    const { ix: reserve } = await w.d.reserveFromWalletIx(w.buyer, w.nextId, 11n);
    await expectOk(w.d.send(w.buyer.wallet, [reserve]), "reserve_from_wallet");
    const after = w.d.account("Balance", w.buyer.balance);
    expect(after).to.deep.equal({
      ...before,
      reserved: before.reserved + 11n,
      totalDeposited: before.totalDeposited + 11n,
      lastExecutionId: w.nextId,
    });
  });

  it("reserve with the id of an open execution: ExecutionIdNotIncreasing", async () => {
    const { ix: reserve, execution } = await w.d.reserveIx(w.buyer, 2n, 1n);
    expect(execution).to.equal(w.execution);
    await expectRefused(w.d.svm, w.watched, "ExecutionIdNotIncreasing", () => w.d.send(w.buyer.wallet, [reserve]));
  });

  it("reserve with the id of a finalized execution, or any lower id: ExecutionIdNotIncreasing", async () => {
    for (const id of [0n, 1n]) {
      const { ix: reserve, execution } = await w.d.reserveIx(w.buyer, id, 1n);
      await expectRefused(w.d.svm, [...w.watched, execution], "ExecutionIdNotIncreasing", () => w.d.send(w.buyer.wallet, [reserve]));
      // Id 1 is the world's settled execution: still there, untouched (watched above).
      expect(w.d.exists(execution)).to.equal(id === 1n);
    }
  });

  it("an execution address that already holds a program account: AlreadyInitialized (defence in depth)", async () => {
    // Unreachable through instructions (ids only increase); the account is planted to
    // show the second check behind the id rule.
    const { address } = await executionAddress(w.d.config, w.buyer.wallet.address, w.nextId, PROGRAM_ID);
    plantData(w.d.svm, address, PROGRAM_ID, new Uint8Array(8));
    const { ix: reserve } = await w.d.reserveIx(w.buyer, w.nextId, 1n);
    await expectRefused(w.d.svm, [...w.watched, address], "AlreadyInitialized", () => w.d.send(w.buyer.wallet, [reserve]));
  });
});
