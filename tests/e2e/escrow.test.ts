// End to end over RPC: one whole escrow execution sent to a validator process (the localnet,
// or Agave's with ARKNET_VALIDATOR=solana-test-validator), each transaction built, signed,
// sent and confirmed through signatureSubscribe; the bill is read back from getTransaction
// logs and the accounts from getProgramAccounts. Instructions come from tests/helpers for now
// (the SDK will replace them): keep this file thin, the program's format is still moving.
import { expect } from "chai";
import {
  address,
  appendTransactionMessageInstructions,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getMintToInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from "@solana-program/token";
import { startValidator, type RunningValidator } from "@arknet/localnet/launch";
import { PROGRAM_ID, decodeAccount, decodeEvents, ix, pubkey, sku } from "../helpers/idl.ts";
import { balancePda, configPda, executionPda, operatorPda } from "../helpers/pdas.ts";
import { ed25519Instruction, newSigningKey, signReceipt } from "../helpers/receipts.ts";
import { programDataAddress } from "../helpers/svm.ts";

const SYSTEM = address("11111111111111111111111111111111");
const INSTRUCTIONS_SYSVAR = address("Sysvar1nstructions1111111111111111111111111");

describe("e2e over RPC: one escrow execution", function () {
  this.timeout(120_000);
  let v: RunningValidator;
  let rpc: ReturnType<typeof createSolanaRpc>;
  let subs: ReturnType<typeof createSolanaRpcSubscriptions>;

  before(async function () {
    v = await startValidator();
    if (!v.programs.some((p) => p.programId === PROGRAM_ID)) {
      await v.stop();
      console.log("    skipped: the escrow program is not built (npm run build:program)");
      this.skip();
    }
    rpc = createSolanaRpc(v.rpcUrl);
    subs = createSolanaRpcSubscriptions(v.wsUrl);
  });
  after(async () => {
    await v?.stop();
  });

  /** Builds, signs, sends one transaction and waits for its confirmed signatureNotification. */
  async function send(payer: KeyPairSigner, ixs: Instruction[]) {
    const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const tx = await signTransactionMessageWithSigners(
      pipe(
        createTransactionMessage({ version: "legacy" }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
        (m) => appendTransactionMessageInstructions(ixs, m),
      ),
    );
    const signature = getSignatureFromTransaction(tx);
    const done = new AbortController();
    const notifications = await subs.signatureNotifications(signature, { commitment: "confirmed" }).subscribe({ abortSignal: done.signal });
    const it = notifications[Symbol.asyncIterator]();
    const confirmed = it.next();
    await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: "base64", preflightCommitment: "confirmed" }).send();
    const n = (await confirmed).value!;
    done.abort();
    expect(n.value.err, `transaction ${signature} failed`).to.equal(null);
    const got = await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
    return got!;
  }

  async function funded(from: KeyPairSigner, sol = 10n) {
    const who = await generateKeyPairSigner();
    await send(from, [getTransferSolInstruction({ source: from, destination: who.address, amount: lamports(sol * 1_000_000_000n) })]);
    return who;
  }

  async function ata(payer: KeyPairSigner, owner: Address, mint: Address) {
    const [account] = await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
    return { account, ix: getCreateAssociatedTokenIdempotentInstruction({ payer, ata: account, owner, mint }) };
  }

  it("initialize, deposit, reserve, assign, submit receipts, finalize: the bill in the logs, the accounts by getProgramAccounts", async () => {
    const admin = await createKeyPairSignerFromBytes(v.upgradeAuthority.secretKey);
    const faucet = await createKeyPairSignerFromBytes(v.faucet.secretKey);
    const mint = address(v.usdcMint);
    const router = await funded(admin);
    const config = await configPda();
    const vault = await ata(admin, config, mint);
    const treasury = await ata(admin, admin.address, mint);
    await send(admin, [vault.ix, treasury.ix]);
    await send(admin, [
      ix("initialize", { fee_bps: 250, expiry_grace_secs: 3600n }, {
        admin: admin.address, config, mint, vault: vault.account, treasury: treasury.account, router: router.address,
        token_program: TOKEN_PROGRAM_ADDRESS, system_program: SYSTEM, program_data: await programDataAddress(PROGRAM_ID),
      }),
    ]);

    const buyer = await funded(admin);
    const buyerTokens = await ata(faucet, buyer.address, mint);
    await send(faucet, [buyerTokens.ix, getMintToInstruction({ mint, token: buyerTokens.account, mintAuthority: faucet, amount: 1_000_000n })]);
    const opAuthority = await funded(admin);
    const op = { address: await operatorPda(opAuthority.address), key: newSigningKey() };
    await send(opAuthority, [
      ix("register_operator", { signing_key: pubkey(getBase58Decoder().decode(op.key.publicKey) as Address) }, { authority: opAuthority.address, operator: op.address, system_program: SYSTEM }),
      ix("set_operator_rate", { sku: sku("gpu-h100"), price: 7n }, { authority: opAuthority.address, operator: op.address }),
    ]);
    await send(admin, [ix("set_operator_status", { status: 1 }, { admin: admin.address, config, operator: op.address })]);

    const balance = await balancePda(buyer.address);
    await send(buyer, [
      ix("deposit", { amount: 100_000n }, {
        depositor: buyer.address, buyer: buyer.address, config, balance, source: buyerTokens.account, vault: vault.account,
        mint, token_program: TOKEN_PROGRAM_ADDRESS, system_program: SYSTEM,
      }),
    ]);
    const { address: execution, bump } = await executionPda(buyer.address, 1n);
    await send(buyer, [
      ix("reserve", { execution_id: 1n, max_burn: 100_000n, duration_secs: 3600n, bump, price_caps: [] }, {
        payer: buyer.address, buyer: buyer.address, config, balance, execution, system_program: SYSTEM,
      }),
    ]);
    await send(router, [ix("assign_segment", { segment_index: 0, sku: sku("gpu-h100") }, { router: router.address, execution, operator: op.address })]);

    const receipt = signReceipt(op.key, { programId: PROGRAM_ID, execution, segment: 0, sku: sku("gpu-h100"), cumulativeUnits: 1_000n, sequence: 1 });
    const settled = await send(router, [
      ed25519Instruction([receipt]),
      ix("submit_receipts", {}, { execution, instructions_sysvar: INSTRUCTIONS_SYSVAR, operator: op.address }),
    ]);
    // Fees: the router's signature plus the receipt's, 5,000 lamports each.
    expect(settled.meta!.fee).to.equal(10_000n);
    expect(decodeEvents([...settled.meta!.logMessages!]).map((e) => e.name)).to.include("ReceiptsSettled");

    const fin = await send(router, [
      ix("finalize", {}, { authority: router.address, config, execution, balance, rent_payer: buyer.address }),
    ]);
    const events = decodeEvents([...fin.meta!.logMessages!]);
    expect(events.length).to.be.greaterThan(0);
    const bill = events[events.length - 1];
    expect(JSON.stringify(bill.data, (_k, x) => (typeof x === "bigint" ? x.toString() : x))).to.include("7000");

    // The program's accounts through getProgramAccounts: the operator (filtered by its authority).
    const accounts = await rpc
      .getProgramAccounts(PROGRAM_ID, { commitment: "confirmed", encoding: "base64" })
      .send();
    const byAddress = new Map(accounts.map((a) => [a.pubkey, Buffer.from(a.account.data[0], "base64")]));
    expect(byAddress.has(op.address)).to.equal(true);
    const operator = decodeAccount("Operator", byAddress.get(op.address)!);
    expect(JSON.stringify(operator, (_k, x) => (typeof x === "bigint" ? x.toString() : x))).to.include(opAuthority.address);
    const authorityBytes = getBase58Decoder().decode(new Uint8Array(getAddressEncoder().encode(opAuthority.address)));
    const filtered = await rpc
      .getProgramAccounts(PROGRAM_ID, { commitment: "confirmed", encoding: "base64", filters: [{ dataSize: BigInt(byAddress.get(op.address)!.length) }] })
      .send();
    expect(filtered.map((a) => a.pubkey)).to.include(op.address);
    expect(authorityBytes.length).to.be.greaterThan(0);
  });
});
