// Operators: register_operator (pending until the admin activates; the signing key
// co-signs), set_operator_status (admin of the same deployment only), rotate_operator_key
// (the new key co-signs) and set_operator_rate (the operator's authority only). Each
// refusal names the exact error and leaves the operator account unchanged.
import { expect } from "chai";
import type { Address, KeyPairSigner } from "@solana/kit";
import { Deployment, expectOk, newSalt, type Operator, newSigningKey } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { fundedSigner, lamportsOf, rentExemptMinimum, PROGRAM_ID } from "../support/svm.ts";
import {
  configAddress,
  encodeSku,
  findOperatorPda,
  getSetOperatorRateInstructionDataCodec,
  registerOperatorInstructions,
  rotateKeyInstructions,
  operatorAddress,
} from "@arknet/escrow";
import { eventOf } from "../support/events.ts";
import { replaceAccount, unsigned, withArgs } from "../support/mutate.ts";

describe("register_operator", () => {
  let d: Deployment;
  let authority: KeyPairSigner;

  beforeEach(async () => {
    d = await Deployment.create();
    authority = await fundedSigner(d.svm);
  });

  /** register_operator for `authority` with `key`, co-signed by it unless `cosign` is false. */
  const registerIx = async (key: KeyPairSigner, opts: { operator?: Address; cosign?: boolean } = {}) => {
    const { instructions, operator } = await registerOperatorInstructions(d, { authority, signingKey: key });
    const instruction = replaceAccount(instructions[0], operator, opts.operator ?? operator);
    return opts.cosign === false ? unsigned(instruction, key.address) : instruction;
  };

  it("creates a pending operator of the deployment with the co-signing key and no rates", async () => {
    const key = await newSigningKey();
    const operator = await operatorAddress(d.config, authority.address, PROGRAM_ID);
    const r = await expectOk(d.send(authority, [await registerIx(key)]), "register");
    const op = d.account("Operator", operator);
    expect(op).to.include({
      config: d.config,
      authority: authority.address,
      signingKey: key.address,
      claimable: 0n,
      feesOwed: 0n,
      totalEarned: 0n,
      totalClaimed: 0n,
      segmentsAssigned: 0n,
      segmentsSettled: 0n,
      executionsCompleted: 0n,
      ratingCount: 0n,
      ratingSum: 0n,
      status: 0,
      rateCount: 0,
      bump: (await findOperatorPda({ config: d.config, authority: authority.address }, { programAddress: PROGRAM_ID }))[1],
    });
    expect(lamportsOf(d.svm, operator)).to.equal(rentExemptMinimum(d.svm, operator));
    expect(eventOf(r, "OperatorRegistered")).to.deep.equal({
      operator,
      config: d.config,
      authority: authority.address,
      signingKey: key.address,
    });
  });

  it("refuses a signing key that does not co-sign (MissingSigner): nobody registers another operator's key", async () => {
    const victim = await d.newOperator({ H100: 10n });
    const operator = await operatorAddress(d.config, authority.address, PROGRAM_ID);
    await expectRefused(d.svm, [operator, victim.address], "MissingSigner", async () =>
      d.send(authority, [await registerIx(victim.key, { cosign: false })]),
    );
    expect(d.exists(operator)).to.equal(false);
  });

  it("refuses a second registration (AlreadyInitialized)", async () => {
    const operator = await operatorAddress(d.config, authority.address, PROGRAM_ID);
    await expectOk(d.send(authority, [await registerIx(await newSigningKey())]), "register");
    await expectRefused(d.svm, [operator], "AlreadyInitialized", async () =>
      d.send(authority, [await registerIx(await newSigningKey())]),
    );
  });

  it("refuses another authority's operator address, or another deployment's (InvalidPda)", async () => {
    const someoneElse = await operatorAddress(d.config, (await fundedSigner(d.svm)).address, PROGRAM_ID);
    await expectRefused(d.svm, [someoneElse], "InvalidPda", async () =>
      d.send(authority, [await registerIx(await newSigningKey(), { operator: someoneElse })]),
    );
    const otherDeployment = await operatorAddress((await configAddress(newSalt(), PROGRAM_ID))[0], authority.address, PROGRAM_ID);
    await expectRefused(d.svm, [otherDeployment], "InvalidPda", async () =>
      d.send(authority, [await registerIx(await newSigningKey(), { operator: otherDeployment })]),
    );
  });

  it("refuses an authority that did not sign (MissingSigner)", async () => {
    const operator = await operatorAddress(d.config, authority.address, PROGRAM_ID);
    const noSig = unsigned(await registerIx(await newSigningKey()), authority.address);
    await expectRefused(d.svm, [operator], "MissingSigner", () => d.send(d.router, [noSig]));
  });
});

