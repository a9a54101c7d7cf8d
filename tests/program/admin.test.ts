// The admin's instructions: initialize (upgrade authority only, fee cap, vault and
// treasury checks), the two-step admin transfer and the config setters. Every setter
// refuses anyone but the admin and leaves the config byte-for-byte unchanged.
import { expect } from "chai";
import { generateKeyPairSigner, lamports, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import type { LiteSVM } from "litesvm";
import { DEFAULT_TIMING, Deployment, expectOk, newSalt, type Timing } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { createSvm, fundedSigner, send, PROGRAM_ID, dataOf, lamportsOf, rentExemptMinimum } from "../support/svm.ts";
import { TOKEN_PROGRAM_ADDRESS, createMint, createTokenAccount } from "../support/tokens.ts";
import { eventOf } from "../support/events.ts";
import { replaceAccount, unsigned } from "../support/mutate.ts";
import { SYSTEM_PROGRAM, configAddress, getConfigDecoder, initializeInstructions } from "@arknet/escrow";

const NO_ADMIN = "11111111111111111111111111111111";

describe("initialize", () => {
  let svm: LiteSVM;
  let admin: KeyPairSigner; // the program's upgrade authority
  let router: Address;
  let mint: Address;
  let config: Address;
  let vault: Address;
  let treasury: Address;
  let salt: Uint8Array;

  beforeEach(async () => {
    admin = await generateKeyPairSigner();
    svm = await createSvm(admin.address);
    svm.airdrop(admin.address, lamports(100_000_000_000n));
    router = (await generateKeyPairSigner()).address;
    mint = await createMint(svm, admin, 6);
    salt = newSalt();
    config = (await configAddress(salt, PROGRAM_ID))[0];
    vault = await createTokenAccount(svm, admin, mint, config);
    treasury = await createTokenAccount(svm, admin, mint, admin.address);
  });

  const TIMING: Timing = { expiryGraceSecs: 900n, settlementWindowSecs: 300n, minDurationSecs: 60n, reviewWindowSecs: 7_200n };

  /** initialize by the SDK's builder; `accounts` names another vault, treasury or token program. */
  async function initializeIx(feeBps: number, accounts: Partial<Record<"vault" | "treasury" | "tokenProgram", Address>> = {}, signer = admin, timing = TIMING) {
    const input = { admin: signer, programAddress: PROGRAM_ID, mint, vault, treasury, router, tokenProgram: TOKEN_PROGRAM_ADDRESS, salt, feeBps, ...timing, ...accounts };
    const { instructions } = await initializeInstructions(input);
    expect(instructions).to.have.length(1); // vault and treasury named: nothing else to create
    return instructions[0];
  }

  it("creates the config from the upgrade authority's call", async () => {
    const r = await expectOk(send(svm, admin, [await initializeIx(1_000)]), "initialize");
    const c = getConfigDecoder().decode(dataOf(svm, config));
    expect(c).to.include({
      admin: admin.address,
      pendingAdmin: NO_ADMIN,
      router,
      mint,
      vault,
      treasury,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
      expiryGraceSecs: 900n,
      settlementWindowSecs: 300n,
      minDurationSecs: 60n,
      reviewWindowSecs: 7_200n,
      feesUnwithdrawn: 0n,
      feeBps: 1_000,
      paused: 0,
      decimals: 6,
      bump: (await configAddress(salt, PROGRAM_ID))[1],
    });
    expect(c.salt).to.deep.equal(salt);
    expect(lamportsOf(svm, config)).to.equal(rentExemptMinimum(svm, config));
    expect(eventOf(r, "ConfigUpdated")).to.deep.equal({
      config,
      admin: admin.address,
      pendingAdmin: NO_ADMIN,
      router,
      treasury,
      feeBps: 1_000,
      paused: false,
      expiryGraceSecs: 900n,
      settlementWindowSecs: 300n,
      minDurationSecs: 60n,
      reviewWindowSecs: 7_200n,
    });
  });

  it("derives the config from the salt: a second salt is a second deployment of the same program", async () => {
    await expectOk(send(svm, admin, [await initializeIx(250)]), "initialize");
    const otherSalt = newSalt();
    const other = (await configAddress(otherSalt, PROGRAM_ID))[0];
    expect(other).to.not.equal(config);
    const otherVault = await createTokenAccount(svm, admin, mint, other);
    const deployment = { admin, programAddress: PROGRAM_ID, mint, treasury, router, tokenProgram: TOKEN_PROGRAM_ADDRESS, feeBps: 100, ...TIMING };
    const second = await initializeInstructions({ ...deployment, vault: otherVault, salt: otherSalt });
    await expectOk(send(svm, admin, second.instructions), "second deployment");
    expect(getConfigDecoder().decode(dataOf(svm, other)).feeBps).to.equal(100);
    expect(getConfigDecoder().decode(dataOf(svm, config)).feeBps).to.equal(250);
    // The config of one salt cannot be created at another salt's address.
    const ofOneSalt = await initializeInstructions({ ...deployment, vault: otherVault, salt: newSalt() });
    const mismatch = replaceAccount(ofOneSalt.instructions[0], ofOneSalt.config, (await configAddress(newSalt(), PROGRAM_ID))[0]);
    const r = await send(svm, admin, [mismatch]);
    expect(r.ok).to.equal(false);
  });

  it("refuses a settlement window longer than the grace, or a minimum duration over 30 days (InvalidTiming)", async () => {
    await expectRefused(svm, [config], "InvalidTiming", async () =>
      send(svm, admin, [await initializeIx(250, {}, admin, { ...TIMING, settlementWindowSecs: 901n })]),
    );
    await expectRefused(svm, [config], "InvalidTiming", async () =>
      send(svm, admin, [await initializeIx(250, {}, admin, { ...TIMING, minDurationSecs: 30n * 86_400n + 1n })]),
    );
  });

  it("refuses a fee above 1000 bps (FeeTooHigh) and creates nothing", async () => {
    await expectRefused(svm, [config], "FeeTooHigh", async () => send(svm, admin, [await initializeIx(1_001)]));
    expect(svm.getAccount(config).exists).to.equal(false);
  });

  it("refuses anyone but the upgrade authority (InvalidProgramData)", async () => {
    const squatter = await fundedSigner(svm);
    await expectRefused(svm, [config], "InvalidProgramData", async () =>
      send(svm, squatter, [await initializeIx(250, {}, squatter)]),
    );
  });

  it("refuses an admin that did not sign (MissingSigner)", async () => {
    const payer = await fundedSigner(svm);
    await expectRefused(svm, [config], "MissingSigner", async () =>
      send(svm, payer, [unsigned(await initializeIx(250), admin.address)]),
    );
  });

  it("refuses a vault the config does not own (InvalidVault)", async () => {
    await expectRefused(svm, [config], "InvalidVault", async () =>
      send(svm, admin, [await initializeIx(250, { vault: treasury })]),
    );
  });

  it("refuses a treasury of another mint (InvalidTreasury) and the vault as treasury (DuplicateAccount)", async () => {
    const otherMint = await createMint(svm, admin, 6);
    const foreign = await createTokenAccount(svm, admin, otherMint, admin.address);
    await expectRefused(svm, [config], "InvalidTreasury", async () =>
      send(svm, admin, [await initializeIx(250, { treasury: foreign })]),
    );
    await expectRefused(svm, [config], "DuplicateAccount", async () =>
      send(svm, admin, [await initializeIx(250, { treasury: vault })]),
    );
  });

  it("refuses a token program that is neither SPL Token nor Token-2022 (InvalidTokenProgram)", async () => {
    await expectRefused(svm, [config], "InvalidTokenProgram", async () =>
      send(svm, admin, [await initializeIx(250, { tokenProgram: SYSTEM_PROGRAM })]),
    );
  });

  it("refuses a second initialize (AlreadyInitialized)", async () => {
    await expectOk(send(svm, admin, [await initializeIx(250)]), "initialize");
    await expectRefused(svm, [config], "AlreadyInitialized", async () => send(svm, admin, [await initializeIx(100)]));
  });
});

describe("admin setters", () => {
  let d: Deployment;
  let stranger: KeyPairSigner;

  beforeEach(async () => {
    d = await Deployment.create({ feeBps: 250, graceSecs: 3_600n });
    stranger = await fundedSigner(d.svm);
  });

  const config = () => d.account("Config", d.config);
  const run = (name: string, instruction: Instruction) => expectOk(d.send(d.admin, [instruction]), name);

  it("propose_admin then accept_admin hands the config to the new admin", async () => {
    const next = await fundedSigner(d.svm);
    const proposed = await run("propose_admin", d.proposeAdminIx(next.address));
    expect(config()).to.include({ admin: d.admin.address, pendingAdmin: next.address });
    expect(eventOf(proposed, "ConfigUpdated")).to.include({ admin: d.admin.address, pendingAdmin: next.address });

    const accepted = await expectOk(d.send(next, [d.acceptAdminIx(next)]));
    expect(config()).to.include({ admin: next.address, pendingAdmin: NO_ADMIN });
    expect(eventOf(accepted, "ConfigUpdated")).to.include({ admin: next.address, pendingAdmin: NO_ADMIN });

    // The old admin is out, the new one is in.
    await expectRefused(d.svm, [d.config], "Unauthorized", () => d.send(d.admin, [d.setFeeIx(1)]));
    await expectOk(d.send(next, [d.setFeeIx(1, next)]), "new admin sets the fee");
    expect(config().feeBps).to.equal(1);
  });

  it("refuses accept_admin from anyone but the pending admin (NotPendingAdmin)", async () => {
    const accept = (who: KeyPairSigner) =>
      d.send(who, [d.acceptAdminIx(who)]);
    // Nothing proposed yet.
    await expectRefused(d.svm, [d.config], "NotPendingAdmin", () => accept(stranger));
    const next = await fundedSigner(d.svm);
    await run("propose_admin", d.proposeAdminIx(next.address));
    await expectRefused(d.svm, [d.config], "NotPendingAdmin", () => accept(stranger));
    await expectRefused(d.svm, [d.config], "NotPendingAdmin", () => accept(d.admin));
    // The pending admin's address without its signature.
    const noSig = unsigned(d.acceptAdminIx(next), next.address);
    await expectRefused(d.svm, [d.config], "MissingSigner", () => d.send(stranger, [noSig]));
  });

  it("set_fee sets the fee of new executions, up to 1000 bps (FeeTooHigh above)", async () => {
    const r = await run("set_fee", d.setFeeIx(1_000));
    expect(config().feeBps).to.equal(1_000);
    expect(eventOf(r, "ConfigUpdated")).to.include({ feeBps: 1_000, admin: d.admin.address });
    await expectRefused(d.svm, [d.config], "FeeTooHigh", () =>
      d.send(d.admin, [d.setFeeIx(1_001)]),
    );
    expect(config().feeBps).to.equal(1_000);
  });

  it("set_paused pauses and unpauses", async () => {
    const on = await run("set_paused", d.setPausedIx(true));
    expect(config().paused).to.equal(1);
    expect(eventOf(on, "ConfigUpdated")).to.include({ paused: true });
    const off = await run("set_paused", d.setPausedIx(false));
    expect(config().paused).to.equal(0);
    expect(eventOf(off, "ConfigUpdated")).to.include({ paused: false });
  });

  it("set_paused refuses a bool byte other than 0 or 1 (InvalidInstructionData)", async () => {
    const bad = d.setPausedIx(true);
    const data = Uint8Array.from(bad.data!);
    data[data.length - 1] = 2;
    await expectRefused(d.svm, [d.config], "InvalidInstructionData", () => d.send(d.admin, [{ ...bad, data }]));
  });

  it("set_router sets the router of new executions", async () => {
    const next = (await generateKeyPairSigner()).address;
    const r = await run("set_router", d.setRouterIx(next));
    expect(config().router).to.equal(next);
    expect(eventOf(r, "ConfigUpdated")).to.include({ router: next });
  });

  it("set_timing sets the grace, settlement window, minimum duration and review window of new executions", async () => {
    const t: Timing = { expiryGraceSecs: 42n, settlementWindowSecs: 40n, minDurationSecs: 5n, reviewWindowSecs: 7n };
    const r = await run("set_timing", d.setTimingIx(t));
    expect(config()).to.include(t);
    expect(eventOf(r, "ConfigUpdated")).to.include(t);
    await expectRefused(d.svm, [d.config], "InvalidTiming", () =>
      d.send(d.admin, [d.setTimingIx({ ...t, settlementWindowSecs: 43n })]),
    );
  });

  it("set_treasury takes a token account of the mint", async () => {
    const next = await createTokenAccount(d.svm, d.admin, d.mint, stranger.address, d.tokenProgram);
    const r = await run("set_treasury", d.setTreasuryIx(next));
    expect(config().treasury).to.equal(next);
    expect(eventOf(r, "ConfigUpdated")).to.include({ treasury: next });
  });

  it("set_treasury refuses another mint's account or the vault (InvalidTreasury), a non-token account (InvalidTokenAccount)", async () => {
    const otherMint = await createMint(d.svm, d.admin, 6, d.tokenProgram);
    const foreign = await createTokenAccount(d.svm, d.admin, otherMint, d.admin.address, d.tokenProgram);
    const setTreasury = (treasury: Address) => () => d.send(d.admin, [d.setTreasuryIx(treasury)]);
    await expectRefused(d.svm, [d.config], "InvalidTreasury", setTreasury(foreign));
    await expectRefused(d.svm, [d.config], "InvalidTreasury", setTreasury(d.vault));
    await expectRefused(d.svm, [d.config], "InvalidTokenAccount", setTreasury(stranger.address));
  });

  describe("refuse anyone but the admin", () => {
    // Each setter signed by `admin`.
    const setters: [string, (d: Deployment, admin: KeyPairSigner) => Instruction][] = [
      ["propose_admin", (x, admin) => x.proposeAdminIx(NO_ADMIN as Address, admin)],
      ["set_fee", (x, admin) => x.setFeeIx(10, admin)],
      ["set_paused", (x, admin) => x.setPausedIx(true, admin)],
      ["set_router", (x, admin) => x.setRouterIx(x.admin.address, admin)],
      ["set_timing", (x, admin) => x.setTimingIx(DEFAULT_TIMING, admin)],
      ["set_treasury", (x, admin) => x.setTreasuryIx(x.treasury, admin)],
    ];
    for (const [name, setter] of setters) {
      it(`${name}: another signer (Unauthorized), the admin unsigned (MissingSigner)`, async () => {
        const asStranger = setter(d, stranger);
        await expectRefused(d.svm, [d.config], "Unauthorized", () => d.send(stranger, [asStranger]));
        const noSig = unsigned(setter(d, d.admin), d.admin.address);
        await expectRefused(d.svm, [d.config], "MissingSigner", () => d.send(stranger, [noSig]));
      });
    }
  });
});
