// The instruction builders (`*Instructions`) put the right account in every slot: each
// instruction's accounts checked against the IDL (order, signer, writable) and against the
// addresses the deployment and the PDA derivations say, for a program at another address than
// the IDL's (so no builder falls back to the IDL's program id), offline; then, over RPC, the
// instructions a flow sent read back from its transaction equal what its builder builds.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { AccountRole, generateKeyPairSigner, getBase58Encoder, isSignerRole, isWritableRole, type Address, type Instruction, type KeyPairSigner, type Signature } from "@solana/kit";
import { COMPUTE_BUDGET_PROGRAM_ADDRESS } from "@solana-program/compute-budget";
import { IDL_PATH } from "../scripts/generate.ts";
import type { DeploymentAccounts } from "../src/deployment.ts";
import { programDataAddress } from "../src/deploy/loaderAccounts.ts";
import * as flows from "../src/flows/index.ts";
import { associatedTokenAccount } from "../src/flows/tokens.ts";
import { balanceAddress, configAddress, executionAddress, operatorAddress } from "../src/pdas.ts";
import { signReceipt } from "../src/receipts/sign.ts";
import { ED25519_PROGRAM, INSTRUCTIONS_SYSVAR } from "../src/program.ts";
import { requireCluster } from "./support/cluster.ts";
import { newWallet, testDeployment, type TestDeployment } from "./support/escrow.ts";

type IdlAccount = { name: string; writable?: boolean; signer?: boolean; address?: string };
type IdlInstruction = { name: string; discriminator: number[]; accounts: IdlAccount[] };
const idl: { instructions: IdlInstruction[] } = JSON.parse(readFileSync(IDL_PATH, "utf8"));

/** Checks `ix` is the IDL's `name` with `slots` (IDL account name → address), then `remaining` writable. */
function expectSlots(ix: Instruction, programAddress: Address, name: string, slots: Record<string, Address>, remaining: Address[] = []) {
  const spec = idl.instructions.find((i) => i.name === name)!;
  expect(ix.programAddress, `${name}: program`).to.equal(programAddress);
  expect([...ix.data!.slice(0, 8)], `${name}: discriminator`).to.deep.equal(spec.discriminator);
  const accounts = ix.accounts ?? [];
  expect(accounts.length, `${name}: account count`).to.equal(spec.accounts.length + remaining.length);
  spec.accounts.forEach((a, i) => {
    const want = (a.address as Address | undefined) ?? slots[a.name];
    expect(want, `${name}: test names no address for ${a.name}`).to.be.a("string");
    expect(accounts[i].address, `${name}: ${a.name}`).to.equal(want);
    expect(isSignerRole(accounts[i].role), `${name}: ${a.name} signer`).to.equal(!!a.signer);
    expect(isWritableRole(accounts[i].role), `${name}: ${a.name} writable`).to.equal(!!a.writable);
  });
  remaining.forEach((address, i) => expect(accounts[spec.accounts.length + i], `${name}: remaining ${i}`).to.deep.equal({ address, role: AccountRole.WRITABLE }));
}