describe("operator management", () => {
  let d: Deployment;
  let op: Operator;
  let stranger: KeyPairSigner;

  beforeEach(async () => {
    d = await Deployment.create();
    op = await d.newOperator({ H100: 40n }, false);
    stranger = await fundedSigner(d.svm);
  });

  const operator = () => d.account("Operator", op.address);
  const rates = () => operator().rates.slice(0, operator().rateCount).map((r: any) => [r.sku, r.price]);
  const setRate = (code: string, price: bigint) => d.send(op.authority, [d.setRateIx(op, code, price)]);
  /** rotate_operator_key of `op` to `key`, as `authority` (the operator's own by default). */
  const rotateIx = async (key: KeyPairSigner, authority = op.authority) => {
    const [ix] = await rotateKeyInstructions(d, { authority, newSigningKey: key });
    return replaceAccount(ix, await operatorAddress(d.config, authority.address, PROGRAM_ID), op.address);
  };

  describe("set_operator_status", () => {
    it("activates and suspends, admin only", async () => {
      const activated = await expectOk(d.send(d.admin, [d.setStatusIx(op, 1)]), "activate");
      expect(operator().status).to.equal(1);
      expect(eventOf(activated, "OperatorUpdated")).to.deep.equal({
        operator: op.address,
        status: 1,
        signingKey: op.key.address,
        rateCount: 1,
      });
      const suspended = await expectOk(d.send(d.admin, [d.setStatusIx(op, 2)]), "suspend");
      expect(operator().status).to.equal(2);
      expect(eventOf(suspended, "OperatorUpdated")).to.include({ status: 2 });
    });

    it("refuses any status but 1 and 2 (InvalidOperatorStatus)", async () => {
      for (const status of [0, 3, 255]) {
        await expectRefused(d.svm, [op.address], "InvalidOperatorStatus", () =>
          d.send(d.admin, [d.setStatusIx(op, status)]),
        );
      }
    });

    it("refuses the operator itself or anyone but the admin (Unauthorized), the admin unsigned (MissingSigner)", async () => {
      for (const who of [op.authority, stranger]) {
        const asWho = d.setStatusIx(op, 1, who);
        await expectRefused(d.svm, [op.address, d.config], "Unauthorized", () => d.send(who, [asWho]));
      }
      await expectRefused(d.svm, [op.address], "MissingSigner", () =>
        d.send(stranger, [unsigned(d.setStatusIx(op, 1), d.admin.address)]),
      );
    });

    it("refuses an operator of another deployment (WrongDeployment)", async () => {
      const other = await Deployment.create({ svm: d.svm, admin: d.admin });
      const foreign = await other.newOperator({ H100: 1n }, false);
      const asThisAdmin = d.setStatusIx(foreign, 1);
      await expectRefused(d.svm, [foreign.address], "WrongDeployment", () => d.send(d.admin, [asThisAdmin]));
    });
  });

  describe("rotate_operator_key", () => {
    it("replaces the signing key with the co-signing one", async () => {
      const next = await newSigningKey();
      const r = await expectOk(d.send(op.authority, [rotateIx(next)]), "rotate");
      expect(operator().signingKey).to.equal(next.address);
      expect(eventOf(r, "OperatorUpdated")).to.deep.equal({
        operator: op.address,
        status: 0,
        signingKey: next.address,
        rateCount: 1,
      });
    });

    it("refuses a new key that does not co-sign (MissingSigner): no rotation to another operator's key", async () => {
      const victim = await d.newOperator({ H100: 10n });
      const notHeld = unsigned(await d.rotateIx(op, victim.key), victim.key.address);
      await expectRefused(d.svm, [op.address], "MissingSigner", () => d.send(op.authority, [notHeld]));
    });

    it("refuses another wallet (WrongAuthority) and the authority unsigned (MissingSigner)", async () => {
      const next = await newSigningKey();
      await expectRefused(d.svm, [op.address], "WrongAuthority", () => d.send(stranger, [rotateIx(next, stranger)]));
      await expectRefused(d.svm, [op.address], "MissingSigner", async () =>
        d.send(stranger, [unsigned(await rotateIx(next), op.authority.address)]),
      );
    });
  });

  describe("set_operator_rate", () => {
    it("adds, updates and withdraws (price 0) rate card entries; a withdrawn line keeps its statistics", async () => {
      const added = await expectOk(setRate("A100", 25n), "add A100");
      expect(rates()).to.deep.equal([[encodeSku("H100"), 40n], [encodeSku("A100"), 25n]]);
      expect(eventOf(added, "OperatorUpdated")).to.include({ operator: op.address, rateCount: 2 });

      await expectOk(setRate("H100", 55n), "update H100");
      expect(rates()).to.deep.equal([[encodeSku("H100"), 55n], [encodeSku("A100"), 25n]]);

      const withdrawn = await expectOk(setRate("H100", 0n), "withdraw H100");
      expect(rates()).to.deep.equal([[encodeSku("H100"), 0n], [encodeSku("A100"), 25n]]);
      expect(eventOf(withdrawn, "OperatorUpdated")).to.include({ rateCount: 2 });
      await expectOk(setRate("H100", 60n), "offer H100 again");
      expect(rates()).to.deep.equal([[encodeSku("H100"), 60n], [encodeSku("A100"), 25n]]);
    });

    it("refuses withdrawing a SKU that is not on sale (InvalidRate)", async () => {
      await expectRefused(d.svm, [op.address], "InvalidRate", () => setRate("A100", 0n));
      await expectOk(setRate("H100", 0n), "withdraw H100");
      await expectRefused(d.svm, [op.address], "InvalidRate", () => setRate("H100", 0n));
    });

    it("refuses an empty, non-printable or inner-zero SKU (InvalidSku)", async () => {
      // Raw SKU bytes, past the SDK's own SKU check.
      const raw = async (bytes: number[]) => withArgs(await d.setRateIx(op, "H100", 1n), getSetOperatorRateInstructionDataCodec(), { sku: Uint8Array.from(bytes) });
      for (const bytes of [
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0x48, 0x20, 0x31, 0, 0, 0, 0, 0], // "H 1"
        [0x48, 0, 0x31, 0, 0, 0, 0, 0], // "H\01"
        [0x48, 0x7f, 0, 0, 0, 0, 0, 0],
      ]) {
        await expectRefused(d.svm, [op.address], "InvalidSku", () => d.send(op.authority, [raw(bytes)]));
      }
    });

    it("holds at most 8 SKUs (RateCardFull); updating a listed SKU still works", async () => {
      for (const code of ["S1", "S2", "S3", "S4", "S5", "S6", "S7"]) await expectOk(setRate(code, 1n), code);
      expect(operator().rateCount).to.equal(8);
      await expectRefused(d.svm, [op.address], "RateCardFull", () => setRate("S8", 1n));
      await expectOk(setRate("S7", 2n), "update on a full card");
      expect(rates()[7]).to.deep.equal([encodeSku("S7"), 2n]);
      // A withdrawn SKU's line goes to the next new SKU, statistics reset.
      await expectOk(setRate("S3", 0n), "withdraw S3");
      await expectOk(setRate("S8", 9n), "S8 takes S3's line");
      expect(rates()[3]).to.deep.equal([encodeSku("S8"), 9n]);
      expect(operator().rates[3]).to.include({ unitsServed: 0n, tokensServed: 0n });
    });

    it("refuses another wallet (WrongAuthority) and the authority unsigned (MissingSigner)", async () => {
      const asStranger = d.setRateIx({ ...op, authority: stranger }, "H100", 1n);
      await expectRefused(d.svm, [op.address], "WrongAuthority", () => d.send(stranger, [asStranger]));
      await expectRefused(d.svm, [op.address], "MissingSigner", async () =>
        d.send(stranger, [unsigned(await d.setRateIx(op, "H100", 1n), op.authority.address)]),
      );
    });
  });
});
