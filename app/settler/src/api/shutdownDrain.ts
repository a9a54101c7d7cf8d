// Graceful shutdown that always ends. Node's server.close() waits for every open connection,
// and fastify's requestTimeout is 0, so one client that stalls or vanishes mid-request (headers
// or body half sent, no FIN: the demo saw it 1 run in 4) held the settler's shutdown forever.
// Once closing starts, connections get `graceMs` to deliver their request; then every connection
// that is not carrying a fully received request is cut. Nothing is lost by that: no work has
// started on such a request and nothing was acknowledged, so the client retries. Requests whose
// body is complete are left to finish (their 202 still only follows the store's commit).

import type { FastifyInstance } from "fastify";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

export function drainOnClose(app: FastifyInstance, graceMs: number): void {
  const sockets = new Set<Socket>();
  const requests = new Map<Socket, IncomingMessage>();
  app.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      requests.delete(socket);
    });
  });
  app.addHook("onRequest", async (req, reply) => {
    const socket = req.raw.socket;
    requests.set(socket, req.raw);
    reply.raw.once("close", () => {
      if (requests.get(socket) === req.raw) requests.delete(socket);
    });
  });

  let timer: NodeJS.Timeout | undefined;
  const cutUnfinished = () => {
    for (const socket of sockets) {
      const req = requests.get(socket);
      if (!req || !req.complete) socket.destroy();
    }
  };
  app.addHook("preClose", async () => {
    timer = setTimeout(cutUnfinished, graceMs);
    timer.unref();
  });
  app.addHook("onClose", async () => {
    clearTimeout(timer);
  });
}
