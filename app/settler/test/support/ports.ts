// Loopback ports for test servers, from this component's range (48000–48999).
import { createServer } from "node:net";

export const PORT_LOW = 48000;
export const PORT_HIGH = 48999;

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });

export async function freePort(): Promise<number> {
  const span = PORT_HIGH - PORT_LOW + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = PORT_LOW + ((start + i) % span);
    if (await portFree(port)) return port;
  }
  throw new Error(`no free loopback port in ${PORT_LOW}-${PORT_HIGH}`);
}
