// arknet localnet: the project's local validator (the @arknet/localnet package, when installed).
import type { Command } from "commander";
import { clientError } from "../errors.ts";
import { parseInteger } from "./common.ts";
import type { ContextOf } from "./main.ts";

export function registerLocalnet(program: Command, context: ContextOf): void {
  program
    .command("localnet")
    .description("run the local validator (LiteSVM behind JSON-RPC and PubSub) until interrupted")
    .option("--rpc-port <PORT>", "JSON-RPC port (PubSub on port + 1)", "8899")
    .option("--ledger <FILE>", "keep the ledger in this file")
    .action(async (o) => {
      const ctx = context();
      const port = Number(parseInteger(o.rpcPort, "--rpc-port", 1n, 65534n));
      const spec = "@arknet/localnet/launch";
      let launch: any;
      try {
        launch = await import(spec);
      } catch {
        throw clientError("NotInstalled", "the local validator is the @arknet/localnet package: install it beside @arknet/escrow");
      }
      const node = await launch.startLocalnet({ rpcPort: port, ledger: o.ledger });
      ctx.io.out(`localnet: ${node.rpcUrl} (PubSub ${node.wsUrl}); Ctrl-C stops it`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await node.stop();
    });
}
