// Cross-origin access for browsers (the dashboard hosted on another origin than the settler).
// Off by default: a service that takes writes answers same-origin only until its operator names
// the origins that may call it. Credentials are never allowed: router endpoints authenticate with
// a bearer token the caller sets itself, not cookies, so CORS grants no access by itself; the
// token is still checked on every such request (a preflight only says which headers may be sent).

import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

export async function registerCors(app: FastifyInstance, origins: string[] | "*"): Promise<void> {
  if (origins !== "*" && origins.length === 0) return;
  await app.register(cors, {
    origin: origins === "*" ? "*" : origins,
    methods: ["GET", "POST", "DELETE"],
    allowedHeaders: ["content-type", "authorization"],
    exposedHeaders: ["retry-after"],
    credentials: false,
    maxAge: 600,
  });
}
