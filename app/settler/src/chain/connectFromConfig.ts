// The chain client a settler's configuration describes (RPC URL, deployment, router key), or
// null without an RPC URL. The main thread and the pipeline thread each build their own.

import { readFileSync } from "node:fs";
import { createClient } from "@arknet/escrow";
import { address, createKeyPairSignerFromBytes, createSolanaRpcFromTransport } from "@solana/kit";
import type { Logger } from "pino";
import type { SettlerConfig } from "../config.ts";
import { connectEscrowChain, type EscrowChain } from "./escrowChain.ts";
import { nodeHttpTransport } from "./httpTransport.ts";

export async function connectChainFromConfig(config: SettlerConfig, logger: Logger): Promise<EscrowChain | null> {
  if (!config.rpcUrl || !config.escrowConfig || !config.routerKeypair) return null;
  const secret = new Uint8Array(JSON.parse(readFileSync(config.routerKeypair, "utf8")) as number[]);
  const router = await createKeyPairSignerFromBytes(secret);
  // Subscriptions as the SDK makes them; JSON-RPC calls over node:http (httpTransport.ts).
  const client = { ...createClient(config.rpcUrl, config.wsUrl ?? undefined), rpc: createSolanaRpcFromTransport(nodeHttpTransport(config.rpcUrl)) };
  const chain = await connectEscrowChain(client, address(config.escrowConfig), router);
  logger.info({ program: chain.deployment.programAddress, router: router.address }, "chain connected");
  return chain;
}
