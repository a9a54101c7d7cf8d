// Router endpoints for executions (segment assignment, completion) and the public status read.

import type { FastifyInstance } from "fastify";
import type { QuarantinedReceipt } from "../../store/index.ts";
import { u64Field } from "../assignment.ts";
import { getExecution, listQuarantine, postComplete, postSegment } from "../schemas.ts";
import { sendError, type ApiContext } from "../server.ts";

interface Params {
  address: string;
}

export function executionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Params: Params; Body: { segment: number; operator: string; operatorKey: string; sku: string; maxPrice?: string; budget?: string } }>(
    "/v1/executions/:address/segments",
    { schema: postSegment, onRequest: ctx.routerAuth },
    async (req, reply) => {
      const { maxPrice, budget, ...rest } = req.body;
      const assignment = { execution: req.params.address, ...rest, maxPrice: u64Field("maxPrice", maxPrice, 1n) ?? null, budget: u64Field("budget", budget, 0n) ?? null };
      // Refused now, with the program's reason, rather than later on-chain.
      await ctx.checkAssignment?.(assignment);
      const status = await ctx.store.assignSegment(assignment);
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
        maxPrice: s.maxPrice?.toString() ?? null,
        budget: s.budget?.toString() ?? null,
        landed: s.landedAt !== null,
        refused: s.refused,
        receipt: s.receipt && {
          cumulativeUnits: s.receipt.cumulativeUnits.toString(),
          sequence: s.receipt.sequence,
          acceptedAt: s.receipt.acceptedAt,
          settledUnits: s.receipt.settledUnits.toString(),
          settledSequence: s.receipt.settledSequence,
          pending: s.receipt.pending,
        },
      })),
      quarantined: (await ctx.store.listQuarantined({ execution: ex.address })).map(quarantinedJson),
      chain,
    };
  });

  app.get<{ Querystring: { execution?: string; limit?: number } }>("/v1/quarantine", { schema: listQuarantine, onRequest: ctx.routerAuth }, async (req) => ({
    receipts: (await ctx.store.listQuarantined(req.query)).map(quarantinedJson),
  }));
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

function quarantinedJson(q: QuarantinedReceipt) {
  return { ...q, cumulativeUnits: q.cumulativeUnits.toString(), message: b64(q.message), signature: b64(q.signature) };
}
