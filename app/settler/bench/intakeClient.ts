// Load generator for bench/intake.ts, in its own process so its HTTP client does not share
// the settler's event loop. Reads the pre-signed request bodies from a file, sends each
// segment's stream in order from CONCURRENCY connections, prints latencies as JSON.
import { readFileSync } from "node:fs";
import { httpPoster } from "./httpPost.ts";

const [file, base, concurrencyText] = process.argv.slice(2);
const streams = JSON.parse(readFileSync(file!, "utf8")) as string[][];
const concurrency = Number(concurrencyText);
const latencies: number[] = [];
let refused = 0;
let next = 0;
const post = httpPoster(concurrency);
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (;;) {
      const stream = streams[next++];
      if (!stream) return;
      for (const body of stream) {
        const t = performance.now();
        const res = await post(`${base}/v1/receipts`, body);
        latencies.push(performance.now() - t);
        if (res.status !== 202) refused++;
      }
    }
  }),
);
process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000, latencies, refused }));
