// Webhook delivery against a real HTTP receiver on loopback that fails on purpose.

import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openStore, type SettlerStore } from "../src/store/index.ts";
import { retryDelayMs } from "../src/webhooks/backoff.ts";
import { emitEvent } from "../src/webhooks/events.ts";
import { signWebhook, verifyWebhook } from "../src/webhooks/signature.ts";
import { createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from "../src/webhooks/worker.ts";
import { sleep } from "./support/fixtures.ts";
import { freePort } from "./support/ports.ts";

interface Hit {
  at: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A receiver that answers with `plan(n)` for its n-th request (0-based); "hang" never answers. */
async function receiver(plan: (n: number) => number | "hang") {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const n = hits.length;
      hits.push({ at: Date.now(), headers: req.headers, body });
      const answer = plan(n);
      if (answer === "hang") return;
      res.writeHead(answer).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until(cond: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await sleep(20);
  }
}

describe("webhooks: signatures and backoff", () => {
  it("signs with HMAC-SHA256 over timestamp and body; refuses tampering, another secret and stale timestamps", () => {
    const body = '{"id":"e1","type":"bill"}';
    const header = signWebhook("s3cret", body, 1_700_000_000);
    expect(header).to.match(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook("s3cret", header, body, { nowSec: 1_700_000_010 })).to.deep.equal({ ok: true, timestampSec: 1_700_000_000 });
    expect(verifyWebhook("s3cret", header, body.replace("bill", "refund"), { nowSec: 1_700_000_010 })).to.deep.equal({ ok: false, reason: "mismatch" });
    expect(verifyWebhook("other", header, body, { nowSec: 1_700_000_010 })).to.deep.equal({ ok: false, reason: "mismatch" });
    expect(verifyWebhook("s3cret", header, body, { nowSec: 1_700_001_000 })).to.deep.equal({ ok: false, reason: "stale" });
    expect(verifyWebhook("s3cret", "v1=abc", body)).to.deep.equal({ ok: false, reason: "malformed" });
  });

  it("backs off exponentially up to the cap", () => {
    const o = { baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, o))).to.deep.equal([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(retryDelayMs(3, { ...o, jitter: 0.5, random: () => 0 })).to.equal(2000);
  });
});

describe("webhooks: delivery", () => {
  let dir: string;
  let file: string;
  let store: SettlerStore;
  const workers: WebhookWorker[] = [];
  const closers: Array<() => Promise<void>> = [];
  const worker = (s: SettlerStore, over: Partial<WebhookWorkerOptions> = {}) => {
    const w = createWebhookWorker({
      store: s,
      logger: pino({ level: "silent" }),
      maxAttempts: 5,
      baseDelayMs: 80,
      maxDelayMs: 1000,
      timeoutMs: 2000,
      pollIntervalMs: 20,
      ...over,
    });
    workers.push(w);
    return w;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "arknet-settler-webhooks-"));
    file = join(dir, "settler.sqlite");
    store = await openStore(file);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    for (const c of closers.splice(0)) await c();
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it("retries a failing receiver with exponential backoff until it acknowledges, each attempt signed", async () => {
    const rx = await receiver((n) => (n < 2 ? 500 : 200));
    closers.push(rx.close);
    const sub = await store.addSubscription({ url: rx.url, secret: "hook-secret", events: [] });
    const id = await emitEvent(store, "settlement", { execution: "E", amount: "1500" });
    worker(store).start();
    await until(async () => (await store.listDeliveries({ eventId: id }))[0]!.status === "delivered");

    expect(rx.hits.length).to.equal(3);
    for (const [i, hit] of rx.hits.entries()) {
      expect(hit.headers["arknet-event-id"]).to.equal(id);
      expect(hit.headers["arknet-delivery-attempt"]).to.equal(String(i + 1));
      expect(verifyWebhook(sub.secret, hit.headers["arknet-signature"] as string, hit.body).ok).to.equal(true);
      expect(JSON.parse(hit.body)).to.deep.include({ id, type: "settlement", data: { execution: "E", amount: "1500" } });
    }
    expect(rx.hits[1]!.at - rx.hits[0]!.at).to.be.at.least(80 - 5);
    expect(rx.hits[2]!.at - rx.hits[1]!.at).to.be.at.least(160 - 5);
    const [d] = await store.listDeliveries({ eventId: id });
    expect(d).to.include({ status: "delivered", attempts: 3, lastError: null });
  });

  it("keeps its retry schedule across a restart and delivers after it", async () => {
    let up = false;
    const rx = await receiver(() => (up ? 204 : 503));
    closers.push(rx.close);
    await store.addSubscription({ url: rx.url, secret: "s", events: ["refund"] });
    const id = await emitEvent(store, "refund", { execution: "E", refund: "10" });
    const first = worker(store, { baseDelayMs: 300 });
    expect(await first.runOnce()).to.equal(1);
    await first.stop();
    await store.close();

    const [failed] = await (store = await openStore(file)).listDeliveries({ eventId: id });
    expect(failed).to.include({ status: "pending", attempts: 1, lastError: "HTTP 503" });
    expect(failed!.nextAttemptAt).to.be.greaterThan(Date.now());
    up = true;
    worker(store).start();
    await until(async () => (await store.listDeliveries({ eventId: id }))[0]!.status === "delivered");
    expect(rx.hits.length).to.equal(2);
    expect(rx.hits[1]!.at - rx.hits[0]!.at).to.be.at.least(300 - 5);
  });

  it("redelivers an event whose worker died mid-request (at least once)", async () => {
    const rx = await receiver(() => 200);
    closers.push(rx.close);
    await store.addSubscription({ url: rx.url, secret: "s", events: [] });
    const id = await emitEvent(store, "bill", { total: "99" });
    // A worker claims the delivery and dies before any request or record.
    expect((await store.claimDueDeliveries(10, 1000)).length).to.equal(1);
    const w = worker(store);
    w.start();
    await sleep(150);
    expect(rx.hits.length, "still held by the dead worker's claim").to.equal(0);
    await until(async () => (await store.listDeliveries({ eventId: id }))[0]!.status === "delivered");
    expect(rx.hits.length).to.equal(1);
  });

  it("gives up after maxAttempts, and counts a receiver that never answers as a timeout", async () => {
    const rx = await receiver((n) => (n === 0 ? "hang" : 500));
    closers.push(rx.close);
    await store.addSubscription({ url: rx.url, secret: "s", events: [] });
    const id = await emitEvent(store, "bill", {});
    worker(store, { maxAttempts: 3, timeoutMs: 400, baseDelayMs: 20 }).start();
    await until(async () => (await store.listDeliveries({ eventId: id }))[0]!.status === "dead");
    const [d] = await store.listDeliveries({ eventId: id });
    expect(d).to.include({ attempts: 3, lastError: "HTTP 500" });
    expect(rx.hits.length).to.equal(3);
  });

  it("delivers only the event types a subscriber asked for, and a refused connection is a retryable failure", async () => {
    const rx = await receiver(() => 200);
    closers.push(rx.close);
    await store.addSubscription({ url: rx.url, secret: "s", events: ["bill"] });
    const closedPort = await freePort();
    await store.addSubscription({ url: `http://127.0.0.1:${closedPort}/nobody`, secret: "s", events: [] });
    await emitEvent(store, "settlement", {});
    const bill = await emitEvent(store, "bill", {});
    const w = worker(store, { baseDelayMs: 10_000 });
    await w.runOnce();
    expect(rx.hits.map((h) => h.headers["arknet-event-type"])).to.deep.equal(["bill"]);
    expect(rx.hits[0]!.headers["arknet-event-id"]).to.equal(bill);
    const pending = await store.listDeliveries({ status: "pending" });
    expect(pending.length).to.equal(2);
    for (const p of pending) expect(p.lastError).to.match(/ECONNREFUSED|fetch failed|connect/);
  });
});
