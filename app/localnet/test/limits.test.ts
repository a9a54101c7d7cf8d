// Limits the localnet enforces for the project although Agave's test validator does not
// (measured on 4.2.2: a 9-signature Ed25519 transaction lands there, fee 50,000): at most 8
// precompile signatures per transaction. Fees count each precompile signature.
import { expect } from "chai";
import { startLocalnet, type RunningValidator } from "../src/launch.ts";
import { signedLegacyTransaction } from "../src/chain/faucet.ts";
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
  this.timeout(30_000);
  let v: RunningValidator;
  const call = async (method: string, params: unknown[]) =>
    (await (await fetch(v.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })).json()) as any;
  before(async () => (v = await startLocalnet({ slotMs: 100 })));
  after(() => v.stop());

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
