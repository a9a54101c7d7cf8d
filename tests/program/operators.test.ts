// Operators: register_operator (pending until the admin activates; the signing key
// co-signs), set_operator_status (admin of the same deployment only), rotate_operator_key
// (the new key co-signs) and set_operator_rate (the operator's authority only). Each
// refusal names the exact error and leaves the operator account unchanged.
import { expect } from "chai";
import type { Address, KeyPairSigner } from "@solana/kit";
import { Deployment, SYSTEM_PROGRAM, addressOf, expectOk, newSalt, type Operator } from "../helpers/escrow.ts";
import { expectRefused } from "../helpers/errors.ts";
import { ix, sku } from "../helpers/idl.ts";
import { configPda, operatorPda, pdaBump } from "../helpers/pdas.ts";
import { newSigningKey, type SigningKey } from "../helpers/receipts.ts";
import { fundedSigner } from "../helpers/svm.ts";
import { eventOf, lamportsOf, rentExemptMinimum, signedBy, unsigned } from "../helpers/tx.ts";

describe("register_operator", () => {
  let d: Deployment;
  let authority: KeyPairSigner;

  beforeEach(async () => {
    d = await Deployment.create();
    authority = await fundedSigner(d.svm);
  });

  /** register_operator for `authority` with `key`, co-signed by it unless `cosign` is false. */
  const registerIx = async (key: SigningKey, opts: { operator?: Address; cosign?: boolean } = {}) => {
    const instruction = ix("register_operator", {}, {
      authority: authority.address,
      config: d.config,
      operator: opts.operator ?? (await operatorPda(d.config, authority.address)),
      signing_key: key.signer.address,
      system_program: SYSTEM_PROGRAM,
    });
    return opts.cosign === false ? unsigned(instruction, key.signer.address) : signedBy(instruction, key.signer);
  };

  it("creates a pending operator of the deployment with the co-signing key and no rates", async () => {
    const key = await newSigningKey();
    const operator = await operatorPda(d.config, authority.address);
    const r = await expectOk(d.send(authority, [await registerIx(key)]), "register");
    const op = d.account("Operator", operator);
    expect(op).to.include({
      config: d.config,
      authority: authority.address,
      signing_key: addressOf(key.publicKey),
      claimable: 0n,
      fees_owed: 0n,
      total_earned: 0n,
      total_claimed: 0n,
      segments_assigned: 0n,
      segments_settled: 0n,
      executions_completed: 0n,
      rating_count: 0n,
      rating_sum: 0n,
      status: 0,
      rate_count: 0,
      bump: await pdaBump("operator", d.config, authority.address),
    });
    expect(lamportsOf(d.svm, operator)).to.equal(rentExemptMinimum(d.svm, operator));
    expect(eventOf(r, "OperatorRegistered")).to.deep.equal({
      operator,
      config: d.config,
      authority: authority.address,
      signing_key: addressOf(key.publicKey),
    });
  });

  it("refuses a signing key that does not co-sign (MissingSigner): nobody registers another operator's key", async () => {
    const victim = await d.newOperator({ H100: 10n });
    const operator = await operatorPda(d.config, authority.address);
    await expectRefused(d.svm, [operator, victim.address], "MissingSigner", async () =>
      d.send(authority, [await registerIx(victim.key, { cosign: false })]),
    );
    expect(d.exists(operator)).to.equal(false);
  });

  it("refuses a second registration (AlreadyInitialized)", async () => {
    const operator = await operatorPda(d.config, authority.address);
    await expectOk(d.send(authority, [await registerIx(await newSigningKey())]), "register");
    await expectRefused(d.svm, [operator], "AlreadyInitialized", async () =>
      d.send(authority, [await registerIx(await newSigningKey())]),
    );
  });

  it("refuses another authority's operator address, or another deployment's (InvalidPda)", async () => {
    const someoneElse = await operatorPda(d.config, (await fundedSigner(d.svm)).address);
    await expectRefused(d.svm, [someoneElse], "InvalidPda", async () =>
      d.send(authority, [await registerIx(await newSigningKey(), { operator: someoneElse })]),
    );
    const otherDeployment = await operatorPda(await configPda(newSalt()), authority.address);
    await expectRefused(d.svm, [otherDeployment], "InvalidPda", async () =>
      d.send(authority, [await registerIx(await newSigningKey(), { operator: otherDeployment })]),
    );
  });

  it("refuses an authority that did not sign (MissingSigner)", async () => {
    const operator = await operatorPda(d.config, authority.address);
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
  const rates = () => operator().rates.slice(0, operator().rate_count).map((r: any) => [r.sku, r.price]);
  const setRate = (code: string, price: bigint) => d.send(op.authority, [d.setRateIx(op, code, price)]);
  const rotateIx = (key: SigningKey, authority = op.authority) =>
    signedBy(
      ix("rotate_operator_key", {}, { authority: authority.address, operator: op.address, new_signing_key: key.signer.address }),
      key.signer,
    );

  describe("set_operator_status", () => {
    it("activates and suspends, admin only", async () => {
      const activated = await expectOk(d.send(d.admin, [d.setStatusIx(op, 1)]), "activate");
      expect(operator().status).to.equal(1);
      expect(eventOf(activated, "OperatorUpdated")).to.deep.equal({
        operator: op.address,
        status: 1,
        signing_key: addressOf(op.key.publicKey),
        rate_count: 1,
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
        const asWho = ix("set_operator_status", { status: 1 }, { admin: who.address, config: d.config, operator: op.address });
        await expectRefused(d.svm, [op.address, d.config], "Unauthorized", () => d.send(who, [asWho]));
      }
      await expectRefused(d.svm, [op.address], "MissingSigner", () =>
        d.send(stranger, [unsigned(d.setStatusIx(op, 1), d.admin.address)]),
      );
    });

    it("refuses an operator of another deployment (WrongDeployment)", async () => {
      const other = await Deployment.create({ svm: d.svm, admin: d.admin });
      const foreign = await other.newOperator({ H100: 1n }, false);
      const asThisAdmin = ix("set_operator_status", { status: 1 }, { admin: d.admin.address, config: d.config, operator: foreign.address });
      await expectRefused(d.svm, [foreign.address], "WrongDeployment", () => d.send(d.admin, [asThisAdmin]));
    });
  });

  describe("rotate_operator_key", () => {
    it("replaces the signing key with the co-signing one", async () => {
      const next = await newSigningKey();
      const r = await expectOk(d.send(op.authority, [rotateIx(next)]), "rotate");
      expect(operator().signing_key).to.equal(next.signer.address);
      expect(eventOf(r, "OperatorUpdated")).to.deep.equal({
        operator: op.address,
        status: 0,
        signing_key: next.signer.address,
        rate_count: 1,
      });
    });

    it("refuses a new key that does not co-sign (MissingSigner): no rotation to another operator's key", async () => {
      const victim = await d.newOperator({ H100: 10n });
      const notHeld = unsigned(
        ix("rotate_operator_key", {}, {
          authority: op.authority.address,
          operator: op.address,
          new_signing_key: victim.key.signer.address,
        }),
        victim.key.signer.address,
      );
      await expectRefused(d.svm, [op.address], "MissingSigner", () => d.send(op.authority, [notHeld]));
    });

    it("refuses another wallet (WrongAuthority) and the authority unsigned (MissingSigner)", async () => {
      const next = await newSigningKey();
      await expectRefused(d.svm, [op.address], "WrongAuthority", () => d.send(stranger, [rotateIx(next, stranger)]));
      await expectRefused(d.svm, [op.address], "MissingSigner", () =>
        d.send(stranger, [unsigned(rotateIx(next), op.authority.address)]),
      );
    });
  });

  describe("set_operator_rate", () => {
    it("adds, updates and withdraws (price 0) rate card entries; a withdrawn line keeps its statistics", async () => {
      const added = await expectOk(setRate("A100", 25n), "add A100");
      expect(rates()).to.deep.equal([[sku("H100"), 40n], [sku("A100"), 25n]]);
      expect(eventOf(added, "OperatorUpdated")).to.include({ operator: op.address, rate_count: 2 });

      await expectOk(setRate("H100", 55n), "update H100");
      expect(rates()).to.deep.equal([[sku("H100"), 55n], [sku("A100"), 25n]]);

      const withdrawn = await expectOk(setRate("H100", 0n), "withdraw H100");
      expect(rates()).to.deep.equal([[sku("H100"), 0n], [sku("A100"), 25n]]);
      expect(eventOf(withdrawn, "OperatorUpdated")).to.include({ rate_count: 2 });
      await expectOk(setRate("H100", 60n), "offer H100 again");
      expect(rates()).to.deep.equal([[sku("H100"), 60n], [sku("A100"), 25n]]);
    });

    it("refuses withdrawing a SKU that is not on sale (InvalidRate)", async () => {
      await expectRefused(d.svm, [op.address], "InvalidRate", () => setRate("A100", 0n));
      await expectOk(setRate("H100", 0n), "withdraw H100");
      await expectRefused(d.svm, [op.address], "InvalidRate", () => setRate("H100", 0n));
    });

    it("refuses an empty, non-printable or inner-zero SKU (InvalidSku)", async () => {
      const raw = (bytes: number[]) =>
        ix("set_operator_rate", { sku: bytes, price: 1n }, { authority: op.authority.address, operator: op.address });
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
      expect(operator().rate_count).to.equal(8);
      await expectRefused(d.svm, [op.address], "RateCardFull", () => setRate("S8", 1n));
      await expectOk(setRate("S7", 2n), "update on a full card");
      expect(rates()[7]).to.deep.equal([sku("S7"), 2n]);
      // A withdrawn SKU's line goes to the next new SKU, statistics reset.
      await expectOk(setRate("S3", 0n), "withdraw S3");
      await expectOk(setRate("S8", 9n), "S8 takes S3's line");
      expect(rates()[3]).to.deep.equal([sku("S8"), 9n]);
      expect(operator().rates[3]).to.include({ units_served: 0n, tokens_served: 0n });
    });

    it("refuses another wallet (WrongAuthority) and the authority unsigned (MissingSigner)", async () => {
      const asStranger = d.setRateIx({ ...op, authority: stranger }, "H100", 1n);
      await expectRefused(d.svm, [op.address], "WrongAuthority", () => d.send(stranger, [asStranger]));
      await expectRefused(d.svm, [op.address], "MissingSigner", () =>
        d.send(stranger, [unsigned(d.setRateIx(op, "H100", 1n), op.authority.address)]),
      );
    });
  });
});
