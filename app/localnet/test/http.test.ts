// JSON-RPC framing over HTTP, sent raw (no client would send these): malformed JSON, batches,
// notifications, wrong versions, oversize bodies, bad params. Against both validators; the
// exchanges feed the diff test like the client-driven ones.
import { expect } from "chai";
import type { RunningValidator } from "../src/launch.ts";
import { recordingFetch } from "./support/recorder.ts";
import { setTestName } from "./support/recorder-name.ts";
import { targets } from "./support/targets.ts";

for (const target of targets()) {
  describe(`JSON-RPC framing: ${target.name}`, function () {
    this.timeout(120_000);
    let v: RunningValidator;
    let post: (body: string) => Promise<{ status: number; text: string; json: any }>;

    before(async function () {
      if (target.skipReason) {
        console.log(`    skipped: ${target.skipReason}`);
        this.skip();
      }
      const started = await target.start();
      if (!started) this.skip();
      v = started!;
      const f = recordingFetch(target.name);
      post = async (body) => {
        const res = await f(v.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await res.text();
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        return { status: res.status, text, json };
      };
    });
    beforeEach(function () {
      setTestName(`framing: ${this.currentTest!.title}`);
    });
    after(async () => v?.stop());

    it("malformed JSON → -32700 Parse error, id null", async () => {
      const r = await post("{bad json");
      expect(r.json).to.deep.equal({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
    });

    it("batch: answers each request in order; a non-object member is a parse error", async () => {
      const r = await post(JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "getHealth" },
        { jsonrpc: "2.0", id: 2, method: "noSuchMethod" },
      ]));
      expect(r.json[0]).to.deep.equal({ jsonrpc: "2.0", result: "ok", id: 1 });
      expect(r.json[1]).to.deep.equal({ jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: 2 });
      const bad = await post(JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "getHealth" }, 5]));
      expect(bad.json.error.code).to.equal(-32700);
    });

    it("wrong protocol version → -32600; a notification (no id) gets no answer", async () => {
      const r = await post(JSON.stringify({ id: 7, method: "getHealth" }));
      expect(r.json).to.deep.equal({ error: { code: -32600, message: "Unsupported JSON-RPC protocol version" }, id: 7 });
      const n = await post(JSON.stringify({ jsonrpc: "2.0", method: "getHealth" }));
      expect(n.status).to.equal(200);
      expect(n.text).to.equal("");
    });

    it("a body over 50 KiB → HTTP 413, and the server keeps answering", async () => {
      const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth", params: ["x".repeat(60_000)] });
      const r = await post(big);
      expect(r.status).to.equal(413);
      expect((await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }))).json.result).to.equal("ok");
    });

    it("invalid params: missing, wrong type, bad pubkey, too many, unknown encoding", async () => {
      const call = async (method: string, params: unknown[]) => (await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }))).json.error;
      expect(await call("getBalance", [])).to.deep.equal({ code: -32602, message: "`params` should have at least 1 argument(s)" });
      expect(await call("getAccountInfo", [5])).to.deep.equal({ code: -32602, message: "Invalid params: invalid type: integer `5`, expected a string." });
      expect(await call("getBalance", ["xyz"])).to.deep.equal({ code: -32602, message: "Invalid param: WrongSize" });
      expect(await call("getBalance", ["11111111111111111111111111111111", {}, 5])).to.deep.include({ code: -32602, message: "Invalid parameters: Expected from 1 to 2 parameters." });
      expect((await call("getAccountInfo", ["11111111111111111111111111111111", { encoding: "bogus" }])).message).to.equal(
        "Invalid params: unknown variant `bogus`, expected one of `binary`, `base58`, `base64`, `jsonParsed`, `base64+zstd`.",
      );
      expect((await call("sendTransaction", ["AAAA", { encoding: "hex" }])).message).to.match(/^Invalid params: unknown variant `hex`/);
      expect((await call("getSignaturesForAddress", ["11111111111111111111111111111112", { limit: 5000 }])).message).to.equal("Invalid limit; max 1000");
      expect((await call("getTokenAccountsByOwner", ["11111111111111111111111111111111"])).message).to.equal("`params` should have at least 2 argument(s)");
      expect((await call("getTokenAccountBalance", ["11111111111111111111111111111111"])).message).to.equal("Invalid param: not a Token account");
      expect((await call("getTokenAccountBalance", ["4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi"])).message).to.equal("Invalid param: could not find account");
      expect((await call("getTokenAccountsByOwner", ["11111111111111111111111111111111", { mint: "4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi" }])).code).to.equal(-32602);
      expect((await call("getTokenAccountsByOwner", ["11111111111111111111111111111111", { mint: "11111111111111111111111111111111" }])).message).to.equal(
        "Invalid param: Token mint could not be unpacked",
      );
    });

    it("transaction decoding: over 1232 bytes (encoded and decoded), bad base64", async () => {
      const call = async (params: unknown[]) => (await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "sendTransaction", params }))).json.error;
      const encodedTooBig = Buffer.alloc(1300, 7).toString("base64");
      expect((await call([encodedTooBig, { encoding: "base64" }])).message).to.equal(
        `base64 encoded solana_transaction::versioned::VersionedTransaction too large: ${encodedTooBig.length} bytes (max: encoded/raw 1644/1232)`,
      );
      const decodedTooBig = Buffer.alloc(1233, 0).toString("base64");
      expect((await call([decodedTooBig, { encoding: "base64" }])).message).to.equal(
        "decoded solana_transaction::versioned::VersionedTransaction too large: 1233 bytes (max: 1232 bytes)",
      );
      expect((await call(["!!!!", { encoding: "base64" }])).message).to.equal("invalid base64 encoding: InvalidByte(0, 33)");
      expect((await call(["AAAA", { encoding: "base64" }])).message).to.match(/^failed to deserialize solana_transaction::versioned::VersionedTransaction: /);
      // A non-canonical compact-u16 (1 as 0x81 0x00): refused, and the node keeps answering.
      const message = Buffer.concat([Buffer.from([1, 0, 1, 2]), Buffer.alloc(64, 1), Buffer.alloc(32, 2), Buffer.from([1, 1, 1, 0, 0])]);
      const nonCanonical = Buffer.concat([Buffer.from([0x81, 0x00]), Buffer.alloc(64, 9), message]).toString("base64");
      for (const skipPreflight of [false, true]) {
        const e = await call([nonCanonical, { encoding: "base64", skipPreflight }]);
        expect(e.code).to.equal(-32602);
        expect(e.message).to.match(/^failed to deserialize solana_transaction::versioned::VersionedTransaction: /);
      }
      expect((await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }))).json.result).to.equal("ok");
    });
  });
}
