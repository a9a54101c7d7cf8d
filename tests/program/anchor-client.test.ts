// Anchor's own client can drive the program: instructions built by
// `new anchor.Program(idl, provider).methods.<name>(...).accounts(...).instruction()`
// (@coral-xyz/anchor 0.32, PDAs resolved from the IDL's seeds) run in LiteSVM.
import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import { AccountRole, address, type Instruction } from "@solana/kit";
import { Deployment, expectOk, type Buyer, type Operator } from "../helpers/escrow.ts";
import { BN, idl, pubkey, sku } from "../helpers/idl.ts";
import { eventOf } from "../helpers/tx.ts";

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
      .setOperatorRate(sku("A100"), new BN(25))
      .accounts({ authority: pubkey(op.authority.address), operator: pubkey(op.address) })
      .instruction();
    const r = await expectOk(d.send(op.authority, [toKit(built)]), "anchor-built set_operator_rate");
    const rates = d.account("Operator", op.address).rates.slice(0, 2);
    expect(rates).to.deep.equal([{ sku: sku("H100"), price: 40n }, { sku: sku("A100"), price: 25n }]);
    expect(eventOf(r, "OperatorUpdated")).to.include({ operator: op.address, rate_count: 2 });
  });

  it("builds deposit with the config and balance PDAs resolved from the IDL seeds", async () => {
    const built = await program.methods
      .deposit(new BN(600))
      .accounts({
        depositor: pubkey(buyer.wallet.address),
        buyer: pubkey(buyer.wallet.address),
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
