// Attack classes 8 and 12: forged receipts. submit_receipts trusts only what the Ed25519
// precompile verified in the instruction right before it, read through that
// instruction's own offsets, naming this execution (whose address fixes the program, the
// deployment and so the cluster), signed by the segment operator's current key, each
// raising units and sequence.
import { expect } from "chai";
import { signBytes, type Address, type Instruction } from "@solana/kit";
import { expectRefused } from "../support/refusals.ts";
import { Deployment, expectOk, type Operator, newSigningKey } from "../support/deployment.ts";
import { PROGRAM_ID } from "../support/svm.ts";
import { replaceAccount } from "../support/mutate.ts";
import { CLOCK_SYSVAR, customError, expectFailed, freshAddress, H100_PRICE, plantData, transferLamports, world, type World } from "./support.ts";
import {
  ED25519_PROGRAM,
  INSTRUCTIONS_SYSVAR,
  encodeReceiptMessage,
  executionAddress,
  getEd25519VerifyInstruction,
  signReceipt,
  type PrecompileSignature,
  type ReceiptFields,
  type SignedReceipt,
} from "@arknet/escrow";

// Field offsets inside one 14-byte offsets record of the precompile data.
const SIG_IX = 2;
const KEY_IX = 6;
const MSG_IX = 12;
const RECORD = (i: number) => 2 + 14 * i;
// The precompile's own errors (solana-precompile-error): InvalidSignature, InvalidDataOffsets, InvalidInstructionDataSize.
const PRECOMPILE_INVALID_SIGNATURE = 2;
const PRECOMPILE_INVALID_DATA_OFFSETS = 3;
const PRECOMPILE_INVALID_DATA_SIZE = 4;

