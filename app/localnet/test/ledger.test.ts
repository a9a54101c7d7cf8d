// Save → restart → load: accounts, balances, token indexes, transaction history, signature
// statuses and the slot survive a restart from the ledger file.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSolanaRpc, generateKeyPairSigner, lamports, type Signature } from "@solana/kit";
import { startLocalnet } from "../src/launch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("ledger: save, restart, load", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "arknet-ledger-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps accounts, tokens, history, statuses and the slot across a restart; --reset starts over", async () => {
    const ledger = join(dir, "ledger.bin");
    const who = await generateKeyPairSigner();
    let v = await startLocalnet({ ledger, slotMs: 50 });
    let rpc = createSolanaRpc(v.rpcUrl);
    const airdrop: Signature = await rpc.requestAirdrop(who.address, lamports(7_000_000_000n)).send();
    const tokens: Signature = await (rpc as any).requestTokenAirdrop(who.address, 1_250_000).send();
    await sleep(200);
    const slotBefore = await rpc.getSlot({ commitment: "processed" }).send();
    const genesis = await rpc.getGenesisHash().send();
    await v.stop();

    v = await startLocalnet({ ledger, slotMs: 50 });
    rpc = createSolanaRpc(v.rpcUrl);
    expect(await rpc.getGenesisHash().send()).to.equal(genesis);
    expect((await rpc.getSlot({ commitment: "processed" }).send()) >= slotBefore).to.equal(true);
    expect((await rpc.getBalance(who.address, { commitment: "processed" }).send()).value).to.equal(7_000_000_000n);
    const owned = await rpc.getTokenAccountsByOwner(who.address, { mint: v.usdcMint as any }, { commitment: "processed", encoding: "jsonParsed" }).send();
    expect((owned.value[0].account.data as any).parsed.info.tokenAmount.amount).to.equal("1250000");
    const statuses = await rpc.getSignatureStatuses([airdrop, tokens], { searchTransactionHistory: true }).send();
    expect(statuses.value.map((s) => s?.err)).to.deep.equal([null, null]);
    const tx = await rpc.getTransaction(tokens, { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 }).send();
    expect(tx!.meta!.postTokenBalances![0].uiTokenAmount.amount).to.equal("1250000");
    const history = await rpc.getSignaturesForAddress(who.address, { commitment: "confirmed" }).send();
    expect(history.map((h) => h.signature)).to.deep.equal([tokens, airdrop]);
    // A transaction after the restart lands on top of the loaded state.
    await rpc.requestAirdrop(who.address, lamports(1n)).send();
    expect((await rpc.getBalance(who.address, { commitment: "processed" }).send()).value).to.equal(7_000_000_001n);
    await v.stop();

    v = await startLocalnet({ ledger, reset: true, slotMs: 50 });
    rpc = createSolanaRpc(v.rpcUrl);
    expect((await rpc.getBalance(who.address, { commitment: "processed" }).send()).value).to.equal(0n);
    expect(await rpc.getGenesisHash().send()).to.not.equal(genesis);
    await v.stop();
  });
});
