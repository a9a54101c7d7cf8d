// Anchor's own client can drive the program: instructions built by
// `new anchor.Program(idl, provider).methods.<name>(...).accounts(...).instruction()`
// (@coral-xyz/anchor 0.32, PDAs resolved from the IDL's seeds) run in LiteSVM, and the
// same Program decodes every account and every event the program writes: each field,
// under its camelCase name, re-encoded, equals the raw bytes at its offset.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import { AccountRole, address, type Address, type Instruction } from "@solana/kit";
import { END, Deployment, expectOk, type Buyer, type Operator, settle } from "../support/deployment.ts";
import { dataOf, type TxResult } from "../support/svm.ts";
import { encodeSku } from "@arknet/escrow";
import { eventOf } from "../support/events.ts";

const idl = JSON.parse(readFileSync(new URL("../../idl/arknet_escrow.json", import.meta.url), "utf8"));
const { BN } = anchor;
const { PublicKey } = anchor.web3;
const pubkey = (a: Address) => new PublicKey(a);

type Web3Instruction = InstanceType<typeof anchor.web3.TransactionInstruction>;

/** A web3.js instruction as a @solana/kit instruction. */
function toKit(ix: Web3Instruction): Instruction {
  const role = (signer: boolean, writable: boolean) =>
    signer
      ? writable ? AccountRole.WRITABLE_SIGNER : AccountRole.READONLY_SIGNER
      : writable ? AccountRole.WRITABLE : AccountRole.READONLY;
  return {
    programAddress: address(ix.programId.toBase58()),
    accounts: ix.keys.map((k) => ({ address: address(k.pubkey.toBase58()), role: role(k.isSigner, k.isWritable) })),
    data: new Uint8Array(ix.data),
  };
}

/** An Anchor Program over a connection that is never used: only `.instruction()` is called. */
function anchorProgram(): anchor.Program {
  const connection = new anchor.web3.Connection("http://127.0.0.1:1");
  const wallet = {
    publicKey: anchor.web3.Keypair.generate().publicKey,
    signTransaction: async <T>(tx: T) => tx,
    signAllTransactions: async <T>(txs: T[]) => txs,
  };
  return new anchor.Program(idl, new anchor.AnchorProvider(connection, wallet, {}));
}

describe("Anchor client", () => {
  let d: Deployment;
  let op: Operator;
  let buyer: Buyer;
  let program: anchor.Program;

  beforeEach(async () => {
    d = await Deployment.create();
    op = await d.newOperator({ H100: 40n });
    buyer = await d.newBuyer(1_000n);
    program = anchorProgram();
  });

  it("builds set_operator_rate with program.methods and runs it", async () => {
    const built = await program.methods
      .setOperatorRate(Array.from(encodeSku("A100")), new BN(25))
      .accounts({ authority: pubkey(op.authority.address), operator: pubkey(op.address) })
      .instruction();
    const r = await expectOk(d.send(op.authority, [toKit(built)]), "anchor-built set_operator_rate");
    const rates = d.account("Operator", op.address).rates.slice(0, 2).map((r: any) => [r.sku, r.price]);
    expect(rates).to.deep.equal([[encodeSku("H100"), 40n], [encodeSku("A100"), 25n]]);
    expect(eventOf(r, "OperatorUpdated")).to.include({ operator: op.address, rateCount: 2 });
  });

  it("builds deposit with the config and balance PDAs resolved from the IDL seeds", async () => {
    const built = await program.methods
      .deposit(new BN(600))
      .accounts({
        depositor: pubkey(buyer.wallet.address),
        buyer: pubkey(buyer.wallet.address),
        config: pubkey(d.config),
        source: pubkey(buyer.tokens),
        vault: pubkey(d.vault),
        mint: pubkey(d.mint),
        tokenProgram: pubkey(d.tokenProgram),
      })
      .instruction();
    const kit = toKit(built);
    expect(kit.accounts!.slice(2, 4).map((a) => a.address)).to.deep.equal([d.config, buyer.balance]);
    await expectOk(d.send(buyer.wallet, [kit]), "anchor-built deposit");
    expect(d.account("Balance", buyer.balance).available).to.equal(600n);
    expect(d.tokens(d.vault)).to.equal(600n);
  });
});

// ---- decoding every account and event through anchor.Program ----

type IdlType = any;
const snakeTypes = new Map<string, any>(idl.types.map((t: any) => [t.name, t]));

