// The dashboard route: the built files at /, /config.json from the settler's configuration,
// API misses still the JSON 404, and a dashboard directory without an RPC URL refused.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../src/config.ts";
import { dashboardRuntimeConfig } from "../src/api/static.ts";
import { startApi, type ApiHarness } from "./support/api.ts";

const PROGRAM = "ArkNetEscrow1111111111111111111111111111111";
const CONFIG = "Cfg1111111111111111111111111111111111111111";
const env = {
  ARKNET_SETTLER_ROUTER_TOKEN: "0123456789abcdef0123",
  ARKNET_PROGRAM_ID: PROGRAM,
  ARKNET_SETTLER_DASHBOARD_DIR: "/tmp/dash",
  ARKNET_SETTLER_DASHBOARD_RPC_URL: "http://127.0.0.1:18899",
};

describe("dashboard static route", () => {
  let dir: string;
  let api: ApiHarness;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "arknet-dashboard-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>ArkNet Escrow</title>");
    writeFileSync(join(dir, "assets", "app.js"), "console.log(1)");
    const config = loadConfig([], { ...env, ARKNET_CONFIG: CONFIG, ARKNET_SETTLER_DASHBOARD_DIR: dir, ARKNET_SETTLER_DASHBOARD_CLUSTER: "devnet" });
    api = await startApi({ extra: { dashboard: { dir, runtimeConfig: dashboardRuntimeConfig(config, "Mint111111111111111111111111111111111111111") } } });
  });
  after(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves index.html at / and the assets", async () => {
    const index = await api.app.inject({ method: "GET", url: "/" });
    expect(index.statusCode).to.equal(200);
    expect(index.headers["content-type"]).to.match(/text\/html/);
    expect(index.body).to.contain("ArkNet Escrow");
    const asset = await api.app.inject({ method: "GET", url: "/assets/app.js" });
    expect(asset.statusCode).to.equal(200);
    expect(asset.body).to.equal("console.log(1)");
  });

  it("serves /config.json from the settler's configuration", async () => {
    const res = await api.app.inject({ method: "GET", url: "/config.json" });
    expect(res.statusCode).to.equal(200);
    expect(res.json()).to.deep.equal({
      cluster: "devnet",
      rpcUrl: "http://127.0.0.1:18899",
      settlerUrl: "",
      programAddress: PROGRAM,
      config: CONFIG,
      mint: "Mint111111111111111111111111111111111111111",
    });
  });

  it("keeps the API's JSON 404 for paths that are neither files nor routes", async () => {
    const res = await api.app.inject({ method: "GET", url: "/nothing-here.js" });
    expect(res.statusCode).to.equal(404);
    expect(res.json().error).to.equal("NotFound");
    const health = await api.app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).to.equal(200);
  });

  it("refuses a dashboard directory without an RPC URL, and a bad cluster name", () => {
    const { ARKNET_SETTLER_DASHBOARD_RPC_URL: _, ...noRpc } = env;
    expect(() => loadConfig([], noRpc)).to.throw(ConfigError, /dashboard-dir.*needs/);
    expect(() => loadConfig(["--dashboard-cluster", "moon"], env)).to.throw(ConfigError, /dashboard-cluster/);
  });

  it("without a dashboard directory, / is the API's 404", async () => {
    const plain = await startApi();
    try {
      expect((await plain.app.inject({ method: "GET", url: "/" })).statusCode).to.equal(404);
      expect(loadConfig([], { ARKNET_SETTLER_ROUTER_TOKEN: env.ARKNET_SETTLER_ROUTER_TOKEN, ARKNET_PROGRAM_ID: PROGRAM }).dashboard).to.equal(null);
    } finally {
      await plain.close();
    }
  });
});
