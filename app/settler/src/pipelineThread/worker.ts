// The pipeline thread's entry (role all with --pipeline-thread): the submission pipeline and the
// webhook worker on their own event loop, with their own store connection and chain client
// from the settler's configuration, while the main thread takes receipts in. No HTTP: the main
// thread asks for health and metrics over the message port, and asks it to stop.

import { parentPort, workerData } from "node:worker_threads";
import { pino } from "pino";
import { createMetrics } from "../api/metrics.ts";
import { connectChainFromConfig } from "../chain/connectFromConfig.ts";
import type { SettlerConfig } from "../config.ts";
import { openStore } from "../store/index.ts";
import { createSubmission, pipelineHealthText } from "../submission.ts";
import type { PipelineThreadMessage, PipelineThreadRequest } from "./protocol.ts";

const port = parentPort!;
const { config } = workerData as { config: SettlerConfig };
const logger = pino({ level: config.logLevel, name: "arknet-settler" }).child({ thread: "pipeline" });
const store = await openStore(config.database);
const chain = await connectChainFromConfig(config, logger);
// Counters only: the main thread serves the store gauges and process metrics.
const metrics = createMetrics(store, { countersOnly: true });
const submission = createSubmission({ config, store, chain, logger, metrics });
submission.start();

let stopping: Promise<null> | undefined;
const answer = async (req: PipelineThreadRequest) => {
  switch (req.kind) {
    case "health":
      return pipelineHealthText(submission.pipeline);
    case "metrics":
      return metrics.registry.getMetricsAsJSON();
    case "stop":
      return (stopping ??= (async () => {
        await submission.stop();
        await store.close();
        logger.info("pipeline thread stopped");
        return null;
      })());
  }
};
port.on("message", (req: PipelineThreadRequest) => {
  answer(req).then(
    (result) => port.postMessage({ kind: "answer", id: req.id, result } satisfies PipelineThreadMessage),
    (e: Error) => port.postMessage({ kind: "answer", id: req.id, error: e.message } satisfies PipelineThreadMessage),
  );
});
port.postMessage({ kind: "ready" } satisfies PipelineThreadMessage);
