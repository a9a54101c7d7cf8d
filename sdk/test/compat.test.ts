// web3.js 1.x and Anchor users: every instruction built by Anchor's `Program` from the IDL has
// the same bytes and account metas as the SDK's kit builder; an SDK flow's instruction runs
// from a web3.js Connection and Keypair; Anchor's Program drives the deployed program.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import anchor from "@coral-xyz/anchor";
import { Connection, Keypair, PublicKey, Transaction, sendAndConfirmTransaction } from "@solana/web3.js";
import { createNoopSigner, generateKeyPairSigner, type Address, type Instruction } from "@solana/kit";
import * as generated from "../src/generated/instructions";
import { getDepositInstruction, getSetOperatorRateInstruction } from "../src/generated/instructions";
import { balanceAddress, operatorAddress } from "../src/pdas.ts";
import { readBalance, readOperator } from "../src/read/accounts.ts";
import { registerOperator } from "../src/flows/index.ts";
import { encodeSku } from "../src/receipts/sku.ts";
import { signerFromWeb3Keypair, toWeb3Instruction } from "../src/web3js.ts";
import { requireCluster } from "./support/cluster.ts";
import { newWallet, testDeployment, type TestDeployment } from "./support/escrow.ts";

const IDL = JSON.parse(readFileSync(fileURLToPath(new URL("../../idl/arknet_escrow.json", import.meta.url)), "utf8"));
const { BN, Program, AnchorProvider } = anchor as any;

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const pascal = (s: string) => camel(s).replace(/^./, (c) => c.toUpperCase());
let counter = 1;

/** Deterministic sample values of an IDL type: [Anchor's JS value, kit's value]. */
function sample(type: any): [unknown, unknown] {
  const n = counter++;
  if (type === "u8") return [n % 200, n % 200];
  if (type === "u16") return [n * 7, n * 7];
  if (type === "u32") return [n * 1_001, n * 1_001];
  if (type === "u64" || type === "i64") return [new BN(n * 1_000_003), BigInt(n * 1_000_003)];
  if (type === "bool") return [n % 2 === 1, n % 2 === 1];
  if (type === "pubkey") {
    const k = Keypair.generate().publicKey;
    return [k, k.toBase58()];
  }
  if (type.array) {
    const bytes = Array.from({ length: type.array[1] }, (_, i) => (n + i) % 256);
    return [bytes, new Uint8Array(bytes)];
  }
  if (type.vec) {
    const items = [sample(type.vec), sample(type.vec)];
    return [items.map((i) => i[0]), items.map((i) => i[1])];
  }
  if (type.defined) {
    const def = IDL.types.find((t: any) => t.name === type.defined.name);
    const a: any = {}, k: any = {};
    for (const f of def.type.fields) [a[camel(f.name)], k[camel(f.name)]] = sample(f.type);
    return [a, k];
  }
  throw new Error(`no sample for ${JSON.stringify(type)}`);
}

function metas(ix: Instruction) {
  return (ix.accounts ?? []).map((m) => `${m.address}:${m.role}`);
}

