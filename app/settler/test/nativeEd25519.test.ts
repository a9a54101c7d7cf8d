// The native ed25519 check must agree with the SDK's WebCrypto one on every case intake meets.
import { expect } from "chai";
import { ed25519 } from "@noble/curves/ed25519.js";
import { verifyReceipt, type SignedReceipt } from "@arknet/escrow";
import type { Address } from "@solana/kit";
import { nativeEd25519Check } from "../src/api/nativeEd25519.ts";
import { newOperator, randomAddress, receiptMessage } from "./support/receipts.ts";

function receipt(op = newOperator(), units = 10n): SignedReceipt {
  const execution = randomAddress() as Address;
  const message = receiptMessage("", execution, 1, "H100", units, 3);
  return { fields: { execution, segment: 1, sku: "H100", cumulativeUnits: units, sequence: 3 }, message, signature: ed25519.sign(message, op.secret), signer: op.key as Address };
}

describe("native ed25519 receipt check", () => {
  const checkSignature = nativeEd25519Check(2);
  const both = async (r: SignedReceipt) => {
    const native = await verifyReceipt(r, undefined, { checkSignature });
    expect(native).to.equal(await verifyReceipt(r), "native and WebCrypto disagree");
    return native;
  };

  it("accepts a good signature, also from a cached key, and after the cache forgot it", async () => {
    const op = newOperator();
    expect(await both(receipt(op))).to.equal(true);
    expect(await both(receipt(op, 20n))).to.equal(true);
    for (let i = 0; i < 3; i++) expect(await both(receipt())).to.equal(true);
    expect(await both(receipt(op, 30n))).to.equal(true);
  });

  it("refuses another signer, a changed message, a flipped signature bit, a short signature", async () => {
    const r = receipt();
    expect(await both({ ...r, signer: newOperator().key as Address })).to.equal(false);
    const message = Uint8Array.from(r.message);
    message[50]! ^= 1;
    expect(await both({ ...r, message, fields: { ...r.fields, cumulativeUnits: r.fields.cumulativeUnits ^ (1n << 32n) } })).to.equal(false);
    const signature = Uint8Array.from(r.signature);
    signature[0]! ^= 1;
    expect(await both({ ...r, signature })).to.equal(false);
    expect(await checkSignature(r.signer, r.signature.subarray(0, 63), r.message)).to.equal(false);
  });

  it("refuses a signer that is not a valid key instead of throwing", async () => {
    const r = receipt();
    expect(await checkSignature("not-base58-0OIl" as Address, r.signature, r.message)).to.equal(false);
  });
});
