// Assembles a settler from its configuration: store, API, webhook worker; and takes it down
// in order (stop taking requests and finish those in flight, finish the pipeline's pass and
// webhook attempts in flight, close the store). With an RPC URL the submission pipeline runs and
// receipts get the SDK's chain checks; without one the settler only takes receipts in.
// Role "api" leaves the pipeline and the webhook worker to another process on the same store
// (intake then has its own thread); role "pipeline" runs them and still serves the API.

import type { FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import { createMetrics, type SettlerMetrics } from "./api/metrics.ts";
import { buildServer } from "./api/server.ts";
import { dashboardRuntimeConfig } from "./api/static.ts";
import { readFileSync } from "node:fs";
import { createClient } from "@arknet/escrow";
import { address, createKeyPairSignerFromBytes, createSolanaRpcFromTransport } from "@solana/kit";
import { createReceiptVerifier, noChainChecks, type ChainChecks } from "./api/verify.ts";
import { escrowChainChecks } from "./chain/chainChecks.ts";
import { escrowAssignmentCheck } from "./chain/assignmentChecks.ts";
import { connectEscrowChain, type EscrowChain } from "./chain/escrowChain.ts";
import { nodeHttpTransport } from "./chain/httpTransport.ts";
import { createPipeline, type Pipeline } from "./pipeline/pipeline.ts";
import type { SettlerConfig } from "./config.ts";
import { openStore, type SettlerStore } from "./store/index.ts";
import { createWebhookWorker, type WebhookWorker } from "./webhooks/worker.ts";

export interface Settler {
  app: FastifyInstance;
  store: SettlerStore;
  metrics: SettlerMetrics;
  webhooks: WebhookWorker;
  /** Null when no RPC URL is configured. */
  pipeline: Pipeline | null;
  chain: EscrowChain | null;
  logger: Logger;
  /** Where the API listens, e.g. http://127.0.0.1:8787. */
  url: string;
  stop(): Promise<void>;
}

export async function startSettler(config: SettlerConfig, opts: { logger?: Logger; chainChecks?: ChainChecks } = {}): Promise<Settler> {
  const logger = opts.logger ?? pino({ level: config.logLevel, name: "arknet-settler" });
  const store = await openStore(config.database);
  logger.info({ backend: store.kind, schema: await store.schemaVersion(), role: config.role }, "store open");
  let chain: EscrowChain | null = null;
  if (config.rpcUrl && config.escrowConfig && config.routerKeypair) {
    const secret = new Uint8Array(JSON.parse(readFileSync(config.routerKeypair, "utf8")) as number[]);
    const router = await createKeyPairSignerFromBytes(secret);
    // Subscriptions as the SDK makes them; JSON-RPC calls over node:http (httpTransport.ts).
    const client = { ...createClient(config.rpcUrl, config.wsUrl ?? undefined), rpc: createSolanaRpcFromTransport(nodeHttpTransport(config.rpcUrl)) };
    chain = await connectEscrowChain(client, address(config.escrowConfig), router);
    logger.info({ program: chain.deployment.programAddress, router: router.address }, "chain connected");
  }
  const chainChecks = opts.chainChecks ?? (chain ? escrowChainChecks(chain) : undefined);
  if (!chainChecks) logger.warn("no RPC: receipt chain checks are off (signature, execution and assignment only) and nothing is submitted");
  const metrics = createMetrics(store, { dailyFeeBudgetLamports: config.dailyFeeBudgetLamports });
  const app = await buildServer({
    store,
    metrics,
    logger,
    routerToken: config.routerToken,
    limits: { ...config.rateLimit, bodyLimitBytes: config.bodyLimitBytes, maxReceiptsPerRequest: config.maxReceiptsPerRequest },
    verifier: createReceiptVerifier({ store, chainChecks: chainChecks ?? noChainChecks }),
    readExecution: chain ? chainExecutionReader(chain) : undefined,
    dashboard: config.dashboard ? { dir: config.dashboard.dir, runtimeConfig: dashboardRuntimeConfig(config, chain?.deployment.mint) } : undefined,
    checkAssignment: chain ? escrowAssignmentCheck(chain) : undefined,
    shutdownGraceMs: config.shutdownGraceMs,
    corsOrigins: config.corsOrigins,
    healthChecks: { rpc: async () => (pipeline ? (pipeline.health().healthy ? "ok" : (pipeline.health().reason ?? "unhealthy")) : "ok") },
  });
  const pipeline = chain && config.role !== "api"
    ? createPipeline({ store, chain, logger, metrics, dailyFeeBudgetLamports: config.dailyFeeBudgetLamports, ...config.pipeline })
    : null;
  const webhooks = createWebhookWorker({ store, logger, metrics, ...config.webhooks, jitter: 0.2 });
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await app.close();
    await store.close();
    throw e;
  }
  if (config.role !== "api") webhooks.start();
  pipeline?.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info("shutting down: finishing requests and webhook attempts in flight");
      await app.close();
      await pipeline?.stop();
      await webhooks.stop();
      await store.close();
      logger.info("shutdown complete");
    })());
  return { app, store, metrics, webhooks, pipeline, chain, logger, url, stop };
}

/** GET /v1/executions/:address's `chain` field: the live burn against the max burn, from the SDK's reader. */
function chainExecutionReader(chain: EscrowChain) {
  return async (a: string) => {
    const ex = await chain.readExecution(address(a));
    if (!ex) return null;
    return { status: ex.status === 2 ? "settled" : "open", maxBurn: String(ex.maxBurn), consumed: String(ex.consumed), fees: String(ex.feesAccrued), expiresAt: String(ex.expiresAt) };
  };
}
