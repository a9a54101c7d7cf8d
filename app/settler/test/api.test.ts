// The HTTP API through fastify's inject(): every bad input gets a clear 4xx and stores
// nothing; a 202 means the store has the receipt.

import { expect } from "chai";
import { ReceiptRefusal } from "../src/api/verify.ts";
import type { SettlerStore } from "../src/store/index.ts";
import { auth, startApi, type ApiHarness } from "./support/api.ts";
import { newOperator, randomAddress, signedReceipt, type Operator, type WireReceipt } from "./support/receipts.ts";

async function assign(h: ApiHarness, execution: string, segment: number, op: Operator, sku = "H100") {
  const res = await h.app.inject({
    method: "POST",
    url: `/v1/executions/${execution}/segments`,
    headers: auth,
    payload: { segment, operator: op.account, operatorKey: op.key, sku },
  });
  expect(res.statusCode, res.body).to.equal(202);
}

const post = (h: ApiHarness, receipts: WireReceipt[]) => h.app.inject({ method: "POST", url: "/v1/receipts", payload: { receipts } });

async function keptUnits(store: SettlerStore, execution: string, segment = 0): Promise<bigint | null> {
  const ex = await store.getExecution(execution);
  return ex?.segments.find((s) => s.segment === segment)?.receipt?.cumulativeUnits ?? null;
}