/** The bytes borsh gives `value` (as anchor decoded it) of IDL type `ty`; `camel` is the camelCase IDL type. */
function encode(ty: IdlType, camel: IdlType, value: any): number[] {
  if (typeof ty === "string") {
    const le = (n: bigint, size: number) => Array.from({ length: size }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
    switch (ty) {
      case "u8": case "u16": case "u32": {
        const size = { u8: 1, u16: 2, u32: 4 }[ty];
        expect(value, ty).to.be.a("number");
        return le(BigInt(value), size);
      }
      case "u64": case "i64":
        expect(BN.isBN(value), `${ty} as BN`).to.equal(true);
        return le(BigInt.asUintN(64, BigInt(value.toString())), 8);
      case "bool":
        expect(value, "bool").to.be.a("boolean");
        return [value ? 1 : 0];
      case "pubkey":
        expect(value).to.be.instanceOf(PublicKey);
        return Array.from(value.toBytes());
      default:
        throw new Error(`type ${ty}`);
    }
  }
  if (ty.array) {
    expect(value).to.have.length(ty.array[1]);
    return value.flatMap((v: any) => encode(ty.array[0], camel.array[0], v));
  }
  if (ty.vec) {
    return [...encode("u32", "u32", value.length), ...value.flatMap((v: any) => encode(ty.vec, camel.vec, v))];
  }
  if (ty.defined) return encodeStruct(ty.defined.name, camel.defined.name, value);
  throw new Error(`type ${JSON.stringify(ty)}`);
}

/**
 * Re-encodes a struct field by field, in IDL order, reading each from the decoded object
 * under its camelCase name; the camelCase names must be distinct and be exactly the keys
 * anchor decoded (a collision such as `_reserved` / `reserved` loses a field).
 */
function encodeStruct(snakeName: string, camelName: string, value: any): number[] {
  const snake = snakeTypes.get(snakeName)!.type.fields;
  const camelFields = camelTypes().get(camelName)!.type.fields;
  const names = camelFields.map((f: any) => f.name);
  expect(new Set(names).size, `${snakeName}: camelCase field names collide: ${names}`).to.equal(names.length);
  expect(Object.keys(value).sort(), `${snakeName}: decoded fields`).to.deep.equal([...names].sort());
  return snake.flatMap((f: any, i: number) => encode(f.type, camelFields[i].type, value[names[i]]));
}

let camelTypeMap: Map<string, any> | undefined;
const camelTypes = () => (camelTypeMap ??= new Map(anchorProgram().idl.types!.map((t: any) => [t.name, t])));

/** The camelCase name anchor gives the IDL type `name`. */
const camelName = (name: string) => anchorProgram().idl.types![idl.types.findIndex((t: any) => t.name === name)].name;

describe("Anchor client decodes every account and event", () => {
  let program: anchor.Program;
  const events = new Map<string, string>(); // snake IDL name -> base64 "Program data"
  const accounts = new Map<string, Uint8Array>();

  const collect = (r: TxResult) => {
    for (const line of r.logs) {
      const m = line.match(/^Program data: (.+)$/);
      if (!m) continue;
      const disc = Buffer.from(m[1], "base64").subarray(0, 8);
      const ev = idl.events.find((e: any) => Buffer.from(e.discriminator).equals(disc));
      if (ev) events.set(ev.name, m[1]);
    }
    return r;
  };

  before(async () => {
    program = anchorProgram();
    const d = await Deployment.create({ feeBps: 250 });
    collect(d.initializeResult);
    const buyer = await d.newBuyer(1_000_000n);
    const op = await d.operatorAccounts();
    collect(await expectOk(d.send(op.authority, [d.registerIx(op), d.setRateIx(op, "H100", 40n)])));
    collect(await expectOk(d.send(d.admin, [d.setStatusIx(op, 1)])));
    collect(await d.deposit(buyer, 500_000n));
    collect(await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, 1_000n)])));
    const { execution, result } = await d.reserve(buyer, 3n, 200_000n, { priceCaps: [{ sku: "H100", maxPrice: 50n }] });
    collect(result);
    collect(await expectOk(d.send(buyer.wallet, [d.topUpIx(buyer, execution, 5_000n)])));
    collect(await d.assign(execution, 0, op, "H100", { maxPrice: 45n, budget: 150_000n }));
    collect(await settle(d, execution, [
      { op, segment: 0, sku: "H100", units: 1_000n, seq: 1 },
      { op, segment: 0, sku: "H100", units: 1_234n, seq: 7 },
    ]));
    collect(await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer, { reason: END.completed })])));
    collect(await expectOk(d.send(buyer.wallet, [d.rateIx(execution, buyer, op, 4)])));
    for (const [name, at] of [["Config", d.config], ["Operator", op.address], ["Balance", buyer.balance], ["Execution", execution]] as [string, Address][]) {
      accounts.set(name, new Uint8Array(dataOf(d.svm, at)));
    }
    collect(await expectOk(d.send(buyer.wallet, [d.closeIx(execution, buyer.wallet, buyer.wallet.address)])));
    collect(await expectOk(d.send(op.authority, [d.claimIx(op, 1_000n)])));
    collect(await expectOk(d.send(d.admin, [d.withdrawFeesIx(10n, d.treasury, d.admin, [op.address])])));
  });

  for (const { name } of idl.accounts as { name: string }[]) {
    it(`account ${name}: every field equals its raw bytes`, () => {
      const raw = accounts.get(name)!;
      expect(raw, `no ${name} account captured`).to.not.equal(undefined);
      const decoded = program.coder.accounts.decode(camelName(name), Buffer.from(raw));
      const bytes = encodeStruct(name, camelName(name), decoded);
      expect(bytes.length + 8).to.equal(raw.length);
      expect(Buffer.from(bytes).equals(Buffer.from(raw.subarray(8))), `${name} bytes`).to.equal(true);
    });
  }

  for (const { name } of idl.events as { name: string }[]) {
    it(`event ${name}: every field equals its raw bytes`, () => {
      const data = events.get(name);
      expect(data, `no ${name} event captured`).to.not.equal(undefined);
      const ev = program.coder.events.decode(data!);
      expect(ev?.name).to.equal(camelName(name));
      const raw = Buffer.from(data!, "base64").subarray(8);
      const bytes = encodeStruct(name, camelName(name), ev!.data);
      expect(Buffer.from(bytes).equals(raw), `${name} bytes`).to.equal(true);
    });
  }
});
