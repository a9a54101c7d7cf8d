// /healthz, /metrics and /openapi.json.

import type { FastifyInstance } from "fastify";
import { healthz } from "../schemas.ts";
import { mergedMetricsText } from "../metrics.ts";
import type { ApiContext } from "../server.ts";

/** Resolves to "ok" or to the reason it is not. */
export type HealthCheck = () => Promise<string>;

export function opsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const checks: Record<string, HealthCheck> = {
    store: async () => {
      await ctx.store.ping();
      return "ok";
    },
    ...ctx.healthChecks,
  };

  app.get("/healthz", { schema: healthz }, async (_req, reply) => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        results[name] = await check().catch((e: Error) => `failed: ${e.message}`);
      }),
    );
    const ok = Object.values(results).every((r) => r === "ok");
    return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "unhealthy", checks: results });
  });

  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) => {
    const body = await mergedMetricsText(ctx.metrics.registry, ctx.moreMetrics ? await ctx.moreMetrics() : []);
    return reply.type(ctx.metrics.registry.contentType).send(body);
  });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
