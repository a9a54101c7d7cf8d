// Links to an explorer for the chosen cluster (a local validator through the custom-URL mode).
import type { RuntimeConfig } from "../config/runtimeConfig.ts";

export function explorerUrl(c: Pick<RuntimeConfig, "cluster" | "rpcUrl">, kind: "address" | "tx", id: string): string {
  const base = `https://explorer.solana.com/${kind}/${id}`;
  if (c.cluster === "mainnet-beta") return base;
  if (c.cluster === "devnet" || c.cluster === "testnet") return `${base}?cluster=${c.cluster}`;
  return `${base}?cluster=custom&customUrl=${encodeURIComponent(c.rpcUrl)}`;
}
