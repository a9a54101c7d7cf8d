// End to end over RPC: one whole escrow execution sent to a validator process (the localnet,
// or Agave's with ARKNET_VALIDATOR=solana-test-validator) through the SDK, which builds, signs,
// sends and confirms every transaction through signatureSubscribe (kit's sendAndConfirm). The
// bill is then read back twice, independently of the SDK's readers: from the finalize
// transaction's logs (getTransaction) and from the accounts (getProgramAccounts).
import { expect } from "chai";
import { createKeyPairSignerFromBytes, generateKeyPairSigner, getBase58Decoder, lamports, type Address, type KeyPairSigner, type ReadonlyUint8Array } from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { getMintToInstruction } from "@solana-program/token";
import { findAgave, selectedValidator, startValidator, type RunningValidator } from "@arknet/localnet/launch";
import {
  EXECUTION_DISCRIMINATOR,
  EndReason,
  OPERATOR_DISCRIMINATOR,
  OperatorStatus,
  PROGRAM_ID,
  assignSegment,
  createAssociatedTokenAccountIdempotent,
  createClient,
  decodeEvents,
  deposit,
  finalize,
  getExecutionDecoder,
  getOperatorDecoder,
  initialize,
  registerOperator,
  reserve,
  sendInstructions,
  setOperatorStatus,
  signReceipt,
  submitReceipts,
  type SolanaClient,
} from "@arknet/escrow";

const PRICE = 7n; // token base units per work unit

describe("e2e over RPC: one escrow execution", function () {
  this.timeout(180_000);
  let v: RunningValidator;
  let client: SolanaClient;

  before(async function () {
    const agave = findAgave();
    if (selectedValidator() !== "localnet" && "reason" in agave) {
      console.log(`    skipped: ARKNET_VALIDATOR=solana-test-validator, but ${agave.reason}`);
      this.skip();
    }
    v = await startValidator();
    if (!v.programs.some((p) => p.programId === PROGRAM_ID)) {
      await v.stop();
      console.log("    skipped: the escrow program is not built (npm run build:program)");
      this.skip();
    }
    client = createClient(v.rpcUrl, v.wsUrl);
  });
  after(async () => {
    await v?.stop();
  });

  async function funded(from: KeyPairSigner, sol = 10n): Promise<KeyPairSigner> {
    const who = await generateKeyPairSigner();
    await sendInstructions(client, from, [getTransferSolInstruction({ source: from, destination: who.address, amount: lamports(sol * 1_000_000_000n) })]);
    return who;
  }

  it("initialize, deposit, reserve, assign, submit receipts, finalize: the bill in the logs, the accounts by getProgramAccounts", async () => {
    const admin = await createKeyPairSignerFromBytes(v.upgradeAuthority.secretKey);
    const faucet = await createKeyPairSignerFromBytes(v.faucet.secretKey);
    const mint = v.usdcMint as Address;
    const router = await funded(admin);
    const { deployment: d } = await initialize(client, { admin, mint, router: router.address, feeBps: 250 });

    const buyer = await funded(admin);
    const tokens = await createAssociatedTokenAccountIdempotent(buyer, buyer.address, mint, d.tokenProgram);
    await sendInstructions(client, faucet, [tokens.instruction, getMintToInstruction({ mint, token: tokens.address, mintAuthority: faucet, amount: 1_000_000n })]);

    const opAuthority = await funded(admin);
    const opKey = await generateKeyPairSigner();
    const { operator } = await registerOperator(client, d, { authority: opAuthority, signingKey: opKey, rates: [{ sku: "H100", price: PRICE }] });
    await setOperatorStatus(client, d, { admin, operator, status: OperatorStatus.Active });

    await deposit(client, d, { depositor: buyer, amount: 100_000n });
    const { execution } = await reserve(client, d, { buyer, maxBurn: 100_000n, durationSecs: 3_600n });
    await assignSegment(client, d, { router, execution, operator, sku: "H100", maxPrice: PRICE });
    const receipts = [1, 2].map((sequence) => signReceipt(opKey, { execution, segment: 0, sku: "H100", cumulativeUnits: 500n * BigInt(sequence), sequence }));
    const settled = await submitReceipts(client, d, { feePayer: router, execution, receipts: await Promise.all(receipts) });
    expect(settled.signatures).to.have.length(1);

    // Fees as the leader charges them: the router's signature plus the two receipts' signatures.
    const settleTx = await client.rpc.getTransaction(settled.signatures[0], { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
    expect(settleTx!.meta!.fee).to.equal(15_000n);
    expect(decodeEvents(settleTx!.meta!.logMessages!, d.programAddress).map((e) => e.name)).to.include("ReceiptsSettled");

    const { signature } = await finalize(client, d, { authority: router, execution, reason: EndReason.Completed });
    const finTx = await client.rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
    const bill = decodeEvents(finTx!.meta!.logMessages!, d.programAddress).find((e) => e.name === "ExecutionFinalized");
    expect(bill, "ExecutionFinalized in the finalize logs").to.not.equal(undefined);
    const data = bill!.data as { consumed: bigint; fee: bigint; refund: bigint; reason: number; segments: { units: bigint; charged: bigint }[] };
    const consumed = 1_000n * PRICE;
    expect(data.consumed).to.equal(consumed);
    expect(data.fee).to.equal((consumed * 250n) / 10_000n);
    expect(data.refund).to.equal(100_000n - consumed);
    expect(data.reason).to.equal(EndReason.Completed);
    expect(data.segments.map((s) => [s.units, s.charged])).to.deep.equal([[1_000n, consumed]]);

    // The accounts through getProgramAccounts with a discriminator memcmp: the settled execution
    // (kept for its review window) and the operator, decoded with the SDK's codecs.
    const b58 = getBase58Decoder();
    const byDiscriminator = async (disc: ReadonlyUint8Array) =>
      client.rpc
        .getProgramAccounts(d.programAddress, { commitment: "confirmed", encoding: "base64", filters: [{ memcmp: { offset: 0n, bytes: b58.decode(disc), encoding: "base58" } }] as never })
        .send() as unknown as Promise<{ pubkey: Address; account: { data: [string, string] } }[]>;
    const executions = await byDiscriminator(EXECUTION_DISCRIMINATOR);
    const ours = executions.find((a) => a.pubkey === execution);
    expect(ours, "the execution by getProgramAccounts").to.not.equal(undefined);
    const onChain = getExecutionDecoder().decode(Buffer.from(ours!.account.data[0], "base64"));
    expect(onChain.consumed).to.equal(consumed);
    const operators = await byDiscriminator(OPERATOR_DISCRIMINATOR);
    const op = operators.find((a) => a.pubkey === operator);
    expect(op, "the operator by getProgramAccounts").to.not.equal(undefined);
    expect(getOperatorDecoder().decode(Buffer.from(op!.account.data[0], "base64")).authority).to.equal(opAuthority.address);
  });
});
