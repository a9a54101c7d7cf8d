// POST /v1/receipts: decode, rate-limit per operator key, verify every receipt, then store
// the batch atomically; 202 only after the store has committed it.

import type { FastifyInstance } from "fastify";
import { postReceipts } from "../schemas.ts";
import { sendError, tooMany, type ApiContext } from "../server.ts";
import { ReceiptRefusal, type SubmittedReceipt } from "../verify.ts";

interface Body {
  receipts: Array<{ execution: string; signer: string; message: string; signature: string }>;
}

/** Strict base64: what decodes must encode back to the same text. */
function base64Bytes(text: string): Uint8Array | null {
  const b = Buffer.from(text, "base64");
  return b.toString("base64") === text ? new Uint8Array(b) : null;
}

export function receiptRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: Body }>("/v1/receipts", { schema: postReceipts(ctx.limits.maxReceiptsPerRequest) }, async (req, reply) => {
    const submitted: SubmittedReceipt[] = [];
    for (const [index, r] of req.body.receipts.entries()) {
      const message = base64Bytes(r.message);
      const signature = base64Bytes(r.signature);
      if (!message || !signature || signature.length !== 64) {
        ctx.metrics.receiptsRefused.inc({ reason: "InvalidRequest" });
        return sendError(reply, 400, "InvalidRequest", `receipts/${index}: message and signature must be canonical base64 (signature 64 bytes)`, index);
      }
      submitted.push({ execution: r.execution, signer: r.signer, message, signature });
    }

    const costs = new Map<string, number>();
    for (const r of submitted) costs.set(`operator:${r.signer}`, (costs.get(`operator:${r.signer}`) ?? 0) + 1);
    const taken = ctx.buckets.receipts.take(costs);
    if (!taken.ok) {
      ctx.metrics.receiptsRefused.inc({ reason: "RateLimited" });
      return tooMany(reply, taken.retryAfterMs, `${taken.key} exceeded ${ctx.limits.receiptsPerSecond} receipts/s`);
    }

    const verified = [];
    for (const [index, r] of submitted.entries()) {
      try {
        verified.push(await ctx.verifier(r));
      } catch (e) {
        if (e instanceof ReceiptRefusal) e.index = index;
        throw e;
      }
    }
    const results = await ctx.store.acceptReceipts(verified);
    for (const r of results) (r.status === "accepted" ? ctx.metrics.receiptsAccepted : ctx.metrics.receiptsDuplicate).inc();
    return reply.code(202).send({ accepted: results });
  });
}
