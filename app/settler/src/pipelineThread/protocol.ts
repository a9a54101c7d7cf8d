// What the main thread and the pipeline thread say to each other: requests with an id, and the
// answer (or error) to each. Startup is the worker's "ready" message or its error event.

import type { MetricsSnapshot } from "../api/metrics.ts";

export type PipelineThreadRequest = { id: number; kind: "health" } | { id: number; kind: "metrics" } | { id: number; kind: "stop" };

export interface PipelineThreadAnswers {
  /** "ok", or why the pipeline is not sending. */
  health: string;
  metrics: MetricsSnapshot;
  stop: null;
}

export type PipelineThreadMessage =
  | { kind: "ready" }
  | { kind: "answer"; id: number; result: PipelineThreadAnswers[keyof PipelineThreadAnswers] }
  | { kind: "answer"; id: number; error: string };
