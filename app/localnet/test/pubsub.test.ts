// PubSub framing, raw over a WebSocket against both validators: subscription ids, refusals of
// unknown ids and of logs mentions with more than one address, malformed messages.
import { expect } from "chai";
import WebSocket from "ws";
import type { RunningValidator } from "../src/launch.ts";
import { targets } from "./support/targets.ts";

for (const target of targets()) {
  describe(`PubSub framing: ${target.name}`, function () {
    this.timeout(120_000);
    let v: RunningValidator;
    let ws: WebSocket;
    let id = 0;
    const call = (method: string, params: unknown[]) =>
      new Promise<any>((resolve) => {
        const myId = ++id;
        const onMessage = (m: WebSocket.RawData) => {
          const msg = JSON.parse(m.toString());
          if (msg.id === myId) {
            ws.off("message", onMessage);
            resolve(msg);
          }
        };
        ws.on("message", onMessage);
        ws.send(JSON.stringify({ jsonrpc: "2.0", id: myId, method, params }));
      });

    before(async function () {
      if (target.skipReason) {
        console.log(`    skipped: ${target.skipReason}`);
        this.skip();
      }
      const started = await target.start();
      if (!started) this.skip();
      v = started!;
      ws = new WebSocket(v.wsUrl);
      await new Promise((r) => ws.once("open", r));
    });
    after(async () => {
      ws?.close();
      await v?.stop();
    });

    it("subscribe returns a numeric id; unsubscribe returns true, then refuses the same id", async () => {
      const sub = await call("slotSubscribe", []);
      expect(sub.result).to.be.a("number");
      const unsub = await call("slotUnsubscribe", [sub.result]);
      expect(unsub.result).to.equal(true);
      const again = await call("slotUnsubscribe", [sub.result]);
      expect(again.error.code).to.equal(-32602);
      expect(again.error.message).to.equal("Invalid subscription id.");
    });

    it("logsSubscribe mentions takes one address; accountSubscribe refuses a bad key", async () => {
      const two = await call("logsSubscribe", [{ mentions: ["11111111111111111111111111111111", "11111111111111111111111111111112"] }]);
      expect(two.error.code).to.equal(-32602);
      expect(two.error.message).to.equal("Invalid Request: Only 1 address supported");
      const bad = await call("accountSubscribe", ["nope"]);
      expect(bad.error.code).to.equal(-32602);
    });

    it("an account notification at processed carries context.slot and the encoded account", async () => {
      const who = "4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi";
      const sub = await call("accountSubscribe", [who, { commitment: "processed", encoding: "base64" }]);
      const note = new Promise<any>((resolve) =>
        ws.on("message", (m) => {
          const msg = JSON.parse(m.toString());
          if (msg.method === "accountNotification" && msg.params.subscription === sub.result) resolve(msg);
        }),
      );
      const res = await fetch(v.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "requestAirdrop", params: [who, 1_000_000_000] }),
      });
      expect(((await res.json()) as any).result).to.be.a("string");
      const msg = await note;
      expect(msg.params.result.context.slot).to.be.a("number");
      expect(msg.params.result.value).to.deep.include({ lamports: 1_000_000_000, owner: "11111111111111111111111111111111", space: 0 });
      expect(msg.params.result.value.data).to.deep.equal(["", "base64"]);
    });
  });
}
