// What every RPC method handler receives.
import type { Chain } from "../chain/chain.ts";
import type { Keypair } from "../chain/keys.ts";
import type { Params } from "./params.ts";

export interface NodeInfo {
  chain: Chain;
  faucet: Keypair;
  usdcMint: string;
  usdcDecimals: number;
  upgradeAuthority: Keypair;
}

export type Handler = (params: Params, node: NodeInfo) => unknown;

/** The RpcResponse wrapper: { context: { apiVersion, slot }, value }. */
export const API_VERSION = "4.2.2";
export const withContext = (slot: number, value: unknown) => ({ context: { apiVersion: API_VERSION, slot }, value });
