// Conformance: the same suite, through @solana/kit and @solana/web3.js only, against the
// localnet and against Agave's solana-test-validator. Every exchange is recorded for the
// diff test (diff.test.ts), which compares both validators call by call.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import {
  address,
  compileTransactionMessage,
  createTransactionMessage,
  appendTransactionMessageInstructions,
  generateKeyPairSigner,
  getBase64Decoder,
  getCompiledTransactionMessageEncoder,
  isSolanaError,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  signTransactionMessageWithSigners,
  getSignatureFromTransaction,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Instruction,
  type KeyPairSigner,
  type Signature,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getMintToInstruction,
  getTransferInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from "@solana-program/token";
import { Keypair as Web3Keypair, PublicKey, SendTransactionError, SystemProgram, Transaction as Web3Transaction } from "@solana/web3.js";
import type { RunningValidator } from "../src/launch.ts";
import { kitRpc, kitSubscriptions, signedTx, signerOf, web3Connection, type KitRpc } from "./support/clients.ts";
import { setTestName } from "./support/recorder-name.ts";
import { onPath, targets } from "./support/targets.ts";

const COMPUTE_BUDGET = address("ComputeBudget111111111111111111111111111111");
const ED25519 = address("Ed25519SigVerify111111111111111111111111111");

const setComputeUnitLimit = (units: number): Instruction => {
  const data = new Uint8Array(5);
  data[0] = 2;
  new DataView(data.buffer).setUint32(1, units, true);
  return { programAddress: COMPUTE_BUDGET, data };
};
const setComputeUnitPrice = (microLamports: bigint): Instruction => {
  const data = new Uint8Array(9);
  data[0] = 3;
  new DataView(data.buffer).setBigUint64(1, microLamports, true);
  return { programAddress: COMPUTE_BUDGET, data };
};

/** An Ed25519 precompile instruction claiming `count` signatures (its offsets need not verify). */
function ed25519Claiming(count: number): Instruction {
  const data = new Uint8Array(2 + 14 * count);
  data[0] = count;
  return { programAddress: ED25519, data };
}