describe("api: receipts", () => {
  let h: ApiHarness;
  let op: Operator;
  let exec: string;
  beforeEach(async () => {
    h = await startApi();
    op = newOperator();
    exec = randomAddress();
    await assign(h, exec, 0, op);
  });
  afterEach(() => h.close());

  it("answers 202 with the receipt already durable in the store", async () => {
    const res = await post(h, [signedReceipt(op, h.programId, exec, 0, 500n, 1)]);
    expect(res.statusCode, res.body).to.equal(202);
    expect(res.json()).to.deep.equal({ accepted: [{ execution: exec, segment: 0, sequence: 1, status: "accepted" }] });
    expect(await keptUnits(h.store, exec)).to.equal(500n);
  });

  it("does not answer 202 when the store fails to commit", async () => {
    await h.close();
    h = await startApi({
      wrapStore: (s) => ({ ...s, acceptReceipts: async () => Promise.reject(new Error("disk full")) }),
    });
    await assign(h, exec, 0, op);
    const res = await post(h, [signedReceipt(op, h.programId, exec, 0, 500n, 1)]);
    expect(res.statusCode).to.equal(500);
    expect(res.json()).to.deep.equal({ error: "Internal", message: "internal error" });
  });

  it("keeps the newest cumulative receipt; a duplicate is acknowledged; a decreasing one is refused with 409", async () => {
    expect((await post(h, [signedReceipt(op, h.programId, exec, 0, 100n, 1)])).statusCode).to.equal(202);
    expect((await post(h, [signedReceipt(op, h.programId, exec, 0, 300n, 3)])).statusCode).to.equal(202);
    const dup = await post(h, [signedReceipt(op, h.programId, exec, 0, 300n, 3)]);
    expect(dup.statusCode).to.equal(202);
    expect(dup.json().accepted[0].status).to.equal("duplicate");
    const older = await post(h, [signedReceipt(op, h.programId, exec, 0, 200n, 2)]);
    expect(older.statusCode).to.equal(409);
    expect(older.json()).to.include({ error: "ReceiptNotNewer", index: 0 });
    expect(older.json().message).to.match(/not newer/);
    expect(await keptUnits(h.store, exec)).to.equal(300n);
  });

  it("refuses malformed JSON, a wrong content type, an empty batch and bad fields with 400/415 and a reason", async () => {
    const bad = await h.app.inject({ method: "POST", url: "/v1/receipts", headers: { "content-type": "application/json" }, payload: '{"receipts": [' });
    expect(bad.statusCode).to.equal(400);
    expect(bad.json().error).to.equal("MalformedJson");
    const text = await h.app.inject({ method: "POST", url: "/v1/receipts", headers: { "content-type": "text/plain" }, payload: "hello" });
    expect(text.statusCode).to.equal(415);
    expect(text.json().error).to.equal("UnsupportedMediaType");
    const empty = await post(h, []);
    expect(empty.statusCode).to.equal(400);
    expect(empty.json()).to.include({ error: "InvalidRequest" });
    expect(empty.json().message).to.match(/receipts/);
    const r = signedReceipt(op, h.programId, exec, 0, 1n, 1);
    for (const broken of [
      { ...r, execution: "not-an-address" },
      { ...r, signature: "!!!" },
      { ...r, signature: r.signature.slice(0, 80) },
      { ...r, extra: 1 },
      { ...r, message: `${r.message.slice(0, -2)}A=` }, // valid alphabet, not canonical base64
    ]) {
      const res = await post(h, [broken as WireReceipt]);
      expect(res.statusCode, JSON.stringify(broken)).to.equal(400);
      expect(res.json().message).to.be.a("string").and.not.equal("");
    }
    expect(await keptUnits(h.store, exec)).to.equal(null);
  });

  it("refuses a bad signature, a tampered message and another key's signature with 401, storing nothing", async () => {
    const r = signedReceipt(op, h.programId, exec, 0, 100n, 1);
    const sig = Buffer.from(r.signature, "base64");
    sig[5]! ^= 1;
    const flipped = await post(h, [{ ...r, signature: sig.toString("base64") }]);
    expect(flipped.statusCode).to.equal(401);
    expect(flipped.json()).to.include({ error: "BadSignature", index: 0 });

    const msg = Buffer.from(r.message, "base64");
    msg.writeBigUInt64LE(10_000n, 46); // more units than were signed
    expect((await post(h, [{ ...r, message: msg.toString("base64") }])).json().error).to.equal("BadSignature");

    const other = newOperator();
    const forged = signedReceipt(other, h.programId, exec, 0, 100n, 1);
    expect((await post(h, [{ ...forged, signer: op.key }])).statusCode).to.equal(401);
    expect(await keptUnits(h.store, exec)).to.equal(null);
    const metrics = await h.metrics.registry.getSingleMetricAsString("arknet_settler_receipts_refused_total");
    expect(metrics).to.match(/reason="BadSignature"} 3/);
  });

  it("refuses receipts for another execution, an unknown execution, an unassigned segment, the wrong key or SKU", async () => {
    const otherExec = randomAddress();
    await assign(h, otherExec, 0, op);
    const forOther = signedReceipt(op, h.programId, otherExec, 0, 5n, 1);
    const moved = await post(h, [{ ...forOther, execution: exec }]);
    expect([moved.statusCode, moved.json().error]).to.deep.equal([422, "WrongExecution"]);

    const unknown = randomAddress();
    const u = await post(h, [signedReceipt(op, h.programId, unknown, 0, 5n, 1)]);
    expect([u.statusCode, u.json().error]).to.deep.equal([404, "UnknownExecution"]);

    const seg = await post(h, [signedReceipt(op, h.programId, exec, 3, 5n, 1)]);
    expect([seg.statusCode, seg.json().error]).to.deep.equal([422, "UnknownSegment"]);

    const stranger = newOperator();
    const wrongKey = await post(h, [signedReceipt(stranger, h.programId, exec, 0, 5n, 1)]);
    expect([wrongKey.statusCode, wrongKey.json().error]).to.deep.equal([403, "WrongSigner"]);

    const sku = await post(h, [signedReceipt(op, h.programId, exec, 0, 5n, 1, "A100")]);
    expect([sku.statusCode, sku.json().error]).to.deep.equal([422, "WrongSku"]);
    expect(await keptUnits(h.store, exec)).to.equal(null);
    expect(await keptUnits(h.store, otherExec)).to.equal(null);
  });

  it("stores a batch all or nothing, naming the offending index", async () => {
    const op2 = newOperator();
    await assign(h, exec, 1, op2);
    const good = signedReceipt(op, h.programId, exec, 0, 10n, 1);
    const bad = signedReceipt(op2, h.programId, exec, 1, 10n, 1);
    const res = await post(h, [good, { ...bad, signature: good.signature }]);
    expect(res.statusCode).to.equal(401);
    expect(res.json().index).to.equal(1);
    expect(await keptUnits(h.store, exec, 0)).to.equal(null);
    const ok = await post(h, [good, bad]);
    expect(ok.statusCode).to.equal(202);
    expect(await keptUnits(h.store, exec, 1)).to.equal(10n);
  });

  it("runs the injected chain checks and stores nothing they refuse", async () => {
    await h.close();
    h = await startApi({
      chainChecks: async (r) => {
        if (r.cumulativeUnits > 1000n) throw new ReceiptRefusal("OperatorNotActive", "operator is paused on-chain", 409);
      },
    });
    await assign(h, exec, 0, op);
    const res = await post(h, [signedReceipt(op, h.programId, exec, 0, 5000n, 1)]);
    expect([res.statusCode, res.json().error]).to.deep.equal([409, "OperatorNotActive"]);
    expect(await keptUnits(h.store, exec)).to.equal(null);
    expect((await post(h, [signedReceipt(op, h.programId, exec, 0, 50n, 1)])).statusCode).to.equal(202);
  });

  it("refuses a body over the size limit with 413", async () => {
    await h.close();
    h = await startApi({ limits: { bodyLimitBytes: 2048 } });
    const many = Array.from({ length: 20 }, (_, i) => signedReceipt(op, h.programId, exec, 0, BigInt(i + 1), i + 1));
    const res = await post(h, many);
    expect([res.statusCode, res.json().error]).to.deep.equal([413, "BodyTooLarge"]);
  });
});

