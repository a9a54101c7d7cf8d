// The settler's back half: the submission pipeline (with a chain) and the webhook worker, over
// one store. Started in the settler's own thread, or alone in the pipeline thread.

import type { Logger } from "pino";
import type { SettlerMetrics } from "./api/metrics.ts";
import type { EscrowChain } from "./chain/escrowChain.ts";
import type { SettlerConfig } from "./config.ts";
import { createPipeline, type Pipeline } from "./pipeline/pipeline.ts";
import type { SettlerStore } from "./store/index.ts";
import { createWebhookWorker, type WebhookWorker } from "./webhooks/worker.ts";

export interface Submission {
  /** Null without a chain: webhooks only. */
  pipeline: Pipeline | null;
  webhooks: WebhookWorker;
  start(): void;
  /** Finishes the pipeline's pass and the webhook attempts in flight. */
  stop(): Promise<void>;
}

export function createSubmission(o: { config: SettlerConfig; store: SettlerStore; chain: EscrowChain | null; logger: Logger; metrics: SettlerMetrics }): Submission {
  const { config, store, chain, logger, metrics } = o;
  const pipeline = chain ? createPipeline({ store, chain, logger, metrics, dailyFeeBudgetLamports: config.dailyFeeBudgetLamports, ...config.pipeline }) : null;
  const webhooks = createWebhookWorker({ store, logger, metrics, ...config.webhooks, jitter: 0.2 });
  return {
    pipeline,
    webhooks,
    start() {
      webhooks.start();
      pipeline?.start();
    },
    async stop() {
      await pipeline?.stop();
      await webhooks.stop();
    },
  };
}

/** "ok", or why the pipeline is not sending (the /healthz rpc check). */
export function pipelineHealthText(pipeline: Pipeline | null): string {
  if (!pipeline) return "ok";
  const h = pipeline.health();
  return h.healthy ? "ok" : (h.reason ?? "unhealthy");
}