describe("web3.js and Anchor compatibility", function () {
  let t: TestDeployment;
  let connection: Connection;

  before(async function () {
    requireCluster(this);
    t = await testDeployment();
    connection = new Connection(t.c.rpcUrl, { commitment: "confirmed", wsEndpoint: t.c.wsUrl });
  });

  it("Anchor's Program builds every instruction with the kit builder's exact bytes and accounts", async () => {
    const provider = new AnchorProvider(connection, { publicKey: Keypair.generate().publicKey, signTransaction: async (x: any) => x, signAllTransactions: async (x: any) => x }, {});
    const program = new Program({ ...IDL, address: t.deployment.programAddress }, provider);
    for (const ixDef of IDL.instructions) {
      const anchorArgs: unknown[] = [];
      const kitInput: Record<string, unknown> = {};
      for (const arg of ixDef.args) {
        const [a, k] = sample(arg.type);
        anchorArgs.push(a);
        kitInput[camel(arg.name)] = k;
      }
      const anchorAccounts: Record<string, PublicKey> = {};
      for (const acc of ixDef.accounts) {
        const key = Keypair.generate().publicKey;
        anchorAccounts[camel(acc.name)] = key;
        kitInput[camel(acc.name)] = acc.signer ? createNoopSigner(key.toBase58() as Address) : key.toBase58();
      }
      const fromAnchor = await program.methods[camel(ixDef.name)](...anchorArgs).accountsStrict(anchorAccounts).instruction();
      const build = (generated as unknown as Record<string, Function>)[`get${pascal(ixDef.name)}Instruction`];
      const fromKit: Instruction = build(kitInput, { programAddress: t.deployment.programAddress });
      const fromAnchorAsKit = toWeb3Instruction(fromKit);
      expect(Buffer.from(fromAnchor.data).equals(Buffer.from(fromKit.data!)), `${ixDef.name} data`).to.equal(true);
      expect(fromAnchor.programId.toBase58()).to.equal(fromKit.programAddress);
      expect(fromAnchor.keys.map((k: any) => `${k.pubkey.toBase58()}:${k.isSigner}:${k.isWritable}`), `${ixDef.name} accounts`).to.deep.equal(
        fromAnchorAsKit.keys.map((k) => `${k.pubkey.toBase58()}:${k.isSigner}:${k.isWritable}`),
      );
      expect(metas(fromKit)).to.have.length(ixDef.accounts.length);
    }
  });

  it("a web3.js Keypair and Connection send an SDK instruction (deposit) through toWeb3Instruction", async () => {
    const web3Buyer = Keypair.generate();
    await connection.confirmTransaction(await connection.requestAirdrop(web3Buyer.publicKey, 2_000_000_000), "confirmed");
    const signer = await signerFromWeb3Keypair(web3Buyer);
    expect(signer.address).to.equal(web3Buyer.publicKey.toBase58());
    const funded = await newWallet(t, 5_000_000n);
    // the tokens come from a kit wallet's account; the web3.js wallet signs as depositor
    const { getTransferInstruction } = await import("@solana-program/token");
    const { createAssociatedTokenAccountIdempotent } = await import("../src/flows/tokens.ts");
    const { sendInstructions } = await import("../src/tx/send.ts");
    const ata = await createAssociatedTokenAccountIdempotent(funded.wallet, signer.address, t.deployment.mint, t.deployment.tokenProgram);
    await sendInstructions(t.client, funded.wallet, [ata.instruction, getTransferInstruction({ source: funded.tokenAccount, destination: ata.address, authority: funded.wallet, amount: 5_000_000n })]);
    const ix = getDepositInstruction(
      {
        depositor: createNoopSigner(signer.address),
        buyer: signer.address,
        config: t.deployment.config,
        balance: await balanceAddress(t.deployment.config, signer.address, t.deployment.programAddress),
        source: ata.address,
        vault: t.deployment.vault,
        mint: t.deployment.mint,
        tokenProgram: t.deployment.tokenProgram,
        amount: 1_234_567n,
      },
      { programAddress: t.deployment.programAddress },
    );
    await sendAndConfirmTransaction(connection, new Transaction().add(toWeb3Instruction(ix)), [web3Buyer], { commitment: "confirmed" });
    expect((await readBalance(t.client.rpc, t.deployment, signer.address))!.available).to.equal(1_234_567n);
  });

  it("Anchor's Program drives the deployed program (set_operator_rate through program.methods…rpc())", async () => {
    const kp = Keypair.generate();
    await connection.confirmTransaction(await connection.requestAirdrop(kp.publicKey, 2_000_000_000), "confirmed");
    const authority = await signerFromWeb3Keypair(kp);
    const { operator } = await registerOperator(t.client, t.deployment, { authority, signingKey: await generateKeyPairSigner() });
    const wallet = {
      publicKey: kp.publicKey,
      signTransaction: async (tx: Transaction) => (tx.partialSign(kp), tx),
      signAllTransactions: async (txs: Transaction[]) => txs.map((tx) => (tx.partialSign(kp), tx)),
    };
    const program = new Program({ ...IDL, address: t.deployment.programAddress }, new AnchorProvider(connection, wallet, { commitment: "confirmed" }));
    await program.methods.setOperatorRate(Array.from(encodeSku("H200")), new BN(4_321)).accountsStrict({ authority: kp.publicKey, operator: new PublicKey(operator) }).rpc();
    const op = await readOperator(t.client.rpc, t.deployment, authority.address);
    expect(op!.rates[0].price).to.equal(4_321n);
    // and the same instruction from the kit builder is byte-identical
    const kitIx = getSetOperatorRateInstruction({ authority: createNoopSigner(authority.address), operator, sku: encodeSku("H200"), price: 4_321n }, { programAddress: t.deployment.programAddress });
    const anchorIx = await program.methods.setOperatorRate(Array.from(encodeSku("H200")), new BN(4_321)).accountsStrict({ authority: kp.publicKey, operator: new PublicKey(operator) }).instruction();
    expect(Buffer.from(anchorIx.data).equals(Buffer.from(kitIx.data))).to.equal(true);
    expect(await operatorAddress(t.deployment.config, authority.address, t.deployment.programAddress)).to.equal(operator);
  });
});
