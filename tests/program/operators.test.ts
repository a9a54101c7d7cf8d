// Operators: register_operator (pending until the admin activates), set_operator_status
// (admin only), rotate_operator_key and set_operator_rate (the operator's authority
// only). Each refusal names the exact error and leaves the operator account unchanged.
import { expect } from "chai";
import type { KeyPairSigner } from "@solana/kit";
import { Deployment, SYSTEM_PROGRAM, addressOf, expectOk, type Operator } from "../helpers/escrow.ts";
import { expectRefused } from "../helpers/errors.ts";
import { ix, pubkey, sku } from "../helpers/idl.ts";
import { operatorPda, pdaBump } from "../helpers/pdas.ts";
import { newSigningKey } from "../helpers/receipts.ts";
import { fundedSigner } from "../helpers/svm.ts";
import { eventOf, lamportsOf, rentExemptMinimum, unsigned } from "../helpers/tx.ts";

const ZERO_KEY = "11111111111111111111111111111111";

describe("register_operator", () => {
  let d: Deployment;
  let authority: KeyPairSigner;

  beforeEach(async () => {
    d = await Deployment.create();
    authority = await fundedSigner(d.svm);
  });

  const registerIx = async (signingKey: string, operator?: string) =>
    ix("register_operator", { signing_key: pubkey(signingKey as any) }, {
      authority: authority.address,
      operator: (operator ?? (await operatorPda(authority.address))) as any,
      system_program: SYSTEM_PROGRAM,
    });

  it("creates a pending operator with its signing key and no rates", async () => {
    const key = addressOf(newSigningKey().publicKey);
    const operator = await operatorPda(authority.address);
    const r = await expectOk(d.send(authority, [await registerIx(key)]), "register");
    const op = d.account("Operator", operator);
    expect(op).to.include({
      authority: authority.address,
      signing_key: key,
      claimable: 0n,
      total_earned: 0n,
      total_claimed: 0n,
      status: 0,
      rate_count: 0,
      bump: await pdaBump("operator", authority.address),
    });
    expect(lamportsOf(d.svm, operator)).to.equal(rentExemptMinimum(d.svm, operator));
    expect(eventOf(r, "OperatorRegistered")).to.deep.equal({ operator, authority: authority.address, signing_key: key });
  });

  it("refuses a second registration (AlreadyInitialized)", async () => {
    const operator = await operatorPda(authority.address);
    await expectOk(d.send(authority, [await registerIx(addressOf(newSigningKey().publicKey))]), "register");
    await expectRefused(d.svm, [operator], "AlreadyInitialized", async () =>
      d.send(authority, [await registerIx(addressOf(newSigningKey().publicKey))]),
    );
  });

  it("refuses the zero signing key (InvalidSigningKey)", async () => {
    const operator = await operatorPda(authority.address);
    await expectRefused(d.svm, [operator], "InvalidSigningKey", async () => d.send(authority, [await registerIx(ZERO_KEY)]));
  });

  it("refuses another authority's operator address (InvalidPda)", async () => {
    const someoneElse = await operatorPda((await fundedSigner(d.svm)).address);
    await expectRefused(d.svm, [someoneElse], "InvalidPda", async () =>
      d.send(authority, [await registerIx(addressOf(newSigningKey().publicKey), someoneElse)]),
    );
  });

  it("refuses an authority that did not sign (MissingSigner)", async () => {
    const operator = await operatorPda(authority.address);
    const noSig = unsigned(await registerIx(addressOf(newSigningKey().publicKey)), authority.address);
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
  const rotateIx = (key: string, authority = op.authority) =>
    ix("rotate_operator_key", { new_signing_key: pubkey(key as any) }, { authority: authority.address, operator: op.address });

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
  });

  describe("rotate_operator_key", () => {
    it("replaces the signing key", async () => {
      const next = addressOf(newSigningKey().publicKey);
      const r = await expectOk(d.send(op.authority, [rotateIx(next)]), "rotate");
      expect(operator().signing_key).to.equal(next);
      expect(eventOf(r, "OperatorUpdated")).to.deep.equal({ operator: op.address, status: 0, signing_key: next, rate_count: 1 });
    });

    it("refuses the zero key (InvalidSigningKey)", async () => {
      await expectRefused(d.svm, [op.address], "InvalidSigningKey", () => d.send(op.authority, [rotateIx(ZERO_KEY)]));
    });

    it("refuses another wallet (WrongAuthority) and the authority unsigned (MissingSigner)", async () => {
      const next = addressOf(newSigningKey().publicKey);
      await expectRefused(d.svm, [op.address], "WrongAuthority", () => d.send(stranger, [rotateIx(next, stranger)]));
      await expectRefused(d.svm, [op.address], "MissingSigner", () =>
        d.send(stranger, [unsigned(rotateIx(next), op.authority.address)]),
      );
    });
  });

  describe("set_operator_rate", () => {
    it("adds, updates and removes (price 0) rate card entries", async () => {
      const added = await expectOk(setRate("A100", 25n), "add A100");
      expect(rates()).to.deep.equal([[sku("H100"), 40n], [sku("A100"), 25n]]);
      expect(eventOf(added, "OperatorUpdated")).to.include({ operator: op.address, rate_count: 2 });

      await expectOk(setRate("H100", 55n), "update H100");
      expect(rates()).to.deep.equal([[sku("H100"), 55n], [sku("A100"), 25n]]);

      const removed = await expectOk(setRate("H100", 0n), "remove H100");
      expect(rates()).to.deep.equal([[sku("A100"), 25n]]);
      expect(operator().rates[1]).to.deep.equal({ sku: [0, 0, 0, 0, 0, 0, 0, 0], price: 0n });
      expect(eventOf(removed, "OperatorUpdated")).to.include({ rate_count: 1 });
    });

    it("refuses removing a SKU that is not on the card (InvalidRate)", async () => {
      await expectRefused(d.svm, [op.address], "InvalidRate", () => setRate("A100", 0n));
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
