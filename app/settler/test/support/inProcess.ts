// The settler in this process against a test validator, with its pipeline on: a real SQLite
// file in `dir` (the router keypair is written there too), port 0, the given token and extra
// environment (pipeline timings). `localnetFixture` wraps that in mocha hooks.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningValidator } from "@arknet/localnet/launch";
import { pino } from "pino";
import { loadConfig } from "../../src/config.ts";
import { startSettler, type Settler } from "../../src/settler.ts";
import { makeEscrow, type TestEscrow } from "./escrow.ts";
import { startTestValidator } from "./validators.ts";

export function startInProcessSettler(t: TestEscrow, v: RunningValidator, dir: string, token: string, env: Record<string, string> = {}, logLevel = "silent"): Promise<Settler> {
  writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
  return startSettler(
    loadConfig([], {
      ARKNET_SETTLER_DB: join(dir, "settler.sqlite"),
      ARKNET_SETTLER_PORT: "0",
      ARKNET_SETTLER_ROUTER_TOKEN: token,
      ARKNET_PROGRAM_ID: t.deployment.programAddress,
      ARKNET_RPC_URL: v.rpcUrl,
      ARKNET_CONFIG: t.deployment.config,
      ARKNET_ROUTER_KEYPAIR: join(dir, "router.json"),
      ...env,
    }),
    { logger: pino({ level: process.env.SETTLER_LOG ?? logLevel }) },
  );
}

export interface LocalnetFixture {
  v: RunningValidator;
  t: TestEscrow;
  dir: string;
  /** Starts the settler (stopped by the fixture's after hook). */
  start(token: string, env?: Record<string, string>): Promise<Settler>;
}

/** Mocha hooks for a suite with one localnet, one escrow deployment, a temp dir and an in-process settler. */
export function localnetFixture(prefix: string): LocalnetFixture {
  let settler: Settler | null = null;
  const f = {
    start: async (token: string, env: Record<string, string> = {}) => (settler = await startInProcessSettler(f.t, f.v, f.dir, token, env)),
  } as LocalnetFixture;
  before(async () => {
    f.v = await startTestValidator("localnet");
    f.t = await makeEscrow(f.v);
    f.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(async () => {
    await settler?.stop();
    await f.v?.stop();
    if (f.dir) rmSync(f.dir, { recursive: true, force: true });
  });
  return f;
}
