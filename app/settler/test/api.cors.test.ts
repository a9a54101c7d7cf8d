// CORS: off by default (no headers, no preflight route); with --cors-origin only the named
// origins (or any, with "*") get the headers, preflights are answered, and router endpoints
// still need the bearer token.

import { expect } from "chai";
import { auth, startApi, type ApiHarness } from "./support/api.ts";
import { randomAddress } from "./support/receipts.ts";

const DASH = "https://dash.example.com";

describe("api: CORS", () => {
  let h: ApiHarness;
  afterEach(() => h.close());

  const preflight = (url: string, origin: string) =>
    h.app.inject({
      method: "OPTIONS",
      url,
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });

  it("sends no CORS headers and answers no preflight by default (same-origin only)", async () => {
    h = await startApi();
    const health = await h.app.inject({ method: "GET", url: "/healthz", headers: { origin: DASH } });
    expect(health.statusCode).to.equal(200);
    expect(health.headers).to.not.have.property("access-control-allow-origin");
    const pre = await preflight("/v1/webhooks", DASH);
    expect(pre.statusCode).to.equal(404);
    expect(pre.headers).to.not.have.property("access-control-allow-origin");
  });

  it("allows the configured origins only, answers their preflight, and router endpoints still need the token", async () => {
    h = await startApi({ extra: { corsOrigins: [DASH, "http://127.0.0.1:5173"] } });
    const health = await h.app.inject({ method: "GET", url: "/healthz", headers: { origin: DASH } });
    expect(health.statusCode).to.equal(200);
    expect(health.headers["access-control-allow-origin"]).to.equal(DASH);
    expect(String(health.headers.vary)).to.match(/origin/i);
    expect(health.headers).to.not.have.property("access-control-allow-credentials");

    const other = await h.app.inject({ method: "GET", url: "/healthz", headers: { origin: "https://evil.example.com" } });
    expect(other.headers).to.not.have.property("access-control-allow-origin");

    // The dashboard's per-execution view; an unknown execution's 404 is readable cross-origin too.
    const exec = await h.app.inject({ method: "GET", url: `/v1/executions/${randomAddress()}`, headers: { origin: "http://127.0.0.1:5173" } });
    expect(exec.statusCode).to.equal(404);
    expect(exec.headers["access-control-allow-origin"]).to.equal("http://127.0.0.1:5173");

    const pre = await preflight("/v1/webhooks", DASH);
    expect(pre.statusCode).to.equal(204);
    expect(pre.headers["access-control-allow-origin"]).to.equal(DASH);
    expect(String(pre.headers["access-control-allow-methods"])).to.include("POST");
    expect(String(pre.headers["access-control-allow-headers"]).toLowerCase()).to.include("authorization");
    expect(pre.headers["access-control-max-age"]).to.equal("600");
    const refusedPre = await preflight("/v1/webhooks", "https://evil.example.com");
    expect(refusedPre.headers).to.not.have.property("access-control-allow-origin");

    const payload = { url: "http://127.0.0.1:46001/hook", events: ["bill"] };
    const noToken = await h.app.inject({ method: "POST", url: "/v1/webhooks", headers: { origin: DASH }, payload });
    expect(noToken.statusCode).to.equal(401);
    expect(noToken.headers["access-control-allow-origin"]).to.equal(DASH);
    expect(noToken.json()).to.include({ error: "Unauthorized" });
    expect((await h.app.inject({ method: "GET", url: "/v1/webhooks", headers: auth })).json().subscriptions).to.deep.equal([]);
    const withToken = await h.app.inject({ method: "POST", url: "/v1/webhooks", headers: { origin: DASH, ...auth }, payload });
    expect(withToken.statusCode).to.equal(201);
    expect(withToken.headers["access-control-allow-origin"]).to.equal(DASH);
  });

  it("allows any origin with *, without credentials", async () => {
    h = await startApi({ extra: { corsOrigins: "*" } });
    const health = await h.app.inject({ method: "GET", url: "/healthz", headers: { origin: "https://anywhere.example" } });
    expect(health.headers["access-control-allow-origin"]).to.equal("*");
    expect(health.headers).to.not.have.property("access-control-allow-credentials");
    expect((await preflight("/v1/receipts", "https://anywhere.example")).statusCode).to.equal(204);
  });
});
