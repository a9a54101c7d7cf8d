// Delivers webhook events at least once. Due deliveries are claimed from the store (which
// pushes their next attempt past the request timeout, so a crash mid-request only delays a
// retry), POSTed with an HMAC signature, and their outcome recorded: delivered, retried
// after an exponential backoff, or dead after maxAttempts. All state is in the store, so a
// restarted settler carries on where the last one stopped.

import type { Logger } from "pino";
import type { SettlerMetrics } from "../api/metrics.ts";
import type { SettlerStore, WebhookDelivery } from "../store/index.ts";
import { retryDelayMs } from "./backoff.ts";
import { SIGNATURE_HEADER, signWebhook } from "./signature.ts";

export interface WebhookWorkerOptions {
  store: SettlerStore;
  logger: Logger;
  metrics?: SettlerMetrics;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  pollIntervalMs: number;
  batchSize?: number;
  jitter?: number;
}

export interface WebhookWorker {
  /** One pass: claims due deliveries and attempts each; resolves with how many were attempted. */
  runOnce(): Promise<number>;
  start(): void;
  /** Stops polling and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
}

export function deliveryBody(d: WebhookDelivery): string {
  return JSON.stringify({ id: d.event.id, type: d.event.type, createdAt: d.event.createdAt, data: d.event.payload });
}

export function createWebhookWorker(o: WebhookWorkerOptions): WebhookWorker {
  const log = o.logger.child({ component: "webhooks" });
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pass: Promise<number> | undefined;

  async function attempt(d: WebhookDelivery): Promise<void> {
    const body = deliveryBody(d);
    const attemptNo = d.attempts + 1;
    let failure: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(o.timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": "arknet-settler",
          "arknet-event-id": d.event.id,
          "arknet-event-type": d.event.type,
          "arknet-delivery-attempt": String(attemptNo),
          [SIGNATURE_HEADER]: signWebhook(d.secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) failure = `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error;
      failure = err.name === "TimeoutError" ? `timeout after ${o.timeoutMs} ms` : `${err.name}: ${(err.cause as Error | undefined)?.message ?? err.message}`;
    }
    if (failure === null) {
      await o.store.recordDeliverySuccess(d.id);
      o.metrics?.webhookDelivered.inc();
      log.debug({ delivery: d.id, event: d.event.id, attempt: attemptNo }, "webhook delivered");
      return;
    }
    o.metrics?.webhookFailed.inc();
    const next = attemptNo >= o.maxAttempts ? null : Date.now() + retryDelayMs(attemptNo, o);
    await o.store.recordDeliveryFailure(d.id, failure, next);
    log.warn({ delivery: d.id, event: d.event.id, attempt: attemptNo, failure, dead: next === null }, "webhook delivery failed");
  }

  async function runOnce(): Promise<number> {
    const due = await o.store.claimDueDeliveries(o.batchSize ?? 32, o.timeoutMs + 5_000);
    await Promise.all(due.map((d) => attempt(d).catch((e: Error) => log.error({ err: e, delivery: d.id }, "recording a webhook attempt failed"))));
    return due.length;
  }

  const loop = () => {
    if (!running) return;
    pass = runOnce()
      .catch((e: Error) => {
        log.error({ err: e }, "webhook pass failed");
        return 0;
      })
      .finally(() => {
        if (running) timer = setTimeout(loop, o.pollIntervalMs);
      });
  };

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await pass;
    },
  };
}
