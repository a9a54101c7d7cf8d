// The settler's HTTP API: fastify with JSON schema validation, a clear 4xx with a reason for
// every bad input, bearer auth on router endpoints, token-bucket rate limits, body limits,
// OpenAPI at /openapi.json, Prometheus at /metrics, /healthz.

import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import { isStoreError, type SettlerStore, type StoreErrorCode } from "../store/index.ts";
import type { MetricsSnapshot, SettlerMetrics } from "./metrics.ts";
import { executionRoutes } from "./routes/executions.ts";
import { opsRoutes, type HealthCheck } from "./routes/ops.ts";
import { receiptRoutes } from "./routes/receipts.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { dashboardRoutes, type DashboardOptions } from "./static.ts";
import { registerCors } from "./cors.ts";
import { drainOnClose } from "./shutdownDrain.ts";
import { createTokenBuckets, type TokenBuckets } from "./tokenBucket.ts";
import { ReceiptRefusal, type ReceiptVerifier } from "./verify.ts";
import { AssignmentRefusal, type AssignmentCheck } from "./assignment.ts";

export interface ApiLimits {
  receiptsPerSecond: number;
  receiptsBurst: number;
  routerPerSecond: number;
  routerBurst: number;
  perIpPerSecond: number;
  perIpBurst: number;
  bodyLimitBytes: number;
  maxReceiptsPerRequest: number;
}

/** What the SDK will read from chain for GET /v1/executions/:address (live burn, max burn, bill). */
export type ExecutionReader = (address: string) => Promise<Record<string, unknown> | null>;

export interface ApiDeps {
  store: SettlerStore;
  verifier: ReceiptVerifier;
  metrics: SettlerMetrics;
  logger: Logger;
  routerToken: string;
  limits: ApiLimits;
  /** TODO(@arknet/escrow): the SDK's execution reader; without it `chain` is null. */
  readExecution?: ExecutionReader;
  /** The chain's view of a segment assignment (operator, SKU, rate vs the router's max price); absent without an RPC. */
  checkAssignment?: AssignmentCheck;
  /** Extra readiness checks (the pipeline adds "rpc observed"); each resolves to "ok" or a reason. */
  healthChecks?: Record<string, HealthCheck>;
  /** Counters kept in another registry (the pipeline thread's), summed into /metrics. */
  moreMetrics?: () => Promise<MetricsSnapshot[]>;
  /** The built dashboard to serve at / (with its /config.json). */
  dashboard?: DashboardOptions;
  /** On shutdown, how long a connection may take to deliver its request before it is cut (default 2,000 ms). */
  shutdownGraceMs?: number;
  /** Browser origins allowed cross-origin ("*" for any); absent or empty: same-origin only. */
  corsOrigins?: string[] | "*";
}

/** The error body every 4xx/5xx carries. */
export function sendError(reply: FastifyReply, status: number, error: string, message: string, index?: number): FastifyReply {
  return reply.code(status).send(index === undefined ? { error, message } : { error, message, index });
}

const STORE_STATUS: Record<StoreErrorCode, number> = {
  UnknownExecution: 404,
  UnknownSegment: 422,
  SegmentConflict: 409,
  ExecutionClosed: 409,
  ReceiptNotNewer: 409,
  ReceiptConflict: 409,
  InvalidTransition: 409,
  OutboxMissing: 500,
  OutboxExists: 500,
  LeaseLost: 500,
  SchemaTooNew: 500,
};

