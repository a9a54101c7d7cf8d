// Receipts: canonical bytes, signing with every kind of key, verification, and the Ed25519
// precompile instruction checked by the real validator's precompile (simulated; no program needed).
import { expect } from "chai";
import {
  createKeyPairSignerFromPrivateKeyBytes,
  generateKeyPair,
  generateKeyPairSigner,
  getAddressFromPublicKey,
  type Address,
} from "@solana/kit";
import {
  decodeReceiptMessage,
  encodeReceiptMessage,
  encodeSku,
  getEd25519VerifyInstruction,
  packReceipts,
  publicKeyBytes,
  signReceipt,
  verifyReceipt,
  type ReceiptFields,
} from "../src/receipts/index.ts";
import { isArknetError } from "../src/errors.ts";
import { simulate } from "../src/tx/send.ts";
import { cluster, fundedSigner, requireCluster } from "./support/cluster.ts";

const execution = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" as Address;
const fields: ReceiptFields = { execution, segment: 3, sku: "H100", cumulativeUnits: 1_240n, sequence: 7 };

describe("receipt messages", () => {
  it("lays out the 58 canonical bytes of docs/protocol.md", () => {
    const msg = encodeReceiptMessage(fields);
    expect(msg.length).to.equal(58);
    expect(Buffer.from(msg.subarray(0, 5)).toString("hex")).to.equal("41524b5202"); // "ARKR", version 2
    expect(msg[37]).to.equal(3);
    expect(Buffer.from(msg.subarray(38, 46)).toString("latin1")).to.equal("H100\0\0\0\0");
    expect(Buffer.from(msg.subarray(46, 54)).readBigUInt64LE()).to.equal(1_240n);
    expect(Buffer.from(msg.subarray(54, 58)).readUInt32LE()).to.equal(7);
    expect(decodeReceiptMessage(msg)).to.deep.equal(fields);
  });

  it("refuses fields the program could never accept", () => {
    for (const bad of [{ sequence: 0 }, { segment: 256 }, { cumulativeUnits: -1n }, { sku: "" }, { sku: "TOO-LONG-SKU" }, { sku: "H 100" }]) {
      expect(() => encodeReceiptMessage({ ...fields, ...bad }), JSON.stringify(bad, (_k, v) => (typeof v === "bigint" ? `${v}` : v))).to.throw();
    }
    expect(() => encodeSku("RTX5090")).not.to.throw();
  });

  it("remembers address bytes without sharing them: a caller writing into them changes nothing later", () => {
    const key = publicKeyBytes(execution);
    key.fill(0);
    expect(publicKeyBytes(execution)).to.deep.equal(encodeReceiptMessage(fields).subarray(5, 37));
    expect(publicKeyBytes(execution).some((b) => b !== 0)).to.equal(true);
    expect(decodeReceiptMessage(encodeReceiptMessage(fields)).execution).to.equal(execution);
    expect(() => publicKeyBytes("not-an-address" as Address)).to.throw();
  });
});

describe("signReceipt / verifyReceipt", () => {
  const seed = new Uint8Array(32).fill(7);

  it("signs with a KeyPairSigner, a CryptoKeyPair, a private CryptoKey and raw secret bytes, all alike", async () => {
    const signer = await createKeyPairSignerFromPrivateKeyBytes(seed, true);
    const fromSigner = await signReceipt(signer, fields);
    const fromPair = await signReceipt(signer.keyPair, fields);
    const fromPrivate = await signReceipt(signer.keyPair.privateKey, fields);
    const fromSeed = await signReceipt(seed, fields);
    const solanaSecret = new Uint8Array(64);
    solanaSecret.set(seed);
    solanaSecret.set(publicKeyBytes(signer.address), 32); // the Solana CLI keypair format: seed ‖ public key
    const fromCliFormat = await signReceipt(solanaSecret, fields);
    for (const r of [fromPair, fromPrivate, fromSeed, fromCliFormat]) {
      expect(r.signer).to.equal(signer.address);
      expect(Buffer.from(r.signature).equals(Buffer.from(fromSigner.signature))).to.equal(true); // ed25519 is deterministic
      expect(await verifyReceipt(r, signer.address)).to.equal(true);
    }
  });

  it("needs the public key of a non-extractable private CryptoKey", async () => {
    const pair = await generateKeyPair();
    const err = await signReceipt(pair.privateKey, fields).catch((e) => e);
    expect(isArknetError(err, "InvalidKey")).to.equal(true);
    const publicKey = await getAddressFromPublicKey(pair.publicKey);
    const r = await signReceipt(pair.privateKey, fields, { publicKey });
    expect(await verifyReceipt(r, publicKey)).to.equal(true);
  });

  it("rejects tampered fields, another signer, and bad secret lengths", async () => {
    const r = await signReceipt(seed, fields);
    expect(await verifyReceipt({ ...r, fields: { ...r.fields, cumulativeUnits: 1_241n } })).to.equal(false);
    expect(await verifyReceipt(r, (await generateKeyPairSigner()).address)).to.equal(false);
    const other = await signReceipt(new Uint8Array(32).fill(8), fields);
    expect(await verifyReceipt({ ...r, signer: other.signer })).to.equal(false);
    expect(isArknetError(await signReceipt(new Uint8Array(31), fields).catch((e) => e), "InvalidKey")).to.equal(true);
  });
});

describe("packReceipts", () => {
  it("cuts at the signature limit and at the byte limit, keeping order", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(packReceipts(items, () => 100).map((b) => b.length)).to.deep.equal([8, 8, 4]);
    expect(packReceipts(items, (b) => 200 + 150 * b.length).map((b) => b.length)).to.deep.equal([6, 6, 6, 2]);
    expect(packReceipts(items, (b) => 200 + 150 * b.length).flat()).to.deep.equal(items);
    expect(() => packReceipts([1], () => 5000)).to.throw(/does not fit/);
  });
});

describe("getEd25519VerifyInstruction against the validator's precompile", function () {
  before(function () {
    requireCluster(this);
  });

  it("verifies receipts of two keys (shared key bytes), and fails on one wrong byte", async () => {
    const { client } = await cluster();
    const payer = await fundedSigner(client, 1n);
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    const receipts = await Promise.all([
      signReceipt(a, { ...fields, sequence: 1 }),
      signReceipt(b, { ...fields, segment: 4, sequence: 1 }),
      signReceipt(a, { ...fields, sequence: 2, cumulativeUnits: 2_000n }),
    ]);
    const ix = getEd25519VerifyInstruction(receipts);
    expect(ix.data!.length).to.equal(2 + 3 * 14 + 2 * 32 + 3 * (64 + 58));
    await simulate(client, payer, [ix]);
    const forged = new Uint8Array(ix.data!);
    forged[forged.length - 1] ^= 1; // last message byte: the sequence of the third receipt
    const err = await simulate(client, payer, [{ ...ix, data: forged }]).catch((e) => e);
    expect(isArknetError(err, "TransactionFailed"), String(err)).to.equal(true);
    expect(err.instructionIndex, err.message).to.equal(1); // after the compute-unit limit
  });
});
