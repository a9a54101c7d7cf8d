// The main thread's handle on the pipeline thread (role all with --pipeline-thread): starts the
// worker and waits until its store and chain are up, asks it for health and metrics, and stops
// it. A worker that dies is logged and turns /healthz unhealthy with the reason; it is not
// restarted here (the operator's supervisor restarts the settler, as after any crash).

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { MetricsSnapshot } from "../api/metrics.ts";
import type { SettlerConfig } from "../config.ts";
import type { PipelineThreadAnswers, PipelineThreadMessage, PipelineThreadRequest } from "./protocol.ts";

export interface PipelineThread {
  /** "ok", or why the pipeline is not sending (including that its thread died or does not answer). */
  health(): Promise<string>;
  /** The pipeline's and webhooks' counters; none once the thread is gone. */
  metrics(): Promise<MetricsSnapshot[]>;
  /** Lets the pass and webhook attempts in flight finish, closes the thread's store, ends the thread. */
  stop(): Promise<void>;
  /** The worker itself (tests end it to see the settler go unhealthy). */
  worker: Worker;
}

const HEALTH_TIMEOUT_MS = 2_000;
const METRICS_TIMEOUT_MS = 5_000;

export async function startPipelineThread(config: SettlerConfig, logger: Logger): Promise<PipelineThread> {
  const worker = spawnWorker(new URL("./worker.ts", import.meta.url), { config });
  let dead: string | null = null;
  let stopping = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  const started = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`pipeline thread exited during startup (code ${code})`)));
    worker.on("message", (m: PipelineThreadMessage) => {
      if (m.kind === "ready") return resolve();
      const p = pending.get(m.id);
      pending.delete(m.id);
      if ("error" in m) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
  });
  worker.on("error", (e) => {
    logger.error({ err: e }, "pipeline thread crashed");
    dead ??= `pipeline thread crashed: ${e.message}`;
  });
  worker.on("exit", (code) => {
    if (!stopping) logger.error({ code }, "pipeline thread exited: nothing is submitted until the settler restarts");
    dead ??= `pipeline thread exited (code ${code})`;
    for (const p of pending.values()) p.reject(new Error(dead));
    pending.clear();
  });
  await started;

  const ask = <K extends PipelineThreadRequest["kind"]>(kind: K, timeoutMs?: number): Promise<PipelineThreadAnswers[K]> => {
    if (dead) return Promise.reject(new Error(dead));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        pending.delete(id);
        reject(new Error(`pipeline thread did not answer ${kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as PipelineThreadAnswers[K])),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      worker.postMessage({ id, kind } as PipelineThreadRequest);
    });
  };

  return {
    worker,
    health: () => ask("health", HEALTH_TIMEOUT_MS).catch((e: Error) => e.message),
    metrics: async () => (dead ? [] : [await ask("metrics", METRICS_TIMEOUT_MS)]),
    async stop() {
      if (dead) return;
      stopping = true;
      await ask("stop");
      // Its subscriptions' sockets would keep it alive; everything durable is closed by now.
      await worker.terminate();
    },
  };
}

/** A Worker on a .ts entry loads it through tsx (Node 20 does not apply --import hooks to a worker's entry); a .js entry directly. */
function spawnWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, { workerData });
  // createRequire, not import.meta.resolve: under mocha this module is compiled to CommonJS.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}));`;
  return new Worker(code, { eval: true, workerData });
}
