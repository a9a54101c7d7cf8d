// GPU nodes for bench/settler.ts, in their own process so their HTTP client does not share the
// settler's event loop. Reads the pre-signed request bodies (receipt n of segment k at index
// (n - 1) * segments + k); client c is the node of every segment k with k % concurrency == c and
// sends its segments' receipts in order (n before n + 1), one request at a time. Prints, as
// JSON, when each receipt was posted (epoch ms) and each POST→202 latency. Several settler URLs
// (comma-separated, one per API process) are shared out by client: client c posts to URL c mod n.
import { readFileSync } from "node:fs";
import { httpPoster } from "./httpPost.ts";

const [file, basesText, concurrencyText, segmentsText] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(file!, "utf8")) as string[];
const concurrency = Number(concurrencyText);
const segments = Number(segmentsText);
const rounds = bodies.length / segments;
const bases = basesText!.split(",");
const postedAt = new Array<number>(bodies.length).fill(0);
const acceptMs: number[] = [];
const refused: string[] = [];
const post = httpPoster(concurrency);
const startedAt = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async (_, c) => {
    const base = bases[c % bases.length]!;
    for (let n = 0; n < rounds; n++) {
      for (let k = c; k < segments; k += concurrency) {
        const i = n * segments + k;
        postedAt[i] = Date.now();
        const res = await post(`${base}/v1/receipts`, bodies[i]!);
        if (res.status !== 202) refused.push(`${res.status} ${res.text}`);
        acceptMs.push(Date.now() - postedAt[i]!);
      }
    }
  }),
);
process.stdout.write(JSON.stringify({ startedAt, endedAt: Date.now(), postedAt, acceptMs, refused: refused.slice(0, 5), refusedCount: refused.length }));
