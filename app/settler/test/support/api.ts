// A settler API over a real SQLite file, with a silent logger, for inject() and listener tests.
import type { FastifyInstance } from "fastify";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createMetrics, type SettlerMetrics } from "../../src/api/metrics.ts";
import { buildServer, type ApiDeps, type ApiLimits } from "../../src/api/server.ts";
import { createReceiptVerifier, noChainChecks, type ChainChecks } from "../../src/api/verify.ts";
import { openStore, type SettlerStore } from "../../src/store/index.ts";
import { randomAddress } from "./receipts.ts";

export const ROUTER_TOKEN = "router-token-for-tests-0123456789";
export const auth = { authorization: `Bearer ${ROUTER_TOKEN}` };

export const DEFAULT_LIMITS: ApiLimits = {
  receiptsPerSecond: 10_000,
  receiptsBurst: 10_000,
  routerPerSecond: 10_000,
  routerBurst: 10_000,
  perIpPerSecond: 100_000,
  perIpBurst: 100_000,
  bodyLimitBytes: 64 * 1024,
  maxReceiptsPerRequest: 64,
};

export interface ApiHarness {
  app: FastifyInstance;
  store: SettlerStore;
  metrics: SettlerMetrics;
  programId: string;
  /** The SQLite file behind the store (tests reach it with a second connection). */
  dbFile: string;
  close(): Promise<void>;
}

export async function startApi(
  opts: { limits?: Partial<ApiLimits>; chainChecks?: ChainChecks; wrapStore?: (s: SettlerStore) => SettlerStore; extra?: Partial<ApiDeps> } = {},
): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), "arknet-settler-api-"));
  const dbFile = join(dir, "settler.sqlite");
  const real = await openStore(dbFile);
  const store = opts.wrapStore ? opts.wrapStore(real) : real;
  const programId = randomAddress();
  const metrics = createMetrics(store);
  const app = await buildServer({
    store,
    metrics,
    logger: pino({ level: "silent" }),
    routerToken: ROUTER_TOKEN,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    verifier: createReceiptVerifier({ store, chainChecks: opts.chainChecks ?? noChainChecks }),
    ...opts.extra,
  });
  return {
    app,
    store: real,
    metrics,
    programId,
    dbFile,
    async close() {
      await app.close();
      await real.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
