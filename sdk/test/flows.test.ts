// Every flow over RPC against the compiled program: the happy path of a whole execution on two
// operators, and refusals that must send nothing (fail-closed reserve) or map to the program's
// typed error with its logs.
import { expect } from "chai";
import { generateKeyPairSigner, type Address, type KeyPairSigner, type Signature } from "@solana/kit";
import {
  assignSegment, cancel, claim, close, deposit, EndReason, finalize, OperatorStatus, rate, registerOperator,
  reserve, reserveFromWallet, rotateKey, setOperatorStatus, setPaused, setRates, submitReceipts, topUp, withdraw, withdrawFees,
} from "../src/flows/index.ts";
import { ArknetError, isArknetError } from "../src/errors.ts";
import { readExecution, readBalance, readOperator, tokenBalance } from "../src/read/accounts.ts";
import { signReceipt, type SignedReceipt } from "../src/receipts/index.ts";
import { operatorAddress } from "../src/pdas.ts";
import { requireCluster } from "./support/cluster.ts";
import { newWallet, testDeployment, type TestDeployment } from "./support/escrow.ts";


describe("flows over RPC", function () {
  let t: TestDeployment;
  let buyer: { wallet: KeyPairSigner; tokenAccount: Address };
  const ops: { authority: KeyPairSigner; key: KeyPairSigner; operator: Address }[] = [];

  before(async function () {
    requireCluster(this);
    t = await testDeployment();
    buyer = await newWallet(t, 10_000_000_000n);
  });

  it("registers two operators co-signed by their receipt keys, with rates, and the admin activates them", async () => {
    for (const rates of [[{ sku: "H100", price: 2_000n }, { sku: "A100", price: 1_000n }], [{ sku: "RTX5090", price: 500n }]]) {
      const authority = (await newWallet(t)).wallet;
      const key = await generateKeyPairSigner();
      const { operator } = await registerOperator(t.client, t.deployment, { authority, signingKey: key, rates });
      await setOperatorStatus(t.client, t.deployment, { admin: t.admin, operator, status: OperatorStatus.Active });
      ops.push({ authority, key, operator });
    }
    const op = await readOperator(t.client.rpc, t.deployment, ops[0].authority.address);
    expect(op!.signingKey).to.equal(ops[0].key.address);
    expect(op!.status).to.equal(1);
    expect(op!.rateCount).to.equal(2);
  });

  it("deposits and withdraws; reserve fails closed before sending when the balance is short", async () => {
    await deposit(t.client, t.deployment, { depositor: buyer.wallet, amount: 5_000_000n });
    await withdraw(t.client, t.deployment, { buyer: buyer.wallet, amount: 1_000_000n });
    const bal = await readBalance(t.client.rpc, t.deployment, buyer.wallet.address);
    expect(bal!.available).to.equal(4_000_000n);
    const lamportsBefore = (await t.client.rpc.getBalance(buyer.wallet.address).send()).value;
    const err = await reserve(t.client, t.deployment, { buyer: buyer.wallet, maxBurn: 4_000_001n, durationSecs: 60n }).catch((e) => e);
    expect(isArknetError(err, "InsufficientBalance"), String(err)).to.equal(true);
    expect((err as ArknetError).source).to.equal("client");
    expect((await t.client.rpc.getBalance(buyer.wallet.address).send()).value).to.equal(lamportsBefore); // no fee: nothing sent
  });

  let execution: Address;
  let receipts: SignedReceipt[];

  it("reserves, tops up and assigns two segments with max price and budget", async () => {
    const r = await reserve(t.client, t.deployment, { buyer: buyer.wallet, maxBurn: 3_000_000n, durationSecs: 600n, priceCaps: [{ sku: "H100", maxPrice: 2_500n }] });
    execution = r.execution;
    expect(r.executionId).to.equal(1n);
    await topUp(t.client, t.deployment, { buyer: buyer.wallet, execution, amount: 500_000n });
    const s0 = await assignSegment(t.client, t.deployment, { router: t.router, execution, operator: ops[0].operator, sku: "H100", maxPrice: 2_000n });
    const s1 = await assignSegment(t.client, t.deployment, { router: t.router, execution, operator: ops[1].operator, sku: "RTX5090", maxPrice: 600n, budget: 200_000n });
    expect([s0.segmentIndex, s1.segmentIndex]).to.deep.equal([0, 1]);
    const ex = await readExecution(t.client.rpc, execution, t.deployment.programAddress);
    expect(ex.maxBurn).to.equal(3_500_000n);
    expect(ex.segments[0].price).to.equal(2_000n);
    expect(ex.segments[1].budget).to.equal(200_000n);
  });

  it("maps a program refusal to its typed error, message and logs (assign above the router's max price)", async () => {
    const err = await assignSegment(t.client, t.deployment, { router: t.router, execution, operator: ops[0].operator, sku: "H100", maxPrice: 1_999n }).catch((e) => e);
    expect(isArknetError(err, "RateAboveMaxPrice"), String(err)).to.equal(true);
    expect(err.source).to.equal("program");
    expect(err.code).to.be.a("number");
    expect(err.logs.join("\n")).to.include(t.deployment.programAddress);
  });

  it("submits 12 cumulative receipts from two operators packed into few transactions", async () => {
    receipts = [];
    for (let seq = 1; seq <= 6; seq++) {
      receipts.push(await signReceipt(ops[0].key, { execution, segment: 0, sku: "H100", cumulativeUnits: 100n * BigInt(seq), sequence: seq }));
      receipts.push(await signReceipt(ops[1].key, { execution, segment: 1, sku: "RTX5090", cumulativeUnits: 50n * BigInt(seq), sequence: seq }));
    }
    const result = await submitReceipts(t.client, t.deployment, { feePayer: t.router, execution, receipts });
    console.log(`      receipts per transaction: ${result.batchSizes.join(", ")}`);
    expect(result.batchSizes.reduce((a, b) => a + b, 0)).to.equal(12);
    expect(Math.max(...result.batchSizes)).to.be.at.least(5);
    const ex = await readExecution(t.client.rpc, execution, t.deployment.programAddress);
    expect(ex.segments[0].settledUnits).to.equal(600n);
    expect(ex.segments[1].settledUnits).to.equal(300n);
    expect(ex.consumed).to.equal(600n * 2_000n + 300n * 500n);
  });

  it("a rotated-out key's receipts are refused as the program's error", async () => {
    const newKey = await generateKeyPairSigner();
    await rotateKey(t.client, t.deployment, { authority: ops[1].authority, newSigningKey: newKey });
    const stale = await signReceipt(ops[1].key, { execution, segment: 1, sku: "RTX5090", cumulativeUnits: 400n, sequence: 7 });
    const err = await submitReceipts(t.client, t.deployment, { feePayer: t.router, execution, receipts: [stale] }).catch((e) => e);
    expect(err).to.be.instanceOf(ArknetError);
    expect(err.source, err.message).to.equal("program");
    ops[1].key = newKey;
  });

  it("finalizes as completed, rates, closes, claims and sweeps fees", async () => {
    const before = await readBalance(t.client.rpc, t.deployment, buyer.wallet.address);
    await finalize(t.client, t.deployment, { authority: t.router, execution, reason: EndReason.Completed });
    const after = await readBalance(t.client.rpc, t.deployment, buyer.wallet.address);
    const consumed = 600n * 2_000n + 300n * 500n;
    expect(after!.available - before!.available).to.equal(3_500_000n - consumed);
    await rate(t.client, t.deployment, { buyer: buyer.wallet, execution, operator: ops[0].operator, stars: 5 });
    const badStars = await rate(t.client, t.deployment, { buyer: buyer.wallet, execution, operator: ops[1].operator, stars: 6 }).catch((e) => e);
    expect(isArknetError(badStars, "InvalidRating")).to.equal(true);
    await close(t.client, t.deployment, { authority: buyer.wallet, execution });
    expect((await t.client.rpc.getAccountInfo(execution).send()).value).to.equal(null);
    const op0 = await readOperator(t.client.rpc, t.deployment, ops[0].authority.address);
    expect(op0!.ratingSum).to.equal(5n);
    await claim(t.client, t.deployment, { authority: ops[0].authority, amount: op0!.claimable });
    const ata0 = (await import("../src/flows/tokens.ts")).associatedTokenAccount;
    expect(await tokenBalance(t.client.rpc, await ata0(ops[0].authority.address, t.deployment.mint, t.deployment.tokenProgram)) === op0!.claimable).to.equal(true);
    const sweep = [ops[0].operator, ops[1].operator];
    const fees = op0!.feesOwed + (await readOperator(t.client.rpc, t.deployment, ops[1].authority.address))!.feesOwed;
    expect(fees > 0n, `fees ${fees}`).to.equal(true);
    await withdrawFees(t.client, t.deployment, { admin: t.admin, amount: fees, sweep });
    expect(await tokenBalance(t.client.rpc, t.deployment.treasury)).to.equal(fees);
  });

  it("reserves from the wallet and cancels for a full refund; paused refuses reserve", async () => {
    const tokensBefore = await tokenBalance(t.client.rpc, buyer.tokenAccount);
    const r = await reserveFromWallet(t.client, t.deployment, { buyer: buyer.wallet, maxBurn: 700_000n, durationSecs: 60n });
    expect(await tokenBalance(t.client.rpc, buyer.tokenAccount)).to.equal(tokensBefore - 700_000n);
    const before = await readBalance(t.client.rpc, t.deployment, buyer.wallet.address);
    await cancel(t.client, t.deployment, { buyer: buyer.wallet, execution: r.execution });
    const after = await readBalance(t.client.rpc, t.deployment, buyer.wallet.address);
    expect(after!.available - before!.available).to.equal(700_000n);
    await setPaused(t.client, t.deployment, { admin: t.admin, paused: true });
    const err = await reserve(t.client, t.deployment, { buyer: buyer.wallet, maxBurn: 1n, durationSecs: 60n }).catch((e) => e);
    expect(isArknetError(err, "ProgramPaused"), String(err)).to.equal(true);
    await setPaused(t.client, t.deployment, { admin: t.admin, paused: false });
  });

  it("sets rates and reads back the compute-unit limit from simulation × 1.1", async () => {
    const { signature } = await setRates(t.client, t.deployment, { authority: ops[1].authority, rates: [{ sku: "L4", price: 100n }] });
    const op1 = await readOperator(t.client.rpc, t.deployment, ops[1].authority.address);
    expect(op1!.rates.slice(0, op1!.rateCount).some((r) => r.price === 100n)).to.equal(true);
    const tx = await t.client.rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
    const msg = tx!.transaction.message;
    const budget = msg.instructions.find((ix) => msg.accountKeys[ix.programIdIndex] === "ComputeBudget111111111111111111111111111111");
    const data = Buffer.from((await import("@solana/kit")).getBase58Encoder().encode(budget!.data));
    expect(data[0]).to.equal(2); // SetComputeUnitLimit
    const limit = data.readUInt32LE(1);
    const consumed = Number(tx!.meta!.computeUnitsConsumed);
    expect(limit).to.be.at.least(consumed);
    expect(limit).to.be.at.most(Math.ceil(consumed * 1.1) + 10);
    expect(await operatorAddress(t.deployment.config, ops[1].authority.address, t.deployment.programAddress)).to.equal(ops[1].operator);
  });
});
