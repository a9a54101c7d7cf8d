// The PubSub WebSocket endpoint (JSON-RPC 2.0 over ws).
import type { Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import type { Chain } from "../chain/chain.ts";
import { INVALID_REQUEST, PARSE_ERROR, RpcError } from "../rpc/errors.ts";
import { stringify } from "../rpc/encode.ts";
import { createSubscriptions } from "./subscriptions.ts";

export function attachPubsub(server: Server, chain: Chain) {
  const subscriptions = createSubscriptions(chain);
  const wss = new WebSocketServer({ server, maxPayload: 1 << 20 });
  wss.on("connection", (ws: WebSocket) => {
    const owner = {};
    const send = (method: string, subscription: number, result: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(stringify({ jsonrpc: "2.0", method, params: { result, subscription } }));
    };
    const reply = (obj: unknown) => ws.readyState === ws.OPEN && ws.send(stringify(obj));
    ws.on("message", (raw) => {
      let req: any;
      try {
        req = JSON.parse(raw.toString());
      } catch {
        reply({ jsonrpc: "2.0", error: { code: PARSE_ERROR, message: "Parse error" }, id: null });
        return;
      }
      const id = req?.id ?? null;
      try {
        if (!req || typeof req !== "object" || req.jsonrpc !== "2.0" || typeof req.method !== "string")
          throw new RpcError(INVALID_REQUEST, "Invalid request");
        const params = req.params === undefined ? [] : req.params;
        if (!Array.isArray(params)) throw new RpcError(-32602, "Invalid params: invalid type: map, expected a sequence.");
        const result = subscriptions.handle(req.method, params, owner, send);
        reply({ jsonrpc: "2.0", result, id });
      } catch (e) {
        const err = e instanceof RpcError ? { code: e.code, message: e.message } : { code: -32603, message: "Internal error" };
        if (!(e instanceof RpcError)) console.error("[localnet] pubsub error:", e);
        reply({ jsonrpc: "2.0", error: err, id });
      }
    });
    ws.on("close", () => subscriptions.dropOwner(owner));
    ws.on("error", () => subscriptions.dropOwner(owner));
  });
  return { wss, subscriptions };
}
