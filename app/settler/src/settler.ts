// Assembles a settler from its configuration: store, API, webhook worker; and takes it down
// in order (stop taking requests and finish those in flight, finish webhook attempts in
// flight, close the store). The submission pipeline joins here once the SDK lands.

import type { FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import { createMetrics, type SettlerMetrics } from "./api/metrics.ts";
import { buildServer } from "./api/server.ts";
import { createInterimVerifier, noChainChecks, type ChainChecks } from "./api/verify.ts";
import type { SettlerConfig } from "./config.ts";
import { openStore, type SettlerStore } from "./store/index.ts";
import { createWebhookWorker, type WebhookWorker } from "./webhooks/worker.ts";

export interface Settler {
  app: FastifyInstance;
  store: SettlerStore;
  metrics: SettlerMetrics;
  webhooks: WebhookWorker;
  logger: Logger;
  /** Where the API listens, e.g. http://127.0.0.1:8787. */
  url: string;
  stop(): Promise<void>;
}

export async function startSettler(config: SettlerConfig, opts: { logger?: Logger; chainChecks?: ChainChecks } = {}): Promise<Settler> {
  const logger = opts.logger ?? pino({ level: config.logLevel, name: "arknet-settler" });
  const store = await openStore(config.database);
  logger.info({ backend: store.kind, schema: await store.schemaVersion() }, "store open");
  if (!opts.chainChecks) {
    // TODO(@arknet/escrow): pass the SDK's chain checks (operator active, on-chain segment, settled units).
    logger.warn("receipt chain checks are off until the SDK provides them: only signature, binding and assignment are checked");
  }
  const metrics = createMetrics(store, { dailyFeeBudgetLamports: config.dailyFeeBudgetLamports });
  const app = await buildServer({
    store,
    metrics,
    logger,
    routerToken: config.routerToken,
    limits: { ...config.rateLimit, bodyLimitBytes: config.bodyLimitBytes, maxReceiptsPerRequest: config.maxReceiptsPerRequest },
    verifier: createInterimVerifier({ store, programId: config.programId, chainChecks: opts.chainChecks ?? noChainChecks }),
  });
  const webhooks = createWebhookWorker({ store, logger, metrics, ...config.webhooks, jitter: 0.2 });
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await app.close();
    await store.close();
    throw e;
  }
  webhooks.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info("shutting down: finishing requests and webhook attempts in flight");
      await app.close();
      await webhooks.stop();
      await store.close();
      logger.info("shutdown complete");
    })());
  return { app, store, metrics, webhooks, logger, url, stop };
}
