// The bench clients' HTTP POST: node:http over keep-alive connections. fetch (undici) cost the
// nodes' process ~0.75 ms of CPU per request, which on the bench's 2 shared cores is taken from
// the settler under test; a plain request on a kept-alive socket costs a fraction of that.
import { Agent, request } from "node:http";

export function httpPoster(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return (url: string, body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
}