export interface ApiContext extends ApiDeps {
  buckets: { receipts: TokenBuckets; router: TokenBuckets };
  /** onRequest hook of router endpoints (before the body is read): bearer token, then the router rate limit. */
  routerAuth: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

export async function buildServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.limits.bodyLimitBytes,
    // Idle keep-alive sockets close at once on shutdown; in-flight requests finish.
    forceCloseConnections: "idle",
    ajv: { customOptions: { allErrors: false, removeAdditional: false, coerceTypes: false } },
  });

  // Graceful shutdown: once closing, responses in flight end their connection, so the
  // server's close does not wait for keep-alive sockets to time out.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_req, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });

  drainOnClose(app, deps.shutdownGraceMs ?? 2_000);
  // Before the rate-limit and auth hooks, so refusals (401, 429, 404) carry the headers and a browser can read them.
  await registerCors(app, deps.corsOrigins ?? []);

  // JSON only: any other content type is a 415, not a string body.
  app.removeContentTypeParser("text/plain");

  const perIp = createTokenBuckets({ perSecond: deps.limits.perIpPerSecond, burst: deps.limits.perIpBurst });
  const buckets = {
    receipts: createTokenBuckets({ perSecond: deps.limits.receiptsPerSecond, burst: deps.limits.receiptsBurst }),
    router: createTokenBuckets({ perSecond: deps.limits.routerPerSecond, burst: deps.limits.routerBurst }),
  };

  const expected = digest(`Bearer ${deps.routerToken}`);
  const routerAuth = async (req: FastifyRequest, reply: FastifyReply) => {
    const given = req.headers.authorization;
    if (typeof given !== "string" || !timingSafeEqual(digest(given), expected)) {
      reply.header("www-authenticate", 'Bearer realm="arknet-settler"');
      return sendError(reply, 401, "Unauthorized", "router endpoints need Authorization: Bearer <router token>");
    }
    const taken = buckets.router.take(new Map([["router", 1]]));
    if (!taken.ok) return tooMany(reply, taken.retryAfterMs, "router request rate exceeded");
    return undefined;
  };

  // Every request, before its body is read: a flood from one address stops here.
  app.addHook("onRequest", async (req, reply) => {
    const taken = perIp.take(new Map([[req.ip, 1]]));
    if (!taken.ok) return tooMany(reply, taken.retryAfterMs, `request rate from ${req.ip} exceeded`);
    return undefined;
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ReceiptRefusal) {
      deps.metrics.receiptsRefused.inc({ reason: err.code });
      return sendError(reply, err.status, err.code, err.message, err.index);
    }
    if (err instanceof AssignmentRefusal) return sendError(reply, err.status, err.code, err.message);
    if (isStoreError(err)) {
      const status = STORE_STATUS[err.code];
      if (status >= 500) {
        req.log.error({ err }, "store refused unexpectedly");
        return sendError(reply, 500, "Internal", "internal error");
      }
      if (req.routeOptions.url === "/v1/receipts") deps.metrics.receiptsRefused.inc({ reason: err.code });
      return sendError(reply, status, err.code, err.message, err.index);
    }
    if (err.validation) {
      if (req.routeOptions.url === "/v1/receipts") deps.metrics.receiptsRefused.inc({ reason: "InvalidRequest" });
      return sendError(reply, 400, "InvalidRequest", err.message);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        err.code === "FST_ERR_CTP_INVALID_JSON_BODY" || err.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || err instanceof SyntaxError
          ? "MalformedJson"
          : err.code === "FST_ERR_CTP_BODY_TOO_LARGE"
            ? "BodyTooLarge"
            : err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
              ? "UnsupportedMediaType"
              : "BadRequest";
      return sendError(reply, status, code, err.message);
    }
    req.log.error({ err }, "request failed");
    return sendError(reply, 500, "Internal", "internal error");
  });

  app.setNotFoundHandler((req, reply) => sendError(reply, 404, "NotFound", `no route ${req.method} ${req.url.split("?")[0]}`));

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "ArkNet settler", version: "0.1.0", description: "Receipt intake and settlement for ArkNet Escrow" },
      components: { securitySchemes: { router: { type: "http", scheme: "bearer" } } },
    },
  });

  const ctx: ApiContext = { ...deps, buckets, routerAuth };
  await app.register(async (scope) => {
    receiptRoutes(scope, ctx);
    executionRoutes(scope, ctx);
    webhookRoutes(scope, ctx);
    opsRoutes(scope, ctx);
    if (deps.dashboard) await dashboardRoutes(scope, deps.dashboard);
  });
  await app.ready();
  return app;
}

export function tooMany(reply: FastifyReply, retryAfterMs: number, message: string): FastifyReply {
  if (Number.isFinite(retryAfterMs)) reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return sendError(reply, 429, "RateLimited", Number.isFinite(retryAfterMs) ? `${message}; retry in ${Math.ceil(retryAfterMs)} ms` : `${message}; the request is larger than the burst allows`);
}
