// Router endpoints for executions (segment assignment, completion) and the public status read.

import type { FastifyInstance } from "fastify";
import { getExecution, postComplete, postSegment } from "../schemas.ts";
import { sendError, type ApiContext } from "../server.ts";

interface Params {
  address: string;
}

export function executionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Params: Params; Body: { segment: number; operator: string; operatorKey: string; sku: string } }>(
    "/v1/executions/:address/segments",
    { schema: postSegment, onRequest: ctx.routerAuth },
    async (req, reply) => {
      const status = await ctx.store.assignSegment({ execution: req.params.address, ...req.body });
      // The pipeline submits assign_segment on-chain; the store row is its to-do.
      return reply.code(202).send({ execution: req.params.address, segment: req.body.segment, status });
    },
  );

  app.post<{ Params: Params }>("/v1/executions/:address/complete", { schema: postComplete, onRequest: ctx.routerAuth }, async (req, reply) => {
    const status = await ctx.store.markExecutionComplete(req.params.address);
    return reply.code(202).send({ execution: req.params.address, status });
  });

  app.get<{ Params: Params }>("/v1/executions/:address", { schema: getExecution }, async (req, reply) => {
    const ex = await ctx.store.getExecution(req.params.address);
    if (!ex) return sendError(reply, 404, "UnknownExecution", `execution ${req.params.address} is unknown to this settler`);
    const chain = ctx.readExecution ? await ctx.readExecution(ex.address) : null;
    return {
      address: ex.address,
      status: ex.status,
      createdAt: ex.createdAt,
      completedAt: ex.completedAt,
      segments: ex.segments.map((s) => ({
        segment: s.segment,
        operator: s.operator,
        operatorKey: s.operatorKey,
        sku: s.sku,
        landed: s.landedAt !== null,
        receipt: s.receipt && {
          cumulativeUnits: s.receipt.cumulativeUnits.toString(),
          sequence: s.receipt.sequence,
          acceptedAt: s.receipt.acceptedAt,
          settledUnits: s.receipt.settledUnits.toString(),
          settledSequence: s.receipt.settledSequence,
          pending: s.receipt.pending,
        },
      })),
      chain,
    };
  });
}