describe("instruction builders", () => {
  let d: DeploymentAccounts;
  let admin: KeyPairSigner, user: KeyPairSigner, other: KeyPairSigner, key: KeyPairSigner;
  let addr: Address[];
  const salt = new Uint8Array(32).fill(7);

  before(async () => {
    [admin, user, other, key] = await Promise.all([1, 2, 3, 4].map(() => generateKeyPairSigner()));
    addr = (await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => generateKeyPairSigner()))).map((s) => s.address);
    const programAddress = addr[0];
    d = { programAddress, config: (await configAddress(salt, programAddress))[0], mint: addr[1], vault: addr[2], treasury: addr[3], tokenProgram: addr[4] };
  });

  const balanceOf = (owner: Address) => balanceAddress(d.config, owner, d.programAddress);
  const operatorOf = (owner: Address) => operatorAddress(d.config, owner, d.programAddress);

  it("initialize: creates the vault and treasury associated accounts by default, the config from the salt", async () => {
    const { instructions, config } = await flows.initializeInstructions({ admin, programAddress: d.programAddress, mint: d.mint, tokenProgram: d.tokenProgram, router: addr[5], salt, feeBps: 250 });
    expect(config).to.equal(d.config);
    expect(instructions).to.have.length(3);
    const vault = await associatedTokenAccount(d.config, d.mint, d.tokenProgram);
    const treasury = await associatedTokenAccount(admin.address, d.mint, d.tokenProgram);
    expect(instructions[0].accounts![1].address, "vault ATA created").to.equal(vault);
    expect(instructions[1].accounts![1].address, "treasury ATA created").to.equal(treasury);
    expectSlots(instructions[2], d.programAddress, "initialize", {
      admin: admin.address, config: d.config, mint: d.mint, vault, treasury, router: addr[5], token_program: d.tokenProgram, program_data: await programDataAddress(d.programAddress),
    });
    const given = await flows.initializeInstructions({ admin, programAddress: d.programAddress, mint: d.mint, tokenProgram: d.tokenProgram, router: addr[5], salt, feeBps: 250, vault: d.vault, treasury: d.treasury });
    expect(given.instructions, "named vault and treasury: nothing created").to.have.length(1);
    expect(given.instructions[0].accounts!.slice(3, 5).map((a) => a.address)).to.deep.equal([d.vault, d.treasury]);
  });

  it("admin setters and operator status", () => {
    const slots = { admin: admin.address, config: d.config };
    expectSlots(flows.setFeeInstructions(d, { admin, feeBps: 1 })[0], d.programAddress, "set_fee", slots);
    expectSlots(flows.setPausedInstructions(d, { admin, paused: true })[0], d.programAddress, "set_paused", slots);
    expectSlots(flows.setRouterInstructions(d, { admin, router: addr[5] })[0], d.programAddress, "set_router", slots);
    expectSlots(flows.setTimingInstructions(d, { admin, expiryGraceSecs: 1n, settlementWindowSecs: 1n, minDurationSecs: 1n, reviewWindowSecs: 1n })[0], d.programAddress, "set_timing", slots);
    expectSlots(flows.setTreasuryInstructions(d, { admin, treasury: addr[5] })[0], d.programAddress, "set_treasury", { ...slots, treasury: addr[5] });
    expectSlots(flows.proposeAdminInstructions(d, { admin, newAdmin: user.address })[0], d.programAddress, "propose_admin", slots);
    expectSlots(flows.acceptAdminInstructions(d, { newAdmin: user })[0], d.programAddress, "accept_admin", { new_admin: user.address, config: d.config });
    expectSlots(flows.setOperatorStatusInstructions(d, { admin, operator: addr[5], status: 1 })[0], d.programAddress, "set_operator_status", { ...slots, operator: addr[5] });
  });

  it("operator: register with rates, set rates, rotate key, claim", async () => {
    const operator = await operatorOf(user.address);
    const reg = await flows.registerOperatorInstructions(d, { authority: user, signingKey: key, rates: [{ sku: "H100", price: 5n }] });
    expect(reg.operator).to.equal(operator);
    expect(reg.instructions).to.have.length(2);
    expectSlots(reg.instructions[0], d.programAddress, "register_operator", { authority: user.address, config: d.config, operator, signing_key: key.address });
    expectSlots(reg.instructions[1], d.programAddress, "set_operator_rate", { authority: user.address, operator });
    const [rates] = await flows.setRatesInstructions(d, { authority: user, rates: [{ sku: "H100", price: 5n }] });
    expect(rates).to.deep.equal(reg.instructions[1]);
    expectSlots((await flows.rotateKeyInstructions(d, { authority: user, newSigningKey: key }))[0], d.programAddress, "rotate_operator_key", { authority: user.address, operator, new_signing_key: key.address });
    const claim = await flows.claimInstructions(d, { authority: user, amount: 1n, destination: addr[5] });
    expect(claim).to.have.length(1);
    expectSlots(claim[0], d.programAddress, "claim", { authority: user.address, config: d.config, operator, vault: d.vault, destination: addr[5], mint: d.mint, token_program: d.tokenProgram });
    const byDefault = await flows.claimInstructions(d, { authority: user, amount: 1n });
    expect(byDefault, "payout ATA created first").to.have.length(2);
    expect(byDefault[1].accounts![4].address).to.equal(await associatedTokenAccount(user.address, d.mint, d.tokenProgram));
  });

  it("buyer funds: deposit (own or sponsored), withdraw", async () => {
    const own = await flows.depositInstructions(d, { depositor: user, amount: 1n });
    const source = await associatedTokenAccount(user.address, d.mint, d.tokenProgram);
    const funds = { config: d.config, vault: d.vault, mint: d.mint, token_program: d.tokenProgram };
    expectSlots(own[0], d.programAddress, "deposit", { ...funds, depositor: user.address, buyer: user.address, balance: await balanceOf(user.address), source });
    const sponsored = await flows.depositInstructions(d, { depositor: other, buyer: user.address, source: addr[5], amount: 1n });
    expectSlots(sponsored[0], d.programAddress, "deposit", { ...funds, depositor: other.address, buyer: user.address, balance: await balanceOf(user.address), source: addr[5] });
    const [withdraw] = await flows.withdrawInstructions(d, { buyer: user, amount: 1n, destination: addr[5] });
    expectSlots(withdraw, d.programAddress, "withdraw", { ...funds, buyer: user.address, balance: await balanceOf(user.address), destination: addr[5] });
  });

  it("execution: reserve (another payer), reserve from wallet, top up, assign, cancel, rate, close", async () => {
    const { address: execution } = await executionAddress(d.config, user.address, 9n, d.programAddress);
    const balance = await balanceOf(user.address);
    const r = await flows.reserveInstructions(d, { buyer: user, payer: other, executionId: 9n, maxBurn: 10n, durationSecs: 60n, priceCaps: [{ sku: "H100", maxPrice: 3n }] });
    expect(r.execution).to.equal(execution);
    expectSlots(r.instructions[0], d.programAddress, "reserve", { payer: other.address, buyer: user.address, config: d.config, balance, execution });
    const w = await flows.reserveFromWalletInstructions(d, { buyer: user, executionId: 9n, maxBurn: 10n, durationSecs: 60n, source: addr[5] });
    expectSlots(w.instructions[0], d.programAddress, "reserve_from_wallet", {
      payer: user.address, buyer: user.address, config: d.config, balance, execution, source: addr[5], vault: d.vault, mint: d.mint, token_program: d.tokenProgram,
    });
    expectSlots((await flows.topUpInstructions(d, { buyer: user, execution, amount: 1n }))[0], d.programAddress, "top_up", { buyer: user.address, config: d.config, balance, execution });
    expectSlots(flows.assignSegmentInstructions(d, { router: admin, execution, operator: addr[6], sku: "H100", maxPrice: 1n, segmentIndex: 0 })[0], d.programAddress, "assign_segment", {
      router: admin.address, execution, operator: addr[6],
    });
    expectSlots((await flows.cancelInstructions(d, { buyer: user, execution }))[0], d.programAddress, "cancel", { buyer: user.address, execution, balance });
    expectSlots(flows.rateInstructions(d, { buyer: user, execution, operator: addr[6], stars: 5 })[0], d.programAddress, "rate", { buyer: user.address, execution, operator: addr[6] });
    expectSlots(flows.closeInstructions(d, { authority: admin, execution, rentPayer: other.address })[0], d.programAddress, "close", { authority: admin.address, execution, rent_payer: other.address });
  });

  it("settlement: submit receipts (operators in first-use order), finalize with paid operators, withdraw fees with a sweep", async () => {
    const { address: execution } = await executionAddress(d.config, user.address, 1n, d.programAddress);
    const receipts = await Promise.all([0, 1, 0].map((segment, i) => signReceipt(key, { execution, segment, sku: "H100", cumulativeUnits: 10n, sequence: i + 1 })));
    const [precompile, submit] = flows.submitReceiptsInstructions(d, execution, receipts, (segment) => addr[5 + segment]);
    expect(precompile.programAddress).to.equal(ED25519_PROGRAM);
    expectSlots(submit, d.programAddress, "submit_receipts", { execution, instructions_sysvar: INSTRUCTIONS_SYSVAR, operator: addr[5] }, [addr[6]]);
    const [finalize] = await flows.finalizeInstructions(d, { authority: admin, execution, buyer: user.address, reason: 1, paidOperators: [addr[5], addr[6]] });
    expectSlots(finalize, d.programAddress, "finalize", { authority: admin.address, execution, balance: await balanceOf(user.address) }, [addr[5], addr[6]]);
    const [fees] = flows.withdrawFeesInstructions(d, { admin, amount: 1n, sweep: [addr[6]] });
    expectSlots(fees, d.programAddress, "withdraw_fees", { admin: admin.address, config: d.config, vault: d.vault, treasury: d.treasury, mint: d.mint, token_program: d.tokenProgram }, [addr[6]]);
  });
});

