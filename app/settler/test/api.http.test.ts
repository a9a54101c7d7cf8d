// The API over a real HTTP listener on loopback: raw bad bytes, floods, concurrency and a
// graceful shutdown that finishes the request in flight.

import { expect } from "chai";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { auth, startApi, type ApiHarness } from "./support/api.ts";
import { freePort } from "./support/ports.ts";
import { newOperator, randomAddress, signedReceipt, type Operator } from "./support/receipts.ts";
import { sleep } from "./support/fixtures.ts";

async function listen(h: ApiHarness): Promise<string> {
  const port = await freePort();
  await h.app.listen({ host: "127.0.0.1", port });
  return `http://127.0.0.1:${port}`;
}

/** A raw POST whose body bytes are exactly `body` (fetch would not send some of these). */
function rawPost(base: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("api over HTTP on loopback", () => {
  let h: ApiHarness;
  let base: string;
  afterEach(async () => {
    await h.close();
  });

  async function setup(limits = {}, chainDelayMs = 0, shutdownGraceMs?: number) {
    h = await startApi({ limits, chainChecks: chainDelayMs ? async () => void (await sleep(chainDelayMs)) : undefined, extra: { shutdownGraceMs } });
    base = await listen(h);
  }

  async function assign(exec: string, segment: number, op: Operator) {
    const res = await fetch(`${base}/v1/executions/${exec}/segments`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ segment, operator: op.account, operatorKey: op.key, sku: "H100" }),
    });
    expect(res.status).to.equal(202);
  }

  it("accepts concurrent receipts from many operators, each stored before its 202", async () => {
    await setup();
    const exec = randomAddress();
    const ops = Array.from({ length: 16 }, () => newOperator());
    for (const [i, op] of ops.entries()) await assign(exec, i, op);
    const responses = await Promise.all(
      ops.map(async (op, i) => {
        const res = await fetch(`${base}/v1/receipts`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ receipts: [signedReceipt(op, h.programId, exec, i, BigInt(100 + i), 1)] }),
        });
        // The moment the 202 arrives, the store must already have it.
        const kept = (await h.store.getExecution(exec))!.segments[i]!.receipt;
        return { status: res.status, units: kept?.cumulativeUnits };
      }),
    );
    responses.forEach((r, i) => expect(r).to.deep.equal({ status: 202, units: BigInt(100 + i) }));
  });

  it("refuses raw garbage, truncated JSON, invalid UTF-8 and oversized bodies with 4xx and stays up", async () => {
    await setup({ bodyLimitBytes: 4096 });
    const cases: Array<[string | Buffer, number, string]> = [
      ["{", 400, "MalformedJson"],
      ["", 400, "MalformedJson"],
      ["[1,2,3]", 400, "InvalidRequest"],
      ['{"receipts": "all of them"}', 400, "InvalidRequest"],
      [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, "MalformedJson"],
      ["x".repeat(10_000), 413, "BodyTooLarge"],
    ];
    for (const [body, status, error] of cases) {
      const res = await rawPost(base, "/v1/receipts", body);
      expect(res.status, String(body).slice(0, 20)).to.equal(status);
      expect(JSON.parse(res.body)).to.include({ error });
    }
    const health = await fetch(`${base}/healthz`);
    expect(health.status).to.equal(200);
    expect(await h.store.stats()).to.include({ pendingReceipts: 0 });
  });

  it("answers a flood from one address with 429 once its bucket is empty, then serves it again after refill", async () => {
    await setup({ perIpPerSecond: 2, perIpBurst: 20 });
    const statuses: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 40; i++) statuses.push((await rawPost(base, "/v1/receipts", "{")).status);
    // What the bucket may have refilled meanwhile (the machine may be slow): 2 per second.
    const refill = Math.ceil(((Date.now() - t0) / 1000) * 2);
    expect(statuses.slice(0, 20).every((s) => s === 400)).to.equal(true);
    expect(statuses.filter((s) => s === 400).length).to.be.at.most(20 + refill);
    expect(statuses.filter((s) => s === 429).length).to.be.at.least(20 - refill);
    expect(statuses.every((s) => s === 400 || s === 429)).to.equal(true);
    await sleep(600);
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
  });

  it("on shutdown finishes the request in flight (202, stored) and then stops listening", async () => {
    await setup({}, 300);
    const op = newOperator();
    const exec = randomAddress();
    await assign(exec, 0, op);
    const inFlight = fetch(`${base}/v1/receipts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ receipts: [signedReceipt(op, h.programId, exec, 0, 42n, 1)] }),
    });
    await sleep(100);
    const closing = h.app.close();
    const res = await inFlight;
    expect(res.status).to.equal(202);
    await closing;
    expect((await h.store.getExecution(exec))!.segments[0]!.receipt!.cumulativeUnits).to.equal(42n);
    let refused = false;
    await fetch(`${base}/healthz`).catch(() => (refused = true));
    expect(refused).to.equal(true);
  });

  it("on shutdown cuts connections stalled mid-body or mid-headers after the grace, finishes the complete request, and closes", async function () {
    this.timeout(20_000);
    await setup({}, 400, 300);
    const op = newOperator();
    const exec = randomAddress();
    await assign(exec, 0, op);
    await assign(exec, 1, op);
    const { port } = new URL(base);
    const open = async (): Promise<{ socket: Socket; received: Promise<string> }> => {
      const socket = connect(Number(port), "127.0.0.1");
      await new Promise((r) => socket.once("connect", r));
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("error", () => undefined);
      return { socket, received: new Promise((r) => socket.once("close", () => r(data))) };
    };
    // A node that sent half its receipt and then went silent (no FIN), and one that sent half its headers.
    const body = JSON.stringify({ receipts: [signedReceipt(op, h.programId, exec, 1, 77n, 1)] });
    const midBody = await open();
    midBody.socket.write(`POST /v1/receipts HTTP/1.1\r\nhost: settler\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, body.length >> 1)}`);
    const midHeaders = await open();
    midHeaders.socket.write("POST /v1/receipts HTTP/1.1\r\nhost: settler\r\n");
    // A complete request whose checks are still running when the shutdown starts.
    const inFlight = fetch(`${base}/v1/receipts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ receipts: [signedReceipt(op, h.programId, exec, 0, 42n, 1)] }),
    });
    await sleep(150);
    const closed = h.app.close().then(() => "closed");
    const outcome = await Promise.race([closed, sleep(10_000).then(() => "still waiting after 10 s")]);
    midBody.socket.destroy(); // lets the harness close even when the server did not cut them
    midHeaders.socket.destroy();
    expect(outcome).to.equal("closed");
    expect((await inFlight).status).to.equal(202);
    expect(await midBody.received).to.equal(""); // cut, never answered: nothing acknowledged
    expect(await midHeaders.received).to.equal("");
    const segments = (await h.store.getExecution(exec))!.segments;
    expect(segments[0]!.receipt!.cumulativeUnits).to.equal(42n);
    expect(segments[1]!.receipt).to.equal(null);
  });
});
