// Assembles a settler from its configuration: store, API, webhook worker; and takes it down
// in order (stop taking requests and finish those in flight, finish the pipeline's pass and
// webhook attempts in flight, close the store). With an RPC URL the submission pipeline runs and
// receipts get the SDK's chain checks; without one the settler only takes receipts in.
// Role "api" leaves the pipeline and the webhook worker to another process on the same store
// (intake then has its own thread); role "pipeline" runs them and still serves the API.
// Role all with pipelineThread runs them in a worker thread of this process (pipelineThread/).

import type { FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import { createMetrics, type SettlerMetrics } from "./api/metrics.ts";
import { buildServer } from "./api/server.ts";
import { dashboardRuntimeConfig } from "./api/static.ts";
import { address } from "@solana/kit";
import { createReceiptVerifier, noChainChecks, type ChainChecks } from "./api/verify.ts";
import { escrowChainChecks } from "./chain/chainChecks.ts";
import { escrowAssignmentCheck } from "./chain/assignmentChecks.ts";
import { connectChainFromConfig } from "./chain/connectFromConfig.ts";
import type { EscrowChain } from "./chain/escrowChain.ts";
import type { Pipeline } from "./pipeline/pipeline.ts";
import { startPipelineThread, type PipelineThread } from "./pipelineThread/host.ts";
import type { SettlerConfig } from "./config.ts";
import { openStore, type SettlerStore } from "./store/index.ts";
import { createSubmission, pipelineHealthText } from "./submission.ts";
import type { WebhookWorker } from "./webhooks/worker.ts";

export interface Settler {
  app: FastifyInstance;
  store: SettlerStore;
  metrics: SettlerMetrics;
  /** This thread's webhook worker (started unless role api or the pipeline thread delivers). */
  webhooks: WebhookWorker;
  /** This thread's pipeline: null without an RPC URL, in role api, and with the pipeline thread. */
  pipeline: Pipeline | null;
  /** With --pipeline-thread: the worker running the pipeline and webhooks. */
  pipelineThread: PipelineThread | null;
  chain: EscrowChain | null;
  logger: Logger;
  /** Where the API listens, e.g. http://127.0.0.1:8787. */
  url: string;
  stop(): Promise<void>;
}

export async function startSettler(config: SettlerConfig, opts: { logger?: Logger; chainChecks?: ChainChecks } = {}): Promise<Settler> {
  const logger = opts.logger ?? pino({ level: config.logLevel, name: "arknet-settler" });
  const store = await openStore(config.database);
  logger.info({ backend: store.kind, schema: await store.schemaVersion(), role: config.role, pipelineThread: config.pipelineThread }, "store open");
  const chain = await connectChainFromConfig(config, logger);
  const chainChecks = opts.chainChecks ?? (chain ? escrowChainChecks(chain) : undefined);
  if (!chainChecks) logger.warn("no RPC: receipt chain checks are off (signature, execution and assignment only) and nothing is submitted");
  const metrics = createMetrics(store, { dailyFeeBudgetLamports: config.dailyFeeBudgetLamports });
  // Submission runs here unless another process (role api) or the pipeline thread does it.
  const submitsHere = config.role !== "api" && !config.pipelineThread;
  const submission = createSubmission({ config, store, chain: submitsHere ? chain : null, logger, metrics });
  let pipelineThread: PipelineThread | null = null;
  if (config.pipelineThread) {
    try {
      pipelineThread = await startPipelineThread(config, logger);
    } catch (e) {
      await store.close();
      throw e;
    }
  }
  const thread = pipelineThread;
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
    healthChecks: { rpc: thread ? () => thread.health() : async () => pipelineHealthText(submission.pipeline) },
    moreMetrics: thread ? () => thread.metrics() : undefined,
  });
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await app.close();
    await thread?.stop();
    await store.close();
    throw e;
  }
  if (submitsHere) submission.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info("shutting down: finishing requests and webhook attempts in flight");
      await app.close();
      await thread?.stop();
      await submission.stop();
      await store.close();
      logger.info("shutdown complete");
    })());
  return { app, store, metrics, webhooks: submission.webhooks, pipeline: submission.pipeline, pipelineThread: thread, chain, logger, url, stop };
}

/** GET /v1/executions/:address's `chain` field: the live burn against the max burn, from the SDK's reader. */
function chainExecutionReader(chain: EscrowChain) {
  return async (a: string) => {
    const ex = await chain.readExecution(address(a));
    if (!ex) return null;
    return { status: ex.status === 2 ? "settled" : "open", maxBurn: String(ex.maxBurn), consumed: String(ex.consumed), fees: String(ex.feesAccrued), expiresAt: String(ex.expiresAt) };
  };
}