describe("api: rate limits", () => {
  let h: ApiHarness;
  afterEach(() => h.close());

  it("refuses a flood from one operator with 429 and Retry-After, stores nothing of it, and serves others", async () => {
    h = await startApi({ limits: { receiptsPerSecond: 2, receiptsBurst: 10 } });
    const op = newOperator();
    const calm = newOperator();
    const exec = randomAddress();
    await assign(h, exec, 0, op);
    await assign(h, exec, 1, calm);
    const codes: number[] = [];
    const t0 = Date.now();
    for (let i = 1; i <= 30; i++) {
      const res = await post(h, [signedReceipt(op, h.programId, exec, 0, BigInt(i), i)]);
      codes.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().error).to.equal("RateLimited");
        expect(Number(res.headers["retry-after"])).to.be.at.least(1);
      }
    }
    // What the bucket may have refilled meanwhile (the machine may be slow): 2 per second.
    const refill = Math.ceil(((Date.now() - t0) / 1000) * 2);
    const accepted = codes.filter((c) => c === 202).length;
    expect(codes.slice(0, 10).every((c) => c === 202)).to.equal(true);
    expect(accepted).to.be.at.most(10 + refill);
    expect(codes.filter((c) => c === 429).length).to.equal(30 - accepted);
    // The newest stored receipt is the last accepted one, not a refused one.
    expect(Number(await keptUnits(h.store, exec))).to.equal(codes.lastIndexOf(202) + 1);
    expect((await post(h, [signedReceipt(calm, h.programId, exec, 1, 1n, 1)])).statusCode).to.equal(202);
    expect((await h.app.inject({ method: "GET", url: "/healthz" })).statusCode).to.equal(200);
  });

  it("refuses a batch larger than the burst outright", async () => {
    h = await startApi({ limits: { receiptsPerSecond: 1, receiptsBurst: 2 } });
    const op = newOperator();
    const exec = randomAddress();
    for (const s of [0, 1, 2]) await assign(h, exec, s, op);
    const res = await post(h, [0, 1, 2].map((s) => signedReceipt(op, h.programId, exec, s, 1n, 1)));
    expect(res.statusCode).to.equal(429);
    expect(res.json().message).to.match(/larger than the burst/);
  });
});

