// The admin's setters over RPC: each one applied by the admin and read back from the Config,
// and refused to any other signer with the program's typed error, the Config byte for byte
// unchanged. Runs on its own deployment (a second salt of the shared program) so the other
// suites keep their admin, router and fee.
import { expect } from "chai";
import { generateKeyPairSigner, type Address, type KeyPairSigner } from "@solana/kit";
import { acceptAdmin, initialize, proposeAdmin, setFee, setPaused, setRouter, setTiming, setTreasury } from "../src/flows/index.ts";
import { createAssociatedTokenAccountIdempotent } from "../src/flows/tokens.ts";
import { fetchDeployment, type Deployment } from "../src/deployment.ts";
import { ArknetError, isArknetError } from "../src/errors.ts";
import { sendInstructions } from "../src/tx/send.ts";
import { fundedSigner, requireCluster } from "./support/cluster.ts";
import { createMint, testDeployment, type TestDeployment } from "./support/escrow.ts";

const NO_ADMIN = "11111111111111111111111111111111";

describe("admin setters over RPC", function () {
  let t: TestDeployment;
  let d: Deployment;
  let admin: KeyPairSigner;
  let stranger: KeyPairSigner;

  before(async function () {
    requireCluster(this);
    t = await testDeployment();
    admin = t.admin; // the program's upgrade authority: the only one who may initialize
    stranger = await fundedSigner(t.client, 5n);
    ({ deployment: d } = await initialize(t.client, {
      admin,
      programAddress: t.programId,
      mint: t.deployment.mint,
      router: t.router.address,
      feeBps: 250,
    }));
  });

  const config = () => fetchDeployment(t.client.rpc, d.config);
  const configBytes = async () => {
    const info = await t.client.rpc.getAccountInfo(d.config, { encoding: "base64", commitment: "confirmed" }).send();
    return info.value!.data[0];
  };

  const lamportsOf = async (a: Address) => (await t.client.rpc.getBalance(a, { commitment: "confirmed" }).send()).value;

  /**
   * Expects `run`, signed and paid by `signer`, to be refused with program error `name` in
   * simulation: nothing sent (the signer paid no fee), the Config unchanged.
   */
  async function expectRefused(name: string, signer: KeyPairSigner, run: () => Promise<unknown>): Promise<ArknetError> {
    const before = await configBytes();
    const lamports = await lamportsOf(signer.address);
    const err = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isArknetError(err, name), `expected ${name}, got ${String(err)}`).to.equal(true);
    expect((err as ArknetError).source).to.equal("program");
    expect((err as ArknetError).logs.join("\n")).to.include(d.programAddress);
    expect(await configBytes(), "config changed").to.equal(before);
    expect(await lamportsOf(signer.address), "a transaction was sent").to.equal(lamports);
    return err as ArknetError;
  }

  it("setFee sets the fee of new executions; a stranger is refused (Unauthorized), above 1000 bps too (FeeTooHigh)", async () => {
    await setFee(t.client, d, { admin, feeBps: 700 });
    expect((await config()).feeBps).to.equal(700);
    await expectRefused("Unauthorized", stranger, () => setFee(t.client, d, { admin: stranger, feeBps: 0 }));
    await expectRefused("FeeTooHigh", admin, () => setFee(t.client, d, { admin, feeBps: 1_001 }));
    expect((await config()).feeBps).to.equal(700);
  });

  it("setPaused pauses and unpauses; a stranger is refused (Unauthorized)", async () => {
    await setPaused(t.client, d, { admin, paused: true });
    expect((await config()).paused).to.equal(true);
    await expectRefused("Unauthorized", stranger, () => setPaused(t.client, d, { admin: stranger, paused: false }));
    await setPaused(t.client, d, { admin, paused: false });
    expect((await config()).paused).to.equal(false);
  });

  it("setRouter hands routing to another key; a stranger is refused (Unauthorized)", async () => {
    const next = (await generateKeyPairSigner()).address;
    await setRouter(t.client, d, { admin, router: next });
    expect((await config()).router).to.equal(next);
    await expectRefused("Unauthorized", stranger, () => setRouter(t.client, d, { admin: stranger, router: stranger.address }));
    expect((await config()).router).to.equal(next);
  });

  it("setTiming sets the four clocks; a stranger is refused (Unauthorized), a window past the grace too (InvalidTiming)", async () => {
    const timing = { expiryGraceSecs: 900n, settlementWindowSecs: 300n, minDurationSecs: 30n, reviewWindowSecs: 7_200n };
    await setTiming(t.client, d, { admin, ...timing });
    expect((await config()).data).to.include(timing);
    await expectRefused("Unauthorized", stranger, () => setTiming(t.client, d, { admin: stranger, ...timing, expiryGraceSecs: 1n, settlementWindowSecs: 1n }));
    await expectRefused("InvalidTiming", admin, () => setTiming(t.client, d, { admin, ...timing, settlementWindowSecs: 901n }));
    expect((await config()).data).to.include(timing);
  });

  it("setTreasury takes a token account of the mint; a stranger is refused (Unauthorized), another mint's account too (InvalidTreasury)", async () => {
    const owner = await generateKeyPairSigner();
    const next = await createAssociatedTokenAccountIdempotent(admin, owner.address, d.mint, d.tokenProgram);
    await sendInstructions(t.client, admin, [next.instruction]);
    await setTreasury(t.client, d, { admin, treasury: next.address });
    expect((await config()).treasury).to.equal(next.address);
    const strangers = await createAssociatedTokenAccountIdempotent(stranger, stranger.address, d.mint, d.tokenProgram);
    await sendInstructions(t.client, stranger, [strangers.instruction]);
    await expectRefused("Unauthorized", stranger, () => setTreasury(t.client, d, { admin: stranger, treasury: strangers.address }));
    const otherMint = await createMint(t.client, admin, 6);
    const foreign = await createAssociatedTokenAccountIdempotent(admin, admin.address, otherMint, d.tokenProgram);
    await sendInstructions(t.client, admin, [foreign.instruction]);
    await expectRefused("InvalidTreasury", admin, () => setTreasury(t.client, d, { admin, treasury: foreign.address }));
    expect((await config()).treasury).to.equal(next.address);
  });

  it("proposeAdmin then acceptAdmin hands the config over; strangers are refused at both steps; the old admin is out", async () => {
    const next = await fundedSigner(t.client, 2n);
    await expectRefused("Unauthorized", stranger, () => proposeAdmin(t.client, d, { admin: stranger, newAdmin: stranger.address }));
    await proposeAdmin(t.client, d, { admin, newAdmin: next.address });
    expect((await config()).data.pendingAdmin).to.equal(next.address);
    await expectRefused("NotPendingAdmin", stranger, () => acceptAdmin(t.client, d, { newAdmin: stranger }));
    await acceptAdmin(t.client, d, { newAdmin: next });
    const after = await config();
    expect(after.admin).to.equal(next.address);
    expect(after.data.pendingAdmin).to.equal(NO_ADMIN as Address);
    await expectRefused("Unauthorized", admin, () => setFee(t.client, d, { admin, feeBps: 1 }));
    await setFee(t.client, d, { admin: next, feeBps: 1 });
    expect((await config()).feeBps).to.equal(1);
  });
});
