// Loopback ports for test servers, from this component's range (48000–48999), or the range
// ARKNET_TEST_PORTS names ("46000-46999") so parallel runs on one machine do not collide.
import { createServer } from "node:net";

function portRange(spec: string | undefined): [number, number] {
  if (!spec) return [48000, 48999];
  const m = /^(\d+)-(\d+)$/.exec(spec.trim());
  const [low, high] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(low >= 1024 && high <= 65535 && low <= high)) throw new Error(`ARKNET_TEST_PORTS must look like 46000-46999 (got ${spec})`);
  return [low, high];
}

export const [PORT_LOW, PORT_HIGH] = portRange(process.env.ARKNET_TEST_PORTS);

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
