// The settler's JSON-RPC transport (node:http) against a loopback server: kit's wire format
// (u64s as bigints both ways), HTTP errors as kit's typed error, refused connections with the
// message the pipeline reads as "RPC down", and aborts.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, createSolanaRpcFromTransport, isSolanaError, type Address } from "@solana/kit";
import { nodeHttpTransport } from "../src/chain/httpTransport.ts";
import { freePort } from "./support/ports.ts";

const BIG = 18_446_744_073_709_551_615n; // u64::MAX: not a safe JS number

describe("JSON-RPC over node:http", () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  let answer: (body: string) => { status: number; text: string } = () => ({ status: 200, text: "" });

  before(async () => {
    const port = await freePort();
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        seen.push(body);
        const { status, text } = answer(body);
        res.writeHead(status, { "content-type": "application/json" }).end(text);
      });
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    url = `http://127.0.0.1:${port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("sends and reads u64s as bigints, exactly", async () => {
    answer = (body) => ({ status: 200, text: `{"jsonrpc":"2.0","id":${JSON.parse(body).id},"result":{"context":{"slot":7},"value":${BIG}}}` });
    const rpc = createSolanaRpcFromTransport(nodeHttpTransport(url));
    const balance = await rpc.getBalance("11111111111111111111111111111111" as Address, { minContextSlot: 2n ** 40n }).send();
    expect(balance.value).to.equal(BIG);
    expect(seen.at(-1)).to.contain(`"minContextSlot":${2n ** 40n}`);
  });

  it("turns a non-2xx answer into kit's HTTP transport error with the status", async () => {
    answer = () => ({ status: 503, text: "busy" });
    const rpc = createSolanaRpcFromTransport(nodeHttpTransport(url));
    const err = await rpc.getSlot().send().catch((e: unknown) => e);
    expect(isSolanaError(err, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR)).to.equal(true);
    expect((err as { context: { statusCode: number } }).context.statusCode).to.equal(503);
  });

  it("fails a refused connection with ECONNREFUSED (the pipeline's RPC-down signal) and honours aborts", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const err = (await createSolanaRpcFromTransport(nodeHttpTransport(closed)).getSlot().send().catch((e: unknown) => e)) as Error;
    expect(err.message).to.match(/ECONNREFUSED/);
    answer = () => ({ status: 200, text: '{"jsonrpc":"2.0","id":0,"result":1}' });
    const abort = new AbortController();
    abort.abort();
    const aborted = (await createSolanaRpcFromTransport(nodeHttpTransport(url)).getSlot().send({ abortSignal: abort.signal }).catch((e: unknown) => e)) as Error;
    expect(aborted).to.be.instanceOf(Error);
  });
});
