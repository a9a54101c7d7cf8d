// Serves the built dashboard (app/dashboard/dist) when a dashboard directory is configured,
// with its /config.json made from this settler's own configuration, so `the settler serves the
// dashboard` needs no other web server. Missing files fall through to the API's 404.
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { SettlerConfig } from "../config.ts";

export interface DashboardOptions {
  dir: string;
  /** The body of GET /config.json (app/dashboard's RuntimeConfig). */
  runtimeConfig: Record<string, unknown>;
}

/** The dashboard's runtime configuration: this settler's cluster, program, deployment and mint. */
export function dashboardRuntimeConfig(config: SettlerConfig, mint?: string): Record<string, unknown> {
  const d = config.dashboard!;
  return {
    cluster: d.cluster,
    rpcUrl: d.rpcUrl ?? config.rpcUrl,
    ...(d.wsUrl ? { wsUrl: d.wsUrl } : {}),
    settlerUrl: "",
    programAddress: config.programId,
    ...(config.escrowConfig ? { config: config.escrowConfig } : {}),
    ...(mint ? { mint } : {}),
  };
}

export async function dashboardRoutes(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const root = resolve(opts.dir);
  if (!existsSync(join(root, "index.html"))) throw new Error(`dashboard directory ${root} has no index.html (run npm run build --workspace @arknet/dashboard)`);
  app.get("/config.json", { schema: { hide: true } }, async (_req, reply) => reply.header("cache-control", "no-store").send(opts.runtimeConfig));
  await app.register(fastifyStatic, { root, prefix: "/", index: ["index.html"], schemaHide: true });
}
