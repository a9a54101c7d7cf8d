// Limits the localnet enforces for the project although Agave's test validator does not
// (measured on 4.2.2: a 9-signature Ed25519 transaction lands there, fee 50,000): at most 8
// precompile signatures per transaction. Fees count each precompile signature.
import { expect } from "chai";
import { startLocalnet, type RunningValidator } from "../src/launch.ts";
import { signedLegacyTransaction, transferIx } from "../src/chain/faucet.ts";
import { DEV_KEYS, devKeypair } from "../src/chain/keys.ts";
import { toBase64 } from "../src/chain/codec.ts";

/** An Ed25519 precompile instruction verifying `n` real signatures of the empty message. */
function ed25519Instruction(n: number) {
  const head = 2 + 14 * n;
  const data = new Uint8Array(head + 96 * n);
  data[0] = n;
  const view = new DataView(data.buffer);
  for (let i = 0; i < n; i++) {
    const kp = devKeypair(`limits-${i}`);
    const pk = head + 96 * i;
    data.set(kp.publicKey, pk);
    data.set(kp.sign(new Uint8Array(0)), pk + 32);
    const r = 2 + 14 * i;
    for (const [k, x] of [pk + 32, 0xffff, pk, 0xffff, 0, 0, 0xffff].entries()) view.setUint16(r + 2 * k, x, true);
  }
  return { programId: "Ed25519SigVerify111111111111111111111111111", accounts: [], data };
}

describe("localnet limits", function () {
  this.timeout(60_000);
  let v: RunningValidator;
  const call = async (method: string, params: unknown[]) =>
    (await (await fetch(v.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })).json()) as any;
  before(async () => (v = await startLocalnet({ slotMs: 20 })));
  after(() => v.stop());

  it("a blockhash expires after 150 blocks: BlockhashNotFound, isBlockhashValid false", async () => {
    const faucet = DEV_KEYS.faucet();
    const { blockhash, lastValidBlockHeight } = (await call("getLatestBlockhash", [{ commitment: "processed" }])).result.value;
    const tx = (amount: bigint) => toBase64(signedLegacyTransaction(faucet, [transferIx(faucet.address, devKeypair("expiry").address, amount)], blockhash));
    for (;;) {
      const height = (await call("getBlockHeight", [{ commitment: "processed" }])).result;
      if (height >= lastValidBlockHeight - 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await call("sendTransaction", [tx(1_000_000n), { encoding: "base64", preflightCommitment: "processed" }])).result).to.be.a("string");
    for (;;) {
      const height = (await call("getBlockHeight", [{ commitment: "processed" }])).result;
      if (height > lastValidBlockHeight) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await call("isBlockhashValid", [blockhash, { commitment: "processed" }])).result.value).to.equal(false);
    const r = await call("sendTransaction", [tx(1_000_001n), { encoding: "base64", preflightCommitment: "processed" }]);
    expect(r.error.code).to.equal(-32002);
    expect(r.error.message).to.equal("Transaction simulation failed: Blockhash not found");
    // Without preflight it is accepted by the RPC and dropped by the leader: it never lands.
    const sig = (await call("sendTransaction", [tx(1_000_002n), { encoding: "base64", skipPreflight: true }])).result;
    await new Promise((r) => setTimeout(r, 300));
    expect((await call("getSignatureStatuses", [[sig], { searchTransactionHistory: true }])).result.value).to.deep.equal([null]);
  });

  it("8 precompile signatures land and pay 9 × 5,000; 9 are refused, with or without preflight", async () => {
    const faucet = DEV_KEYS.faucet();
    const blockhash = (await call("getLatestBlockhash", [{ commitment: "processed" }])).result.value.blockhash;
    const eight = toBase64(signedLegacyTransaction(faucet, [ed25519Instruction(8)], blockhash));
    const sig = (await call("sendTransaction", [eight, { encoding: "base64", preflightCommitment: "processed" }])).result;
    await new Promise((r) => setTimeout(r, 300));
    const tx = (await call("getTransaction", [sig, { commitment: "confirmed" }])).result;
    expect(tx.meta.fee).to.equal(45_000);
    expect(tx.meta.err).to.equal(null);
    const nine = toBase64(signedLegacyTransaction(faucet, [ed25519Instruction(9)], blockhash));
    for (const skipPreflight of [false, true]) {
      const r = await call("sendTransaction", [nine, { encoding: "base64", skipPreflight, preflightCommitment: "processed" }]);
      expect(r.error.code).to.equal(-32602);
      expect(r.error.message).to.match(/9 precompile signatures/);
    }
  });
});