describe("api: router endpoints", () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  it("need the bearer token: none or a wrong one is 401 and changes nothing", async () => {
    const exec = randomAddress();
    const op = newOperator();
    const payload = { segment: 0, operator: op.account, operatorKey: op.key, sku: "H100" };
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: auth.authorization.replace("Bearer ", "") }]) {
      const res = await h.app.inject({ method: "POST", url: `/v1/executions/${exec}/segments`, headers, payload });
      expect(res.statusCode).to.equal(401);
      expect(res.json().error).to.equal("Unauthorized");
      expect(res.headers["www-authenticate"]).to.match(/^Bearer/);
    }
    expect(await h.store.getExecution(exec)).to.equal(null);
    // Checked before the body is read: an unauthenticated bad body is still a 401.
    const garbage = await h.app.inject({ method: "POST", url: `/v1/executions/${exec}/segments`, headers: { "content-type": "application/json" }, payload: "{" });
    expect(garbage.statusCode).to.equal(401);
    expect((await h.app.inject({ method: "POST", url: `/v1/executions/${exec}/complete`, payload: {} })).statusCode).to.equal(401);
    expect((await h.app.inject({ method: "GET", url: "/v1/webhooks" })).statusCode).to.equal(401);
  });

  it("assign segments idempotently, refuse conflicts and bad bodies, complete executions, and report status", async () => {
    const exec = randomAddress();
    const op = newOperator();
    const payload = { segment: 0, operator: op.account, operatorKey: op.key, sku: "H100" };
    const url = `/v1/executions/${exec}/segments`;
    expect((await h.app.inject({ method: "POST", url, headers: auth, payload })).json().status).to.equal("created");
    expect((await h.app.inject({ method: "POST", url, headers: auth, payload })).json().status).to.equal("unchanged");
    const conflict = await h.app.inject({ method: "POST", url, headers: auth, payload: { ...payload, sku: "A100" } });
    expect([conflict.statusCode, conflict.json().error]).to.deep.equal([409, "SegmentConflict"]);
    for (const bad of [{ ...payload, segment: 16 }, { ...payload, sku: "TOO-LONG-SKU" }, { ...payload, operator: "x" }, { segment: 1 }]) {
      const res = await h.app.inject({ method: "POST", url, headers: auth, payload: bad });
      expect(res.statusCode, JSON.stringify(bad)).to.equal(400);
      expect(res.json().error).to.equal("InvalidRequest");
    }
    const badPath = await h.app.inject({ method: "POST", url: "/v1/executions/nope/segments", headers: auth, payload });
    expect(badPath.statusCode).to.equal(400);

    await h.app.inject({ method: "POST", url: "/v1/receipts", payload: { receipts: [signedReceipt(op, h.programId, exec, 0, 77n, 4)] } });
    const done = await h.app.inject({ method: "POST", url: `/v1/executions/${exec}/complete`, headers: auth });
    expect([done.statusCode, done.json().status]).to.deep.equal([202, "completed"]);
    const unknown = await h.app.inject({ method: "POST", url: `/v1/executions/${randomAddress()}/complete`, headers: auth });
    expect([unknown.statusCode, unknown.json().error]).to.deep.equal([404, "UnknownExecution"]);

    const status = await h.app.inject({ method: "GET", url: `/v1/executions/${exec}` });
    expect(status.statusCode).to.equal(200);
    const body = status.json();
    expect(body).to.include({ address: exec, status: "complete", chain: null });
    expect(body.segments[0]).to.deep.include({ segment: 0, operatorKey: op.key, sku: "H100", landed: false });
    expect(body.segments[0].receipt).to.include({ cumulativeUnits: "77", sequence: 4, settledUnits: "0", pending: true });
    expect((await h.app.inject({ method: "GET", url: `/v1/executions/${randomAddress()}` })).statusCode).to.equal(404);
  });

  it("manage webhook subscriptions, returning the secret once", async () => {
    const created = await h.app.inject({ method: "POST", url: "/v1/webhooks", headers: auth, payload: { url: "http://127.0.0.1:48001/hook", events: ["bill"] } });
    expect(created.statusCode, created.body).to.equal(201);
    const { id, secret } = created.json();
    expect(secret).to.be.a("string").with.length.greaterThan(20);
    const list = await h.app.inject({ method: "GET", url: "/v1/webhooks", headers: auth });
    expect(list.json().subscriptions).to.deep.equal([{ id, url: "http://127.0.0.1:48001/hook", events: ["bill"] }]);
    expect(list.body).to.not.include(secret);
    for (const payload of [{ url: "ftp://x" }, { url: "not a url" }, { url: "http://h", events: ["Bad Event"] }]) {
      expect((await h.app.inject({ method: "POST", url: "/v1/webhooks", headers: auth, payload })).statusCode, JSON.stringify(payload)).to.equal(400);
    }
    expect((await h.app.inject({ method: "DELETE", url: `/v1/webhooks/${id}`, headers: auth })).statusCode).to.equal(204);
    const again = await h.app.inject({ method: "DELETE", url: `/v1/webhooks/${id}`, headers: auth });
    expect([again.statusCode, again.json().error]).to.deep.equal([404, "UnknownWebhook"]);
  });
});

