// The runtime configuration, fetched from /config.json next to the static files, so one build
// serves any cluster: whoever serves the dashboard (the settler, the demo) writes that file.
import { address, type Address } from "@solana/kit";

export type ClusterName = "localnet" | "devnet" | "testnet" | "mainnet-beta" | "custom";

export interface RuntimeConfig {
  cluster: ClusterName;
  rpcUrl: string;
  /** PubSub URL; by the Solana convention (ws, port + 1) when absent. */
  wsUrl?: string;
  /** The settler's base URL; "" means the origin that served the dashboard. Absent: no settler. */
  settlerUrl?: string;
  programAddress: Address;
  /** The deployment's Config address; or `salt` (64 hex) to derive it; neither: the first deployment. */
  config?: Address;
  salt?: string;
  /** Expected mint: a deployment with another mint is refused. */
  mint?: Address;
}

const CLUSTERS: ClusterName[] = ["localnet", "devnet", "testnet", "mainnet-beta", "custom"];

export class ConfigProblem extends Error {}

/** Validates the JSON of /config.json; every problem is named. */
export function parseRuntimeConfig(json: unknown): RuntimeConfig {
  if (json === null || typeof json !== "object") throw new ConfigProblem("config.json is not a JSON object");
  const o = json as Record<string, unknown>;
  const problems: string[] = [];
  const str = (k: string, required: boolean): string | undefined => {
    const v = o[k];
    if (v === undefined || v === null || (v === "" && k !== "settlerUrl")) {
      if (required) problems.push(`"${k}" is required`);
      return undefined;
    }
    if (typeof v !== "string") {
      problems.push(`"${k}" must be a string`);
      return undefined;
    }
    return v;
  };
  const addr = (k: string, required: boolean): Address | undefined => {
    const v = str(k, required);
    if (v === undefined) return undefined;
    try {
      return address(v);
    } catch {
      problems.push(`"${k}" is not a base58 address: ${v}`);
      return undefined;
    }
  };
  const cluster = (str("cluster", false) ?? "localnet") as ClusterName;
  if (!CLUSTERS.includes(cluster)) problems.push(`"cluster" must be one of ${CLUSTERS.join(", ")}`);
  const rpcUrl = str("rpcUrl", true);
  if (rpcUrl && !/^https?:\/\//.test(rpcUrl)) problems.push(`"rpcUrl" must be an http(s) URL`);
  const wsUrl = str("wsUrl", false);
  if (wsUrl && !/^wss?:\/\//.test(wsUrl)) problems.push(`"wsUrl" must be a ws(s) URL`);
  const salt = str("salt", false);
  if (salt && !/^[0-9a-fA-F]{64}$/.test(salt)) problems.push(`"salt" must be 64 hex characters`);
  const config: RuntimeConfig = {
    cluster,
    rpcUrl: rpcUrl ?? "",
    wsUrl,
    settlerUrl: str("settlerUrl", false),
    programAddress: addr("programAddress", true)!,
    config: addr("config", false),
    salt,
    mint: addr("mint", false),
  };
  if (problems.length) throw new ConfigProblem(`config.json: ${problems.join("; ")}`);
  return config;
}

export async function loadRuntimeConfig(url = "./config.json"): Promise<RuntimeConfig> {
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store" });
  } catch (e) {
    throw new ConfigProblem(`could not fetch ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new ConfigProblem(`${url} answered ${res.status}: the server must serve a config.json next to the dashboard`);
  return parseRuntimeConfig(await res.json().catch(() => null));
}

/** Local mode: the development keypair wallet and the validator's faucet are offered. */
export const isLocal = (c: RuntimeConfig) => c.cluster === "localnet";
