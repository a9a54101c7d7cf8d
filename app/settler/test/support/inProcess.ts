// The settler in this process against a test validator, with its pipeline on: a real SQLite
// file in `dir` (the router keypair is written there too), port 0, the given token and extra
// environment (pipeline timings).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningValidator } from "@arknet/localnet/launch";
import { pino } from "pino";
import { loadConfig } from "../../src/config.ts";
import { startSettler, type Settler } from "../../src/settler.ts";
import type { TestEscrow } from "./escrow.ts";

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