async function rpcError(p: Promise<unknown>): Promise<{ code: number; message: string; data: any; cause?: any }> {
  try {
    await p;
  } catch (e: any) {
    if (isSolanaError(e)) {
      const ctx = e.context as any;
      return { code: ctx.__code ?? e.context.__code, message: e.message, data: ctx };
    }
    throw e;
  }
  throw new Error("expected an RPC error, got a result");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of targets()) {
  describe(`conformance: ${target.name}`, function () {
    this.timeout(180_000);
    let v: RunningValidator;
    let rpc: KitRpc;
    let subs: ReturnType<typeof kitSubscriptions>;
    let faucet: KeyPairSigner;
    let payer: KeyPairSigner;
    let sendAndConfirm: ReturnType<typeof sendAndConfirmTransactionFactory>;
    const abort = new AbortController();

    before(async function () {
      if (target.skipReason) {
        console.log(`    skipped: ${target.skipReason}`);
        this.skip();
      }
      const started = await target.start();
      if (!started) this.skip();
      v = started!;
      rpc = kitRpc(v, target.name);
      subs = kitSubscriptions(v);
      faucet = await signerOf(v.faucet);
      payer = await generateKeyPairSigner();
      sendAndConfirm = sendAndConfirmTransactionFactory({ rpc: rpc as any, rpcSubscriptions: subs as any });
      await sendAndConfirm((await signedTx(rpc, faucet, [getTransferSolInstruction({ source: faucet, destination: payer.address, amount: 10_000_000_000n })])).tx as any, {
        commitment: "confirmed",
      });
    });
    beforeEach(function () {
      setTestName(this.currentTest!.title);
    });
    after(async () => {
      abort.abort();
      await v?.stop();
    });

    it("node info: getVersion, getHealth, getGenesisHash, getSlot, getBlockHeight, getEpochInfo", async () => {
      const version = await rpc.getVersion().send();
      expect(version["solana-core"]).to.match(/^\d+\.\d+\.\d+/);
      expect(version["feature-set"]).to.be.a("number");
      expect(await rpc.getHealth().send()).to.equal("ok");
      expect(await rpc.getGenesisHash().send()).to.match(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
      const processed = await rpc.getSlot({ commitment: "processed" }).send();
      const confirmed = await rpc.getSlot({ commitment: "confirmed" }).send();
      const finalized = await rpc.getSlot({ commitment: "finalized" }).send();
      expect(processed >= confirmed && confirmed >= finalized).to.equal(true);
      const height = await rpc.getBlockHeight({ commitment: "processed" }).send();
      expect(height).to.be.a("bigint");
      const epoch = await rpc.getEpochInfo({ commitment: "processed" }).send();
      expect(Object.keys(epoch).sort()).to.deep.equal(["absoluteSlot", "blockHeight", "epoch", "slotIndex", "slotsInEpoch", "transactionCount"]);
      expect(epoch.absoluteSlot >= processed).to.equal(true);
    });

    it("slots advance on a clock (about 400 ms each)", async () => {
      const a = await rpc.getSlot({ commitment: "processed" }).send();
      await sleep(1300);
      const b = await rpc.getSlot({ commitment: "processed" }).send();
      // Agave's clock slows down on a loaded machine; the localnet's is exact to a slot.
      if (target.name === "localnet") expect(Number(b - a)).to.be.within(2, 5);
      else expect(Number(b - a)).to.be.within(1, 6);
    });

    it("getLatestBlockhash and isBlockhashValid", async () => {
      const { context, value } = await rpc.getLatestBlockhash({ commitment: "processed" }).send();
      expect(Number(value.lastValidBlockHeight - context.slot)).to.be.within(150, 151);
      expect((await rpc.isBlockhashValid(value.blockhash, { commitment: "processed" }).send()).value).to.equal(true);
      const unknown = "4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi" as any;
      expect((await rpc.isBlockhashValid(unknown, { commitment: "processed" }).send()).value).to.equal(false);
    });

    it("requestAirdrop lands and getBalance sees it (confirmed via signatureNotifications)", async () => {
      const who = await generateKeyPairSigner();
      const sig = await rpc.requestAirdrop(who.address, lamports(2_000_000_000n), { commitment: "confirmed" }).send();
      const notifications = await subs.signatureNotifications(sig, { commitment: "confirmed" }).subscribe({ abortSignal: abort.signal });
      for await (const n of notifications) {
        expect(n.value.err).to.equal(null);
        break;
      }
      expect((await rpc.getBalance(who.address, { commitment: "confirmed" }).send()).value).to.equal(2_000_000_000n);
    });

    it("a transfer moves processed → confirmed → finalized, and getTransaction reports fee, logs, CU, blockTime", async function () {
      const to = await generateKeyPairSigner();
      const { wire, signature } = await signedTx(rpc, payer, [getTransferSolInstruction({ source: payer, destination: to.address, amount: 1_000_000_000n })]);
      const sent = await rpc.sendTransaction(wire, { encoding: "base64" }).send();
      expect(sent).to.equal(signature);
      const seen: string[] = [];
      let checkedFinalizedState = false;
      for (let i = 0; i < 200 && seen[seen.length - 1] !== "finalized"; i++) {
        const st = (await rpc.getSignatureStatuses([signature]).send()).value[0];
        if (st && seen[seen.length - 1] !== st.confirmationStatus) seen.push(st.confirmationStatus!);
        if (st) expect(st.err).to.equal(null);
        if (st?.confirmationStatus === "confirmed" && !checkedFinalizedState) {
          // Reads at finalized still see the state before the transfer.
          const [fin, conf] = await Promise.all([
            rpc.getBalance(to.address, { commitment: "finalized" }).send(),
            rpc.getBalance(to.address, { commitment: "confirmed" }).send(),
          ]);
          if (fin.context.slot < st.slot) {
            expect(fin.value).to.equal(0n);
            expect(conf.value).to.equal(1_000_000_000n);
            checkedFinalizedState = true;
          }
        }
        await sleep(200);
      }
      expect(checkedFinalizedState).to.equal(true);
      expect((await rpc.getBalance(to.address, { commitment: "finalized" }).send()).value).to.equal(1_000_000_000n);
      expect(seen[seen.length - 1]).to.equal("finalized");
      expect(seen).to.include("confirmed");
      const tx = await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
      expect(tx).to.not.equal(null);
      expect(tx!.meta!.fee).to.equal(5000n);
      expect(tx!.meta!.err).to.equal(null);
      expect(tx!.meta!.logMessages).to.deep.equal(["Program 11111111111111111111111111111111 invoke [1]", "Program 11111111111111111111111111111111 success"]);
      expect(tx!.meta!.computeUnitsConsumed).to.equal(150n);
      expect(tx!.blockTime).to.be.a("bigint");
      expect(Math.abs(Number(tx!.blockTime) - Date.now() / 1000)).to.be.lessThan(120);
      expect(tx!.version).to.equal("legacy");
      expect(tx!.meta!.preBalances[0] - tx!.meta!.postBalances[0]).to.equal(1_000_005_000n);
      const b64 = await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "base64" }).send();
      expect(b64!.transaction[0]).to.equal(wire);
      const statuses = await rpc.getSignatureStatuses([signature], { searchTransactionHistory: true }).send();
      expect(statuses.value[0]!.confirmationStatus).to.equal("finalized");
      expect(statuses.value[0]!.confirmations).to.equal(null);
    });

    it("version 0 transactions: getTransaction needs maxSupportedTransactionVersion (-32015)", async () => {
      const to = await generateKeyPairSigner();
      const { value } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
      const tx = await signTransactionMessageWithSigners(
        pipe(
          createTransactionMessage({ version: 0 }),
          (m) => setTransactionMessageFeePayerSigner(payer, m),
          (m) => setTransactionMessageLifetimeUsingBlockhash(value, m),
          (m) => appendTransactionMessageInstructions([getTransferSolInstruction({ source: payer, destination: to.address, amount: 1_000_000n })], m),
        ),
      );
      await sendAndConfirm(tx as any, { commitment: "confirmed" });
      const signature = getSignatureFromTransaction(tx);
      const refused = await rpcError(rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json" }).send());
      expect(refused.code).to.equal(-32015);
      const got = await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
      expect(got!.version).to.equal(0);
      expect((got!.transaction.message as any).addressTableLookups).to.deep.equal([]);
      expect(got!.meta!.loadedAddresses).to.deep.equal({ readonly: [], writable: [] });
    });

    it("fees: 5,000 lamports per signature plus the priority fee; getRecentPrioritizationFees sees it", async () => {
      const to = await generateKeyPairSigner();
      const before = (await rpc.getBalance(payer.address, { commitment: "confirmed" }).send()).value;
      const { tx, signature } = await signedTx(rpc, payer, [
        setComputeUnitLimit(10_000),
        setComputeUnitPrice(1_000_000n),
        getTransferSolInstruction({ source: payer, destination: to.address, amount: 1_000_000n }),
      ]);
      await sendAndConfirm(tx as any, { commitment: "confirmed" });
      const after = (await rpc.getBalance(payer.address, { commitment: "confirmed" }).send()).value;
      expect(before - after).to.equal(1_000_000n + 5_000n + 10_000n);
      const got = await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
      expect(got!.meta!.fee).to.equal(15_000n);
      const fees = await rpc.getRecentPrioritizationFees([payer.address]).send();
      expect(fees.some((f) => f.prioritizationFee === 1_000_000n)).to.equal(true);
      const message = pipe(
        createTransactionMessage({ version: "legacy" }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: got!.transaction.message.recentBlockhash, lastValidBlockHeight: 0n }, m),
        (m) => appendTransactionMessageInstructions([getTransferSolInstruction({ source: payer, destination: to.address, amount: 1n })], m),
      );
      const latest = (await rpc.getLatestBlockhash({ commitment: "confirmed" }).send()).value;
      const fresh = setTransactionMessageLifetimeUsingBlockhash(latest, message);
      const bytes = getCompiledTransactionMessageEncoder().encode(compileTransactionMessage(fresh));
      const fee = await rpc.getFeeForMessage(getBase64Decoder().decode(bytes) as any, { commitment: "confirmed" }).send();
      expect(fee.value).to.equal(5000n);
    });

    it("tokens: mint with the dev faucet key, then jsonParsed, balances, owner index, program accounts", async () => {
      const owner = await generateKeyPairSigner();
      const mint = address(v.usdcMint);
      const [ata] = await findAssociatedTokenPda({ owner: owner.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
      const { tx, signature } = await signedTx(rpc, faucet, [
        getCreateAssociatedTokenIdempotentInstruction({ payer: faucet, ata, owner: owner.address, mint }),
        getMintToInstruction({ mint, token: ata, mintAuthority: faucet, amount: 2_500_000n }),
      ]);
      await sendAndConfirm(tx as any, { commitment: "confirmed" });
      const got = await rpc.getTransaction(signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
      const post = got!.meta!.postTokenBalances!.find((b) => b.owner === owner.address)!;
      expect(post.uiTokenAmount).to.deep.include({ amount: "2500000", decimals: 6, uiAmountString: "2.5" });
      expect(got!.meta!.innerInstructions!.length).to.be.greaterThan(0);

      const bal = await rpc.getTokenAccountBalance(ata, { commitment: "confirmed" }).send();
      expect(bal.value).to.deep.include({ amount: "2500000", decimals: 6, uiAmountString: "2.5" });
      const byOwner = await rpc.getTokenAccountsByOwner(owner.address, { mint }, { commitment: "confirmed", encoding: "jsonParsed" }).send();
      expect(byOwner.value.map((a) => a.pubkey)).to.deep.equal([ata]);
      const parsed = (byOwner.value[0].account.data as any).parsed;
      expect(parsed.type).to.equal("account");
      expect(parsed.info).to.deep.include({ mint, owner: owner.address, state: "initialized", isNative: false });
      const byProgram = await rpc.getTokenAccountsByOwner(owner.address, { programId: TOKEN_PROGRAM_ADDRESS }, { commitment: "confirmed", encoding: "base64" }).send();
      expect(byProgram.value.length).to.equal(1);
      const mintInfo = await rpc.getAccountInfo(mint, { commitment: "confirmed", encoding: "jsonParsed" }).send();
      expect((mintInfo.value!.data as any).parsed.info).to.deep.include({ decimals: 6, mintAuthority: faucet.address, isInitialized: true });
      const gpa = await rpc
        .getProgramAccounts(TOKEN_PROGRAM_ADDRESS, {
          commitment: "confirmed",
          encoding: "base64",
          withContext: true,
          filters: [{ dataSize: 165n }, { memcmp: { offset: 32n, bytes: owner.address as any, encoding: "base58" } }],
        })
        .send();
      expect(gpa.value.map((a) => a.pubkey)).to.deep.equal([ata]);
      expect(gpa.context.slot).to.be.a("bigint");
      const plain = await rpc.getProgramAccounts(TOKEN_PROGRAM_ADDRESS, { commitment: "confirmed", encoding: "base64", filters: [{ memcmp: { offset: 32n, bytes: getBase64Decoder().decode(new Uint8Array(Buffer.from(await addressBytes(owner.address)))) as any, encoding: "base64" } }] }).send();
      expect(plain.map((a) => a.pubkey)).to.deep.equal([ata]);
      // A token transfer shows pre and post token balances for both accounts.
      const other = await generateKeyPairSigner();
      const [ata2] = await findAssociatedTokenPda({ owner: other.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
      const ownerFunded = await rpc.requestAirdrop(owner.address, lamports(1_000_000_000n)).send();
      await waitFor(rpc, ownerFunded);
      const t = await signedTx(rpc, owner, [
        getCreateAssociatedTokenIdempotentInstruction({ payer: owner, ata: ata2, owner: other.address, mint }),
        getTransferInstruction({ source: ata, destination: ata2, authority: owner, amount: 500_000n }),
      ]);
      await sendAndConfirm(t.tx as any, { commitment: "confirmed" });
      const tt = await rpc.getTransaction(t.signature, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
      expect(tt!.meta!.preTokenBalances!.map((b) => b.uiTokenAmount.amount)).to.deep.equal(["2500000"]);
      expect(tt!.meta!.postTokenBalances!.map((b) => b.uiTokenAmount.amount).sort()).to.deep.equal(["2000000", "500000"]);
    });

    it("getAccountInfo / getMultipleAccounts: base58, base64, base64+zstd, dataSlice", async () => {
      const mint = address(v.usdcMint);
      const b64 = await rpc.getAccountInfo(mint, { commitment: "confirmed", encoding: "base64" }).send();
      const raw = Buffer.from(b64.value!.data[0], "base64");
      expect(raw.length).to.equal(82);
      expect(b64.value!.space).to.equal(82n);
      const zstd = await rpc.getAccountInfo(mint, { commitment: "confirmed", encoding: "base64+zstd" }).send();
      expect(zstd.value!.data[1]).to.equal("base64+zstd");
      const frame = Buffer.from(zstd.value!.data[0], "base64");
      expect(frame.readUInt32LE(0)).to.equal(0xfd2fb528);
      if (onPath("zstd")) expect(Buffer.compare(execFileSync("zstd", ["-d", "-c"], { input: frame }), raw)).to.equal(0);
      else console.log("      (zstd CLI absent: frame decoded by magic number only)");
      const sliced = await rpc.getAccountInfo(mint, { commitment: "confirmed", encoding: "base64", dataSlice: { offset: 44, length: 2 } }).send();
      expect([...Buffer.from(sliced.value!.data[0], "base64")]).to.deep.equal([6, 1]);
      const b58 = await rpc.getAccountInfo(mint, { commitment: "confirmed", encoding: "base58" }).send();
      expect(b58.value!.data[1]).to.equal("base58");
      const missing = await generateKeyPairSigner();
      const multi = await rpc.getMultipleAccounts([mint, missing.address], { commitment: "confirmed", encoding: "base64" }).send();
      expect(multi.value[0]!.owner).to.equal(TOKEN_PROGRAM_ADDRESS);
      expect(multi.value[1]).to.equal(null);
      expect((await rpc.getMinimumBalanceForRentExemption(165n).send())).to.equal(2_039_280n);
    });

    it("simulateTransaction: sigVerify, replaceRecentBlockhash, accounts, inner instructions", async () => {
      const to = await generateKeyPairSigner();
      const ix = getTransferSolInstruction({ source: payer, destination: to.address, amount: 5_000_000n });
      const stale = { blockhash: "4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi" as any, lastValidBlockHeight: 0n };
      const { wire } = await signedTx(rpc, payer, [ix], stale);
      const notFound = await rpc.simulateTransaction(wire, { encoding: "base64", commitment: "confirmed" }).send();
      expect(notFound.value.err).to.equal("BlockhashNotFound");
      const replaced = await rpc
        .simulateTransaction(wire, {
          encoding: "base64",
          commitment: "processed",
          replaceRecentBlockhash: true,
          accounts: { addresses: [to.address], encoding: "base64" },
        })
        .send();
      expect(replaced.value.err).to.equal(null);
      expect(replaced.value.replacementBlockhash!.blockhash).to.be.a("string");
      expect(replaced.value.accounts![0]!.lamports).to.equal(5_000_000n);
      expect(replaced.value.logs!.length).to.equal(2);
      expect(replaced.value.unitsConsumed).to.equal(150n);
      const bothFlags = await rpcError(rpc.simulateTransaction(wire, { encoding: "base64", sigVerify: true, replaceRecentBlockhash: true } as any).send());
      expect(bothFlags.code).to.equal(-32602);
      // An unsigned (zero-signature) transaction simulates when sigVerify is off, fails when on.
      const good = await signedTx(rpc, payer, [ix]);
      const zeroed = Buffer.from(good.wire, "base64");
      zeroed.fill(0, 1, 65);
      const unsigned = await rpc.simulateTransaction(zeroed.toString("base64") as any, { encoding: "base64", commitment: "processed" }).send();
      expect(unsigned.value.err).to.equal(null);
      const verified = await rpc.simulateTransaction(zeroed.toString("base64") as any, { encoding: "base64", commitment: "processed", sigVerify: true }).send();
      expect(verified.value.err).to.equal("SignatureFailure");
    });

    it("getSignaturesForAddress: newest first, limit, before/until", async () => {
      const who = await generateKeyPairSigner();
      const sigs: Signature[] = [];
      for (let i = 0; i < 3; i++) {
        const s = await rpc.requestAirdrop(who.address, lamports(1_000_000_000n + BigInt(i))).send();
        await waitFor(rpc, s);
        sigs.push(s);
      }
      const all = await rpc.getSignaturesForAddress(who.address, { commitment: "confirmed" }).send();
      expect(all.map((s) => s.signature)).to.deep.equal([...sigs].reverse());
      expect(all[0]).to.include.keys("blockTime", "confirmationStatus", "err", "memo", "slot", "signature");
      const limited = await rpc.getSignaturesForAddress(who.address, { commitment: "confirmed", limit: 1 }).send();
      expect(limited.map((s) => s.signature)).to.deep.equal([sigs[2]]);
      const before = await rpc.getSignaturesForAddress(who.address, { commitment: "confirmed", before: sigs[2] }).send();
      expect(before.map((s) => s.signature)).to.deep.equal([sigs[1], sigs[0]]);
      const until = await rpc.getSignaturesForAddress(who.address, { commitment: "confirmed", until: sigs[0] }).send();
      expect(until.map((s) => s.signature)).to.deep.equal([sigs[2], sigs[1]]);
    });

    it("errors: preflight failure with logs (-32002), bad signature, AlreadyProcessed, BlockhashNotFound", async () => {
      const poor = await generateKeyPairSigner();
      const fund = await rpc.requestAirdrop(poor.address, lamports(10_000_000n)).send();
      await waitFor(rpc, fund);
      const to = await generateKeyPairSigner();
      const tooMuch = await signedTx(rpc, poor, [getTransferSolInstruction({ source: poor, destination: to.address, amount: 50_000_000n })]);
      const pre = await rpcError(rpc.sendTransaction(tooMuch.wire, { encoding: "base64", preflightCommitment: "confirmed" }).send());
      expect(pre.code).to.equal(-32002);
      expect(pre.data.logs.some((l: string) => /insufficient lamports/.test(l))).to.equal(true);
      expect(pre.data.logs.some((l: string) => /failed: custom program error: 0x1$/.test(l))).to.equal(true);
      // Skipping preflight, the failing transaction lands and pays its fee.
      const sig = await rpc.sendTransaction(tooMuch.wire, { encoding: "base64", skipPreflight: true }).send();
      const st = await waitFor(rpc, sig);
      expect(st.err).to.deep.equal({ InstructionError: [0n, { Custom: 1n }] });
      expect((await rpc.getBalance(poor.address, { commitment: "confirmed" }).send()).value).to.equal(10_000_000n - 5_000n);
      const again = await rpcError(rpc.sendTransaction(tooMuch.wire, { encoding: "base64", preflightCommitment: "confirmed" }).send());
      expect(again.code).to.equal(-32002);
      // web3.js carries the validator's message: the same duplicate through it.
      const conn = web3Connection(v, target.name);
      const dup = await conn.sendRawTransaction(Buffer.from(tooMuch.wire, "base64"), { preflightCommitment: "confirmed" }).catch((e) => e);
      expect(dup).to.be.instanceOf(SendTransactionError);
      expect(String(dup.message)).to.include("This transaction has already been processed");
      const stale = await signedTx(rpc, poor, [getTransferSolInstruction({ source: poor, destination: to.address, amount: 1n })], {
        blockhash: "4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi" as any,
        lastValidBlockHeight: 0n,
      });
      const nf = await rpcError(rpc.sendTransaction(stale.wire, { encoding: "base64", preflightCommitment: "confirmed" }).send());
      expect(nf.code).to.equal(-32002);
      const nf3 = await conn.sendRawTransaction(Buffer.from(stale.wire, "base64"), { preflightCommitment: "confirmed" }).catch((e) => e);
      expect(String(nf3.message)).to.include("Blockhash not found");
      // Preflight at finalized runs on the finalized bank, which has not seen a recent blockhash.
      const recent = (await rpc.getLatestBlockhash({ commitment: "processed" }).send()).value;
      const tooNew = await signedTx(rpc, poor, [getTransferSolInstruction({ source: poor, destination: to.address, amount: 2n })], recent);
      const fin = await conn.sendRawTransaction(Buffer.from(tooNew.wire, "base64"), { preflightCommitment: "finalized" }).catch((e) => e);
      expect(String(fin.message)).to.include("Blockhash not found");
      const ok = await signedTx(rpc, poor, [getTransferSolInstruction({ source: poor, destination: to.address, amount: 1_000_000n })]);
      const tampered = Buffer.from(ok.wire, "base64");
      tampered[10] ^= 0xff;
      // agave 4.2.2 reports a bad signature as a preflight failure (SignatureFailure), not -32003.
      const badSig = await rpcError(rpc.sendTransaction(tampered.toString("base64") as any, { encoding: "base64" }).send());
      expect(badSig.code).to.equal(-32002);
    });

    it("errors: packet size 1232, precompile signature limit, invalid params, unknown method, minContextSlot", async () => {
      const big = Buffer.alloc(1233, 1).toString("base64");
      const tooBig = await rpcError(rpc.sendTransaction(big as any, { encoding: "base64" }).send());
      expect(tooBig.code).to.equal(-32602);
      // 9 precompile signatures in one transaction.
      const nine = await signedTx(rpc, payer, [ed25519Claiming(9)]);
      const nineErr = await rpcError(rpc.sendTransaction(nine.wire, { encoding: "base64", preflightCommitment: "confirmed" }).send());
      expect([-32602, -32002]).to.include(nineErr.code);
      const badKey = await rpcError(rpc.getBalance("notakey" as Address).send());
      expect(badKey.code).to.equal(-32602);
      const unknown = await rpcError((rpc as any).getNoSuchThing().send().catch((e: unknown) => Promise.reject(e)));
      expect(unknown.code).to.equal(-32601);
      const slot = await rpc.getSlot({ commitment: "processed" }).send();
      const ctx = await rpcError(rpc.getBalance(payer.address, { minContextSlot: slot + 1_000_000n }).send());
      expect(ctx.code).to.equal(-32016);
      const below = await rpcError(rpc.getTransaction("1111111111111111111111111111111111111111111111111111111111111111" as any, { commitment: "processed", encoding: "json" } as any).send());
      expect(below.code).to.equal(-32602);
    });

    it("PubSub: account, program (filters), logs (mentions), slot notifications, and unsubscribe", async () => {
      const who = await generateKeyPairSigner();
      const ac = new AbortController();
      const accountIter = (await subs.accountNotifications(who.address, { commitment: "confirmed", encoding: "base64" }).subscribe({ abortSignal: ac.signal }))[Symbol.asyncIterator]();
      const logsIter = (await subs.logsNotifications({ mentions: [who.address] }, { commitment: "confirmed" }).subscribe({ abortSignal: ac.signal }))[Symbol.asyncIterator]();
      const slotIter = (await subs.slotNotifications().subscribe({ abortSignal: ac.signal }))[Symbol.asyncIterator]();
      const mint = address(v.usdcMint);
      const [ata] = await findAssociatedTokenPda({ owner: who.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
      const programIter = (
        await subs
          .programNotifications(TOKEN_PROGRAM_ADDRESS, {
            commitment: "confirmed",
            encoding: "jsonParsed",
            filters: [{ dataSize: 165n }, { memcmp: { offset: 32n, bytes: who.address as any, encoding: "base58" } }],
          })
          .subscribe({ abortSignal: ac.signal })
      )[Symbol.asyncIterator]();
      // kit queues notifications only once an iterator polls: poll before anything happens.
      const nextAccount = accountIter.next();
      const nextLogs = logsIter.next();
      const nextProgram = programIter.next();
      const s1 = (await slotIter.next()).value!;
      const s2 = (await slotIter.next()).value!;
      expect(s2.slot > s1.slot).to.equal(true);
      expect(s1).to.have.keys("parent", "root", "slot");
      const sig = await rpc.requestAirdrop(who.address, lamports(3_000_000_000n)).send();
      const acct = (await nextAccount).value!;
      expect(acct.value.lamports).to.equal(3_000_000_000n);
      const logs = (await nextLogs).value!;
      expect(logs.value.signature).to.equal(sig);
      expect(logs.value.err).to.equal(null);
      const { tx } = await signedTx(rpc, faucet, [
        getCreateAssociatedTokenIdempotentInstruction({ payer: faucet, ata, owner: who.address, mint }),
        getMintToInstruction({ mint, token: ata, mintAuthority: faucet, amount: 7n }),
      ]);
      await sendAndConfirm(tx as any, { commitment: "confirmed" });
      const prog = (await nextProgram).value!;
      expect(prog.value.pubkey).to.equal(ata);
      expect((prog.value.account.data as any).parsed.info.tokenAmount.amount).to.equal("7");
      ac.abort();
    });

    it("web3.js Connection: balances, parsed token accounts, sendTransaction, confirm, onAccountChange, onLogs, simulate", async () => {
      const conn = web3Connection(v, target.name);
      const kp = Web3Keypair.fromSecretKey(v.faucet.secretKey);
      const to = Web3Keypair.generate();
      const changed = new Promise<number>((resolve) => {
        const id = conn.onAccountChange(to.publicKey, (info) => {
          void conn.removeAccountChangeListener(id);
          resolve(info.lamports);
        }, { commitment: "confirmed" });
      });
      const logged = new Promise<string>((resolve) => {
        const id = conn.onLogs(to.publicKey, (l) => {
          void conn.removeOnLogsListener(id);
          resolve(l.signature);
        }, "confirmed");
      });
      await sleep(300);
      const { blockhash, lastValidBlockHeight } = await conn.getLatestBlockhash("confirmed");
      const tx = new Web3Transaction({ feePayer: kp.publicKey, blockhash, lastValidBlockHeight }).add(
        SystemProgram.transfer({ fromPubkey: kp.publicKey, toPubkey: to.publicKey, lamports: 1_234_567_890 }),
      );
      const sim = await conn.simulateTransaction(tx, [kp]);
      expect(sim.value.err).to.equal(null);
      const sig = await conn.sendTransaction(tx, [kp]);
      const conf = await conn.confirmTransaction({ signature: sig, blockhash, lastValidBlockHeight }, "confirmed");
      expect(conf.value.err).to.equal(null);
      expect(await changed).to.equal(1_234_567_890);
      expect(await logged).to.equal(sig);
      expect(await conn.getBalance(to.publicKey, "confirmed")).to.equal(1_234_567_890);
      const parsed = await conn.getParsedAccountInfo(new PublicKey(v.usdcMint), "confirmed");
      expect((parsed.value!.data as any).parsed.type).to.equal("mint");
      const got = await conn.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      expect(got!.meta!.fee).to.equal(5000);
      // A failing preflight surfaces as SendTransactionError with the simulation logs.
      const broke = Web3Keypair.generate();
      const fail = new Web3Transaction({ feePayer: kp.publicKey, blockhash, lastValidBlockHeight }).add(
        SystemProgram.transfer({ fromPubkey: broke.publicKey, toPubkey: to.publicKey, lamports: 1 }),
      );
      let error: unknown;
      try {
        await conn.sendTransaction(fail, [kp, broke]);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(SendTransactionError);
      expect(((error as SendTransactionError).logs ?? []).length).to.be.greaterThan(0);
      const slot = await conn.getSlot("processed");
      expect(slot).to.be.a("number");
      const parsedTokens = await conn.getParsedTokenAccountsByOwner(kp.publicKey, { mint: new PublicKey(v.usdcMint) }, "confirmed");
      expect(parsedTokens.value).to.be.an("array");
      (conn as any)._rpcWebSocket.close();
    });
  });
}

async function waitFor(rpc: KitRpc, sig: Signature) {
  for (let i = 0; i < 100; i++) {
    const st = (await rpc.getSignatureStatuses([sig]).send()).value[0];
    if (st && st.confirmationStatus !== "processed") return st;
    await sleep(100);
  }
  throw new Error(`${sig} not confirmed`);
}

async function addressBytes(a: Address): Promise<Uint8Array> {
  const { getAddressEncoder } = await import("@solana/kit");
  return new Uint8Array(getAddressEncoder().encode(a));
}
