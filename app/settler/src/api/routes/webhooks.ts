// Router endpoints to manage webhook subscriptions. The secret is returned once, at creation.

import type { FastifyInstance } from "fastify";
import { randomBytes } from "node:crypto";
import { deleteWebhook, listWebhooks, postWebhook } from "../schemas.ts";
import { sendError, type ApiContext } from "../server.ts";

export function webhookRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: { url: string; events?: string[] } }>("/v1/webhooks", { schema: postWebhook, onRequest: ctx.routerAuth }, async (req, reply) => {
    const secret = randomBytes(32).toString("base64url");
    const sub = await ctx.store.addSubscription({ url: req.body.url, secret, events: req.body.events ?? [] });
    return reply.code(201).send({ id: sub.id, url: sub.url, events: sub.events, secret });
  });

  app.get("/v1/webhooks", { schema: listWebhooks, onRequest: ctx.routerAuth }, async () => ({
    subscriptions: (await ctx.store.listSubscriptions()).map((s) => ({ id: s.id, url: s.url, events: s.events })),
  }));

  app.delete<{ Params: { id: string } }>("/v1/webhooks/:id", { schema: deleteWebhook, onRequest: ctx.routerAuth }, async (req, reply) => {
    if (!(await ctx.store.removeSubscription(req.params.id))) return sendError(reply, 404, "UnknownWebhook", `no subscription ${req.params.id}`);
    return reply.code(204).send();
  });
}