describe("api: operations", () => {
  let h: ApiHarness;
  afterEach(() => h.close());

  it("serves the OpenAPI document with every route and the bearer scheme", async () => {
    h = await startApi();
    const res = await h.app.inject({ method: "GET", url: "/openapi.json" });
    expect(res.statusCode).to.equal(200);
    const doc = res.json();
    expect(doc.openapi).to.match(/^3\./);
    expect(Object.keys(doc.paths)).to.include.members([
      "/v1/receipts",
      "/v1/executions/{address}/segments",
      "/v1/executions/{address}/complete",
      "/v1/executions/{address}",
      "/v1/webhooks",
      "/v1/webhooks/{id}",
      "/healthz",
    ]);
    expect(doc.components.securitySchemes.router).to.deep.equal({ type: "http", scheme: "bearer" });
    expect(doc.paths["/v1/receipts"].post.requestBody.content["application/json"].schema.required).to.deep.equal(["receipts"]);
  });

  it("reports health from the store and injected checks: 200 when all are ok, 503 with the reason otherwise", async () => {
    let rpc = "ok";
    h = await startApi({ extra: { healthChecks: { rpc: async () => rpc } } });
    const ok = await h.app.inject({ method: "GET", url: "/healthz" });
    expect([ok.statusCode, ok.json()]).to.deep.equal([200, { status: "ok", checks: { store: "ok", rpc: "ok" } }]);
    rpc = "slot stale for 30 s";
    const bad = await h.app.inject({ method: "GET", url: "/healthz" });
    expect([bad.statusCode, bad.json()]).to.deep.equal([503, { status: "unhealthy", checks: { store: "ok", rpc: "slot stale for 30 s" } }]);
  });

  it("exposes Prometheus metrics: accepted receipts, queue depth, lag and the pipeline's counters", async () => {
    h = await startApi();
    const op = newOperator();
    const exec = randomAddress();
    await assign(h, exec, 0, op);
    await post(h, [signedReceipt(op, h.programId, exec, 0, 9n, 1)]);
    await post(h, [signedReceipt(op, h.programId, exec, 0, 9n, 1)]);
    const res = await h.app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).to.equal(200);
    expect(res.headers["content-type"]).to.match(/text\/plain/);
    const text = res.body;
    expect(text).to.match(/^arknet_settler_receipts_accepted_total 1$/m);
    expect(text).to.match(/^arknet_settler_receipts_duplicate_total 1$/m);
    expect(text).to.match(/^arknet_settler_queue_depth 1$/m);
    expect(text).to.match(/^arknet_settler_settlement_lag_seconds [0-9.e-]+$/m);
    expect(text).to.match(/^arknet_settler_fees_today_lamports 0$/m);
    for (const name of ["receipts_settled_total", "tx_sent_total", "tx_confirmed_total", "tx_failed_total", "sol_spent_lamports_total"]) {
      expect(text).to.match(new RegExp(`^arknet_settler_${name} 0$`, "m"));
    }
  });

  it("answers an unknown route with a JSON 404", async () => {
    h = await startApi();
    const res = await h.app.inject({ method: "GET", url: "/v2/nothing" });
    expect([res.statusCode, res.json().error]).to.deep.equal([404, "NotFound"]);
  });
});