describe("security: Ed25519 receipt spoofing", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  /** A receipt for `w.execution` segment 0 (H100) by `op`, with field overrides. */
  const receipt = (over: Partial<ReceiptFields> = {}, op: Operator = w.op): Promise<SignedReceipt> =>
    signReceipt(op.key, {
      execution: w.execution,
      segment: 0,
      sku: "H100",
      cumulativeUnits: 2_000n,
      sequence: 2,
      ...over,
    });
  /** The precompile instruction (built by the SDK) carrying `receipt(over, op)`. */
  const precompile = async (over: Partial<ReceiptFields> = {}, op: Operator = w.op): Promise<Instruction> =>
    getEd25519VerifyInstruction([await receipt(over, op)]);
  const submit = (operators: Address[] = [w.op.address]) => w.d.submitIx(w.execution, operators);
  const refuse = (name: string, instructions: Instruction[], extra: Address[] = []) =>
    expectRefused(w.d.svm, [...w.watched, ...extra], name, () => w.d.send(w.attacker.wallet, instructions));
  /** `pre` with u16 `value` written at byte `at` of its data. */
  const patched = (pre: Instruction, at: number, value: number): Instruction => {
    const data = new Uint8Array(pre.data!);
    new DataView(data.buffer).setUint16(at, value, true);
    return { ...pre, data };
  };

  it("a genuine receipt settles (control)", async () => {
    await expectOk(w.d.send(w.attacker.wallet, [await precompile(), submit()]), "submit");
    expect(w.d.account("Execution", w.execution).segments[0].settledUnits).to.equal(2_000n);
  });

  describe("the precompile's offsets", () => {
    for (const [field, at] of [["signature", SIG_IX], ["public key", KEY_IX], ["message", MSG_IX]] as const) {
      it(`${field} instruction index 0 (the precompile itself, at index 0): the precompile verifies, the program refuses InvalidEd25519Instruction`, async () => {
        const pre = patched(await precompile(), RECORD(0) + at, 0);
        await refuse("InvalidEd25519Instruction", [pre, submit()]);
      });
    }

    for (const [field, at] of [["signature", SIG_IX], ["public key", KEY_IX], ["message", MSG_IX]] as const) {
      it(`${field} instruction index 1 (submit_receipts' own data): the precompile refuses first (InvalidDataOffsets)`, async () => {
        const pre = patched(await precompile(), RECORD(0) + at, 1);
        await expectFailed(w.d.svm, w.watched, customError(0, PRECOMPILE_INVALID_DATA_OFFSETS), () => w.d.send(w.attacker.wallet, [pre, submit()]));
      });
    }

    it("all three indices pointing at a verified signature in another instruction: InvalidEd25519Instruction", async () => {
      // Instruction 0 verifies the operator's receipt itself; instruction 1 re-verifies
      // the same bytes by pointing into instruction 0; submit reads instruction 1.
      const real = await precompile();
      const pointer = new Uint8Array(real.data!.slice(0, 2 + 14));
      for (const at of [SIG_IX, KEY_IX, MSG_IX]) new DataView(pointer.buffer).setUint16(2 + at, 0, true);
      await refuse("InvalidEd25519Instruction", [real, { programAddress: ED25519_PROGRAM, accounts: [], data: pointer }, submit()]);
    });

    it("an unsigned message after the signed one is never read: only the signed units are charged", async () => {
      const pre = await precompile({ cumulativeUnits: 1_001n });
      const decoy = encodeReceiptMessage({ execution: w.execution, segment: 0, sku: "H100", cumulativeUnits: 900_000n, sequence: 3 });
      const data = new Uint8Array([...pre.data!, ...decoy]);
      const before = w.d.account("Execution", w.execution).consumed;
      await expectOk(w.d.send(w.attacker.wallet, [{ ...pre, data }, submit()]), "submit");
      expect(w.d.account("Execution", w.execution).consumed - before).to.equal(1n * H100_PRICE);
    });

    it("two offsets records pointing at one signed message: the second is not newer", async () => {
      const pre = getEd25519VerifyInstruction([await receipt(), await receipt()]);
      const data = new Uint8Array(pre.data!);
      data.copyWithin(RECORD(1), RECORD(0), RECORD(0) + 14);
      await refuse("ReceiptNotNewer", [{ ...pre, data }, submit()]);
    });

    it("a message altered after signing: the precompile refuses first", async () => {
      const r = { ...(await receipt()), signature: new Uint8Array(64).fill(1) };
      await expectFailed(w.d.svm, w.watched, customError(0, PRECOMPILE_INVALID_SIGNATURE), () =>
        w.d.send(w.attacker.wallet, [getEd25519VerifyInstruction([r]), submit()]),
      );
    });
  });

  describe("signature count", () => {
    it("zero signatures (a 2-byte precompile instruction the precompile accepts): NoReceipts", () =>
      refuse("NoReceipts", [{ programAddress: ED25519_PROGRAM, accounts: [], data: new Uint8Array([0, 0]) }, submit()]));

    it("a 1-byte precompile instruction: the precompile refuses first", () =>
      expectFailed(w.d.svm, w.watched, customError(0, PRECOMPILE_INVALID_DATA_SIZE), () =>
        w.d.send(w.attacker.wallet, [{ programAddress: ED25519_PROGRAM, accounts: [], data: new Uint8Array([0]) }, submit()]),
      ));
  });

  describe("what the message binds", () => {
    it("a receipt for another execution: ReceiptWrongExecution", async () => {
      const { execution: other } = await w.d.reserve(w.buyer, w.nextId, 1_000n);
      await w.d.assign(other, 0, w.op, "H100");
      await refuse("ReceiptWrongExecution", [await precompile({ execution: other }), submit()], [other]);
    });

    it("a receipt signed on another cluster (same program id, buyer, id, segment, SKU and key): ReceiptWrongExecution", async () => {
      // "devnet": the same program in another LiteSVM, the same buyer wallet and operator
      // (same authority, same signing key), the same execution id; only the salt differs.
      const devnet = await Deployment.create({ admin: w.d.admin });
      const buyer = await devnet.newBuyer(10_000_000n, w.buyer.wallet);
      const op: Operator = { ...(await devnet.operatorAccounts(w.op.authority)), key: w.op.key };
      await expectOk(devnet.send(op.authority, [devnet.registerIx(op), devnet.setRateIx(op, "H100", H100_PRICE)]), "register");
      await expectOk(devnet.send(devnet.admin, [devnet.setStatusIx(op, 1)]), "activate");
      await devnet.deposit(buyer, 5_000_000n);
      await devnet.reserve(buyer, 2n, 1_000_000n); // execution 2, as w.execution
      const { execution: devnetExecution } = await devnet.reserve(buyer, 3n, 1_000_000n);
      const sameId = (await executionAddress(devnet.config, buyer.wallet.address, 2n, PROGRAM_ID)).address;
      expect(sameId).to.not.equal(w.execution);
      expect(devnetExecution).to.not.equal(w.execution);
      // The operator signs for devnet's execution 2; replayed on this cluster it names another address.
      await refuse("ReceiptWrongExecution", [await precompile({ execution: sameId }), submit()]);
    });

    it("a receipt for a segment of another operator: ReceiptSignerMismatch", async () => {
      const other = await w.d.newOperator({ H100: 3n });
      await w.d.assign(w.execution, 1, other, "H100");
      await refuse("ReceiptSignerMismatch", [await precompile({ segment: 1, sequence: 1 }), submit([w.op.address, other.address])], [other.address]);
    });

    it("a receipt for an unassigned segment: SegmentNotAssigned", async () =>
      refuse("SegmentNotAssigned", [await precompile({ segment: 5 }), submit()]));

    it("a receipt naming another SKU than the segment's: ReceiptSkuMismatch", async () =>
      refuse("ReceiptSkuMismatch", [await precompile({ sku: "A100" }), submit()]));

    it("a stranger's key signing a well-formed receipt: ReceiptSignerMismatch", async () =>
      refuse("ReceiptSignerMismatch", [await precompile({}, { ...w.op, key: await newSigningKey() }), submit()]));

    it("a receipt replayed, or with units or sequence not above the settled ones: ReceiptNotNewer", async () => {
      await expectOk(w.d.send(w.attacker.wallet, [await precompile(), submit()]), "first");
      const stale = [
        { cumulativeUnits: 2_000n, sequence: 2 }, // the same receipt again
        { cumulativeUnits: 3_000n, sequence: 2 }, // more units, same sequence
        { cumulativeUnits: 2_000n, sequence: 3 }, // same units, later sequence
        { cumulativeUnits: 1_500n, sequence: 9 }, // fewer units
      ];
      for (const over of stale) await refuse("ReceiptNotNewer", [await precompile(over), submit()]);
    });

    it("a message of the wrong size, tag or version (v1 receipts included): MalformedReceipt", async () => {
      const good = (await receipt()).message;
      // Any bytes, signed by the operator's key: not a canonical receipt message.
      const signedBytes = async (message: Uint8Array): Promise<PrecompileSignature> => ({
        signer: w.op.key.address,
        message,
        signature: new Uint8Array(await signBytes(w.op.key.keyPair.privateKey, message)),
      });
      const variants = [good.slice(0, 57), Uint8Array.from([...good.slice(0, 57), 0, 0]), Uint8Array.from(good).fill(0x58, 0, 1), Uint8Array.from(good).fill(1, 4, 5)];
      for (const message of variants) {
        await refuse("MalformedReceipt", [getEd25519VerifyInstruction([await signedBytes(message)]), submit()]);
      }
    });
  });

  describe("keys that may no longer sign", () => {
    it("a suspended operator's receipt: OperatorNotActive; its earnings stay claimable", async () => {
      await expectOk(w.d.send(w.d.admin, [w.d.setStatusIx(w.op, 2)]), "suspend");
      await refuse("OperatorNotActive", [await precompile(), submit()]);
      const claimable = w.d.account("Operator", w.op.address).claimable;
      await expectOk(w.d.send(w.op.authority, [w.d.claimIx(w.op, claimable)]), "claim while suspended");
    });

    it("a receipt signed by a rotated-out key: ReceiptSignerMismatch; the new key signs", async () => {
      const next = await newSigningKey();
      await expectOk(w.d.send(w.op.authority, [w.d.rotateIx(w.op, next)]), "rotate");
      await refuse("ReceiptSignerMismatch", [await precompile(), submit()]);
      await expectOk(w.d.send(w.attacker.wallet, [await precompile({}, { ...w.op, key: next }), submit()]), "new key");
    });
  });

  describe("pairing with the precompile instruction", () => {
    it("one precompile instruction shared by two submits: the second finds no precompile before it", async () =>
      refuse("MissingEd25519Instruction", [await precompile(), submit(), submit()]));

    it("another instruction between the precompile and submit: MissingEd25519Instruction", async () =>
      refuse("MissingEd25519Instruction", [await precompile(), transferLamports(w.attacker.wallet, w.d.admin.address, 1n), submit()]));

    it("the precompile after submit, or none at all: MissingEd25519Instruction", async () => {
      await refuse("MissingEd25519Instruction", [submit(), await precompile()]);
      await refuse("MissingEd25519Instruction", [submit()]);
    });
  });
});

describe("security: fake Instructions sysvar", () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  const submitWith = (sysvar: Address) => replaceAccount(w.d.submitIx(w.execution, [w.op.address]), INSTRUCTIONS_SYSVAR, sysvar);
  const pre = async () =>
    getEd25519VerifyInstruction([await signReceipt(w.op.key, { execution: w.execution, segment: 0, sku: "H100", cumulativeUnits: 5_000n, sequence: 2 })]);

  it("the Clock sysvar in the Instructions sysvar slot: InvalidSysvar", () =>
    expectRefused(w.d.svm, w.watched, "InvalidSysvar", async () => w.d.send(w.attacker.wallet, [await pre(), submitWith(CLOCK_SYSVAR)])));

  it("an attacker account laid out like the Instructions sysvar, owned by the sysvar program: InvalidSysvar", async () => {
    const fake = await freshAddress();
    // Claims one instruction: a precompile instruction with an all-zero body.
    plantData(w.d.svm, fake, "Sysvar1111111111111111111111111111111111111" as Address, new Uint8Array(256));
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidSysvar", async () => w.d.send(w.attacker.wallet, [await pre(), submitWith(fake)]));
  });
});
