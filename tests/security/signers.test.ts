// Attack class 1: an authority's account is passed, but the authority did not sign (and
// initialize by anyone but the program's upgrade authority, protocol.md deviation 4).
// Each instruction is sent by an attacker (the fee payer) with the authority's address
// in its slot as a non-signer: the program must refuse with MissingSigner and change
// nothing.
import { AccountRole, getAddressEncoder, type Address, type Instruction } from "@solana/kit";
import { expectRefused } from "../support/refusals.ts";
import { DEFAULT_TIMING, expectOk, newSigningKey } from "../support/deployment.ts";
import { fundedSigner, setTime, PROGRAM_ID } from "../support/svm.ts";
import { freshAddress, patchAccount, plantCopy, Undeployed, world, type World } from "./support.ts";
import { replaceAccount, signedBy, unsigned } from "../support/mutate.ts";
import { UPGRADEABLE_LOADER, operatorAddress, registerOperatorInstructions } from "@arknet/escrow";

describe("security: authority passed without its signature", () => {
  let w: World;
  before(async () => {
    w = await world();
  });

  /** `instruction` with `who` demoted to a non-signer, sent and paid by the attacker. */
  const refuse = (instruction: Instruction, who: Address, watched: Address[] = w.watched) =>
    expectRefused(w.d.svm, watched, "MissingSigner", () =>
      w.d.send(w.attacker.wallet, [unsigned(instruction, who)]),
    );

  describe("admin paths", () => {
    const admin = () => w.d.admin.address;
    it("propose_admin", () => refuse(w.d.proposeAdminIx(w.attacker.wallet.address), admin()));
    it("set_fee", () => refuse(w.d.setFeeIx(1000), admin()));
    it("set_paused", () => refuse(w.d.setPausedIx(true), admin()));
    it("set_router", () => refuse(w.d.setRouterIx(w.attacker.wallet.address), admin()));
    it("set_timing", () => refuse(w.d.setTimingIx({ ...DEFAULT_TIMING, expiryGraceSecs: 0n, settlementWindowSecs: 0n }), admin()));
    it("set_treasury", () => refuse(w.d.setTreasuryIx(w.attacker.tokens), admin()));
    it("set_operator_status", () => refuse(w.d.setStatusIx(w.op, 2), admin()));
    it("withdraw_fees", () => refuse(w.d.withdrawFeesIx(1n), admin()));

    it("accept_admin: the pending admin must sign", async () => {
      const next = await fundedSigner(w.d.svm);
      await expectOk(w.d.send(w.d.admin, [w.d.proposeAdminIx(next.address)]));
      await refuse(w.d.acceptAdminIx(next), next.address);
      // Leave the admin as it was for the other tests.
      await expectOk(w.d.send(w.d.admin, [w.d.proposeAdminIx("11111111111111111111111111111111" as Address)]));
    });

    it("initialize: the upgrade authority must sign", async () => {
      const u = await Undeployed.create();
      const t = await u.tokens();
      const attacker = await fundedSigner(u.svm);
      await expectRefused(u.svm, [u.config, t.vault], "MissingSigner", async () =>
        u.send([unsigned(await u.initializeIx(t), u.admin.address)], attacker),
      );
    });

    it("initialize front-run by someone else (signing as admin): InvalidProgramData", async () => {
      const u = await Undeployed.create();
      const t = await u.tokens();
      const attacker = await fundedSigner(u.svm);
      await expectRefused(u.svm, [u.config, t.vault], "InvalidProgramData", () =>
        u.send([u.initializeIx(t, { admin: attacker })], attacker),
      );
    });

    it("initialize with a forged ProgramData naming the attacker (at another address): InvalidProgramData", async () => {
      const u = await Undeployed.create();
      const t = await u.tokens();
      const attacker = await fundedSigner(u.svm);
      const forged = await freshAddress();
      plantCopy(u.svm, u.programData, forged, UPGRADEABLE_LOADER);
      patchAccount(u.svm, forged, (d) => d.set(getAddressEncoder().encode(attacker.address), 13));
      await expectRefused(u.svm, [u.config, t.vault, forged], "InvalidProgramData", async () =>
        u.send([replaceAccount(await u.initializeIx(t, { admin: attacker }), u.programData, forged)], attacker),
      );
    });
  });

  describe("router paths", () => {
    it("assign_segment", () => refuse(w.d.assignIx(w.execution, 1, w.op, "A100"), w.d.router.address));
    it("finalize before expiry (only the router may)", async () =>
      refuse(await w.d.finalizeIx(w.execution, w.d.router, w.buyer), w.d.router.address));
  });

  describe("operator paths", () => {
    const authority = () => w.op.authority.address;
    it("set_operator_rate", async () => refuse(await w.d.setRateIx(w.op, "H100", 1_000_000n), authority()));
    it("rotate_operator_key: the authority must sign", async () =>
      refuse(await w.d.rotateIx(w.op, w.attacker.wallet), authority()));
    it("rotate_operator_key: the new key must sign (no rotation to a key not held)", async () => {
      const key = await newSigningKey();
      await refuse(signedBy(await w.d.rotateIx(w.op, key), w.op.authority), key.address);
    });
    it("claim", async () => refuse(await w.d.claimIx(w.op, 1n, w.attacker.tokens), authority()));
    it("register_operator", async () => {
      const victim = await fundedSigner(w.d.svm);
      const operator = await operatorAddress(w.d.config, victim.address, PROGRAM_ID);
      const { instructions: [register] } = await registerOperatorInstructions(w.d, { authority: victim, signingKey: w.attacker.wallet });
      await refuse(register, victim.address, [operator, victim.address]);
    });
    it("register_operator: the signing key must sign", async () => {
      const newcomer = await fundedSigner(w.d.svm);
      const op = { ...(await w.d.operatorAccounts(newcomer)) };
      await expectRefused(w.d.svm, [op.address], "MissingSigner", async () =>
        w.d.send(newcomer, [unsigned(await w.d.registerIx(op), op.key.address)]),
      );
    });
  });

  describe("buyer paths", () => {
    const buyer = () => w.buyer.wallet.address;
    it("withdraw", async () => refuse(await w.d.withdrawIx(w.buyer, 1n, w.attacker.tokens), buyer()));
    it("top_up", async () => refuse(await w.d.topUpIx(w.buyer, w.execution, 1n), buyer()));
    it("reserve: the buyer must sign (a payer's signature is not enough)", async () => {
      const { ix: reserve, execution } = await w.d.reserveIx(w.buyer, w.nextId, 1n, { payer: w.attacker.wallet });
      await refuse(reserve, buyer(), [...w.watched, execution]);
    });
    it("reserve: the payer must sign", async () => {
      const { ix: reserve, execution } = await w.d.reserveIx(w.buyer, w.nextId, 1n, { payer: w.attacker.wallet });
      await expectRefused(w.d.svm, [...w.watched, execution], "MissingSigner", () =>
        w.d.send(w.buyer.wallet, [unsigned(reserve, w.attacker.wallet.address)]),
      );
    });
    it("reserve_from_wallet", async () => {
      const { ix: reserve, execution } = await w.d.reserveFromWalletIx(w.buyer, w.nextId, 1n);
      const payerIsAttacker = {
        ...reserve,
        accounts: reserve.accounts!.map((m, i) => (i === 0 ? { address: w.attacker.wallet.address, role: m.role } : m)),
      };
      await refuse(payerIsAttacker, buyer(), [...w.watched, execution]);
    });
    it("deposit: the depositor (token authority of the source) must sign", async () =>
      refuse(await w.d.depositIx(w.attacker, 1n, w.buyer), buyer()));
    it("finalize after expiry as the buyer", async () => {
      const e = w.d.account("Execution", w.execution);
      const clock = w.d.svm.getClock();
      setTime(w.d.svm, e.expiresAt);
      try {
        await refuse(await w.d.finalizeIx(w.execution, w.buyer.wallet, w.buyer), buyer());
      } finally {
        setTime(w.d.svm, clock.unixTimestamp);
      }
    });
  });

  it("a signer who is not the authority is refused by address, not by signature", async () => {
    // The attacker signs in the admin slot: signature present, wrong key.
    await expectRefused(w.d.svm, w.watched, "Unauthorized", () =>
      w.d.send(w.attacker.wallet, [w.d.setFeeIx(0, w.attacker.wallet)]),
    );
    await expectRefused(w.d.svm, w.watched, "WrongRouter", () =>
      w.d.send(w.attacker.wallet, [w.d.assignIx(w.execution, 1, w.op, "A100", w.attacker.wallet)]),
    );
  });
});
