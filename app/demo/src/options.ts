// The demo's settings from flags (and ARKNET_DEMO_* variables for the bounded mode in scripts).
import { parseArgs } from "node:util";

export interface DemoOptions {
  /** Run one workload round, verify it through the SDK, stop everything, exit 0 or 1. */
  once: boolean;
  /** Live mode: run rounds back to back until Ctrl-C (otherwise one round, then Enter for another). */
  loop: boolean;
  buyers: number;
  /** Executions each buyer reserves per round. */
  executions: number;
  /** Cumulative receipts each segment's GPU node signs before the segment ends. */
  receipts: number;
  /** Pause between a GPU node's receipt batches. */
  tickMs: number;
  /** JSON-RPC port of the local validator (PubSub on +1); Agave takes ARKNET_AGAVE_PORTS. */
  rpcPort: number;
  settlerPort: number;
  slotMs: number;
  /** Where the settler's SQLite file and log go; a temporary directory (removed at exit) by default. */
  dataDir: string | null;
  help: boolean;
}

export const USAGE = `npm start [-- flags]      the whole stack on this machine, a demo workload and a live ticker
  --once              one round, verify it on-chain, stop, exit 0 (all good) or 1   (ARKNET_DEMO_ONCE=1)
  --loop              keep running rounds until Ctrl-C (default: one round, Enter for another)
  --buyers N          buyers per round (default 3)
  --executions N      executions each buyer reserves per round (default 2)
  --receipts N        cumulative receipts per segment (default 12)
  --tick-ms N         pause between a GPU node's receipt batches (default 300)
  --rpc-port N        local validator JSON-RPC port, PubSub on N+1 (default 8899; 0 = any free)
  --settler-port N    settler (and dashboard) port (default 8787; 0 = any free)
  --slot-ms N         local validator slot time (default 200)
  --data-dir DIR      keep the settler's database and log in DIR (default: a temporary directory)
ARKNET_VALIDATOR=solana-test-validator uses Agave's test validator instead of the project's localnet.`;

export class OptionsError extends Error {}

export function parseOptions(argv: string[], env: Record<string, string | undefined>): DemoOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      once: { type: "boolean" },
      loop: { type: "boolean" },
      buyers: { type: "string" },
      executions: { type: "string" },
      receipts: { type: "string" },
      "tick-ms": { type: "string" },
      "rpc-port": { type: "string" },
      "settler-port": { type: "string" },
      "slot-ms": { type: "string" },
      "data-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const int = (name: string, text: string | undefined, fallback: number, min: number, max: number): number => {
    if (text === undefined) return fallback;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) throw new OptionsError(`--${name} must be an integer in ${min}..${max}, got ${JSON.stringify(text)}`);
    return n;
  };
  return {
    once: values.once === true || env.ARKNET_DEMO_ONCE === "1",
    loop: values.loop === true,
    buyers: int("buyers", values.buyers, 3, 1, 20),
    executions: int("executions", values.executions, 2, 1, 10),
    receipts: int("receipts", values.receipts, 12, 1, 1000),
    tickMs: int("tick-ms", values["tick-ms"], 300, 10, 60_000),
    rpcPort: int("rpc-port", values["rpc-port"], 8899, 0, 65534),
    settlerPort: int("settler-port", values["settler-port"], 8787, 0, 65535),
    slotMs: int("slot-ms", values["slot-ms"], 200, 10, 10_000),
    dataDir: values["data-dir"] ?? null,
    help: values.help === true,
  };
}