describe("flows send what their builders build", function () {
  let t: TestDeployment;
  before(async function () {
    requireCluster(this);
    t = await testDeployment();
  });

  /** The escrow and token instructions of a sent transaction (compute-budget ones left out), as built. */
  async function sentInstructions(signature: Signature) {
    const tx = await t.client.rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
    const keys = tx!.transaction.message.accountKeys;
    return tx!.transaction.message.instructions
      .map((ix) => ({ programAddress: keys[ix.programIdIndex], accounts: ix.accounts.map((i) => keys[i]), data: [...getBase58Encoder().encode(ix.data)] }))
      .filter((ix) => ix.programAddress !== COMPUTE_BUDGET_PROGRAM_ADDRESS);
  }
  const asSent = (ixs: Instruction[]) => ixs.map((ix) => ({ programAddress: ix.programAddress, accounts: (ix.accounts ?? []).map((a) => a.address), data: [...(ix.data ?? [])] }));

  it("deposit, then withdraw to the default destination (its associated account created first)", async () => {
    const { wallet } = await newWallet(t, 1_000n);
    const d = await flows.deposit(t.client, t.deployment, { depositor: wallet, amount: 700n });
    expect(await sentInstructions(d.signature)).to.deep.equal(asSent(await flows.depositInstructions(t.deployment, { depositor: wallet, amount: 700n })));
    const w = await flows.withdraw(t.client, t.deployment, { buyer: wallet, amount: 300n });
    const built = await flows.withdrawInstructions(t.deployment, { buyer: wallet, amount: 300n });
    expect(built).to.have.length(2);
    expect(await sentInstructions(w.signature)).to.deep.equal(asSent(built));
  });

  it("reserve: the flow's resolved execution id and its builder agree", async () => {
    const { wallet } = await newWallet(t, 1_000n);
    await flows.deposit(t.client, t.deployment, { depositor: wallet, amount: 500n });
    const r = await flows.reserve(t.client, t.deployment, { buyer: wallet, maxBurn: 400n, durationSecs: 60n, priceCaps: [{ sku: "H100", maxPrice: 9n }] });
    expect(r.executionId).to.equal(1n);
    const built = await flows.reserveInstructions(t.deployment, { buyer: wallet, maxBurn: 400n, durationSecs: 60n, executionId: 1n, priceCaps: [{ sku: "H100", maxPrice: 9n }] });
    expect(built.execution).to.equal(r.execution);
    expect(await sentInstructions(r.signature)).to.deep.equal(asSent(built.instructions));
  });
});
