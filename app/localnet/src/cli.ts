// arknet-localnet: run the local validator until interrupted.
import { parseArgs } from "node:util";
import { startNode } from "./node.ts";

const USAGE = `usage: arknet-localnet [--rpc-port 8899] [--ledger FILE] [--reset] [--slot-ms 400]
                      [--program ID=PATH.so]... [--no-escrow] [--host 127.0.0.1]`;

function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        "rpc-port": { type: "string", default: "8899" },
        ledger: { type: "string" },
        reset: { type: "boolean", default: false },
        "slot-ms": { type: "string", default: "400" },
        program: { type: "string", multiple: true, default: [] },
        "no-escrow": { type: "boolean", default: false },
        host: { type: "string", default: "127.0.0.1" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values["rpc-port"]);
  const slotMs = Number(values["slot-ms"]);
  if (!Number.isInteger(port) || port < 0 || port > 65534) fail(`--rpc-port: not a port: ${values["rpc-port"]}`);
  if (!Number.isFinite(slotMs) || slotMs < 10) fail(`--slot-ms: at least 10: ${values["slot-ms"]}`);
  const programs = (values.program as string[]).map((spec) => {
    const eq = spec.indexOf("=");
    if (eq < 1) fail(`--program wants ID=PATH.so, got ${spec}`);
    return { programId: spec.slice(0, eq), path: spec.slice(eq + 1) };
  });
  startNode({ rpcPort: port, host: values.host, ledger: values.ledger, reset: values.reset, slotMs, programs, escrow: values["no-escrow"] ? false : undefined })
    .then((node) => {
      const shutdown = async () => {
        await node.stop();
        if (values.ledger) console.log(`ledger saved to ${values.ledger}`);
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    })
    .catch((e) => fail(e instanceof Error ? e.message : String(e)));
}

function fail(message: string): never {
  console.error(`arknet-localnet: ${message}`);
  process.exit(1);
}

main();
