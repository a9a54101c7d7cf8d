// The RPC pair every flow takes: requests over HTTP, confirmations over PubSub.
import {
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  type Rpc,
  type RpcSubscriptions,
  type SolanaRpcApi,
  type SolanaRpcSubscriptionsApi,
} from "@solana/kit";

export interface SolanaClient {
  rpc: Rpc<SolanaRpcApi>;
  rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi>;
}

/** The PubSub URL of an RPC URL, by the Solana convention: ws(s), and port + 1 when explicit. */
export function websocketUrlOf(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (url.port) url.port = String(Number(url.port) + 1);
  return url.toString();
}

/** A client for `rpcUrl` (and `wsUrl`, derived from it when absent). */
export function createClient(rpcUrl: string, wsUrl = websocketUrlOf(rpcUrl)): SolanaClient {
  return { rpc: createSolanaRpc(rpcUrl), rpcSubscriptions: createSolanaRpcSubscriptions(wsUrl) };
}
