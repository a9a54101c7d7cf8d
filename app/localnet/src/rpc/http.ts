// HTTP JSON-RPC 2.0: single and batch requests, agave's framing errors, a 50 KiB body limit.
// A bad request of any kind gets an error response; nothing a client sends stops the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { INTERNAL_ERROR, INVALID_REQUEST, PARSE_ERROR, RpcError, methodNotFound } from "./errors.ts";
import type { NodeInfo } from "./context.ts";
import { methods } from "./methods/index.ts";
import { stringify } from "./encode.ts";

/** agave's MAX_REQUEST_BODY_SIZE. */
export const MAX_REQUEST_BODY_SIZE = 50 * 1024;

type Reply = Record<string, unknown> | undefined;

function errorReply(id: unknown, e: unknown, jsonrpc = true): Record<string, unknown> {
  const err =
    e instanceof RpcError
      ? { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) }
      : { code: INTERNAL_ERROR, message: "Internal error" };
  if (!(e instanceof RpcError)) console.error("[localnet] internal error:", e);
  return jsonrpc ? { jsonrpc: "2.0", error: err, id } : { error: err, id };
}

/** Answers one request object (undefined for a notification, which gets no reply). */
export function call(node: NodeInfo, req: any): Reply {
  const id = req.id ?? null;
  if (req.jsonrpc !== "2.0") return errorReply(id, new RpcError(INVALID_REQUEST, "Unsupported JSON-RPC protocol version"), false);
  if (typeof req.method !== "string") return errorReply(id, new RpcError(INVALID_REQUEST, "Invalid request"));
  const notification = !("id" in req);
  let reply: Reply;
  try {
    const handler = Object.hasOwn(methods, req.method) ? methods[req.method] : undefined;
    if (!handler) throw methodNotFound();
    const params = req.params === undefined ? [] : req.params;
    if (!Array.isArray(params)) throw new RpcError(-32602, "Invalid params: invalid type: map, expected a sequence.");
    reply = { jsonrpc: "2.0", result: handler(params, node), id };
  } catch (e) {
    reply = errorReply(id, e);
  }
  return notification ? undefined : reply;
}

/** The response body for a raw request body ("" when nothing is to be answered). */
export function answer(node: NodeInfo, body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return stringify(errorReply(null, new RpcError(PARSE_ERROR, "Parse error")));
  }
  if (Array.isArray(parsed)) {
    if (parsed.some((r) => r === null || typeof r !== "object" || Array.isArray(r)))
      return stringify(errorReply(null, new RpcError(PARSE_ERROR, "Parse error")));
    const replies = parsed.map((r) => call(node, r)).filter((r) => r !== undefined);
    return replies.length ? stringify(replies) : "";
  }
  if (parsed === null || typeof parsed !== "object") return stringify(errorReply(null, new RpcError(PARSE_ERROR, "Parse error")));
  const reply = call(node, parsed);
  return reply ? stringify(reply) : "";
}

function handle(node: NodeInfo, req: IncomingMessage, res: ServerResponse) {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    return;
  }
  if (req.method === "OPTIONS") {
    res.writeHead(200, { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "POST" }).end();
    return;
  }
  if (req.method !== "POST") {
    res.writeHead(405, { "content-type": "text/plain" }).end("Used HTTP Method is not allowed. POST or OPTIONS is required");
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on("data", (c: Buffer) => {
    size += c.length;
    if (size > MAX_REQUEST_BODY_SIZE) tooLarge = true;
    else chunks.push(c);
  });
  req.on("end", () => {
    if (tooLarge) {
      // agave answers 413 with a text body; this one is also a JSON-RPC error for clients that parse it.
      const body = stringify(errorReply(null, new RpcError(INVALID_REQUEST, "request body size exceeds allowed maximum")));
      res.writeHead(413, { "content-type": "application/json" }).end(body);
      return;
    }
    const body = answer(node, Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "access-control-allow-origin": "*" }).end(body);
  });
  req.on("error", () => res.destroy());
}

export function createRpcServer(node: NodeInfo): Server {
  const server = createServer((req, res) => {
    try {
      handle(node, req, res);
    } catch (e) {
      console.error("[localnet] request failed:", e);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  server.keepAliveTimeout = 60_000;
  return server;
}
