// Free loopback ports for servers a test starts itself. A fixed port can be held by anything,
// including the OS's ephemeral ports of other connections (32768 and up), so ask the OS.
import { createServer } from "node:net";

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port `p` with `p + 1` free too (the local validator puts PubSub on RPC port + 1). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryListen(0);
    if (port !== null && port < 65535 && (await tryListen(port + 1)) !== null) return port;
  }
  throw new Error("no two adjacent free loopback ports");
}
