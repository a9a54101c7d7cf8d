// Where the CLI and deploy find their settings, by the Solana CLI's and Anchor's conventions:
// `--url` (with monikers), `--keypair` (default ~/.config/solana/id.json), and Anchor.toml
// (provider cluster and wallet, program ids per cluster, deployments per cluster).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { createKeyPairSignerFromBytes, isAddress, type Address, type KeyPairSigner } from "@solana/kit";
import { clientError } from "../errors.ts";

export const MONIKERS: Record<string, string> = {
  localnet: "http://127.0.0.1:8899",
  localhost: "http://127.0.0.1:8899",
  devnet: "https://api.devnet.solana.com",
  testnet: "https://api.testnet.solana.com",
  "mainnet-beta": "https://api.mainnet-beta.solana.com",
};
/** Anchor.toml names mainnet `mainnet`; the Solana CLI `mainnet-beta`. */
const ANCHOR_CLUSTER: Record<string, string> = { "mainnet-beta": "mainnet", localhost: "localnet" };

export const DEFAULT_KEYPAIR = join(homedir(), ".config/solana/id.json");

export interface AnchorToml {
  path: string;
  provider?: { cluster?: string; wallet?: string };
  programs?: Record<string, Record<string, string>>;
  deployments?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** The nearest Anchor.toml from `from` upwards, or null. */
export function findAnchorToml(from = process.cwd()): AnchorToml | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const path = join(dir, "Anchor.toml");
    if (existsSync(path)) {
      try {
        return { path, ...(parseToml(readFileSync(path, "utf8")) as object) };
      } catch (e) {
        throw clientError("InvalidConfig", `${path}: ${(e as Error).message.split("\n")[0]}`);
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

export interface ClusterChoice {
  /** The moniker when the URL was one (`devnet`), else `custom`. */
  cluster: string;
  url: string;
}

/** `--url` value (a moniker or a URL), else Anchor.toml's provider cluster, else localnet. */
export function resolveCluster(url: string | undefined, anchor: AnchorToml | null): ClusterChoice {
  const value = url ?? anchor?.provider?.cluster ?? "localnet";
  const moniker = value === "mainnet" ? "mainnet-beta" : value;
  if (MONIKERS[moniker]) return { cluster: moniker === "localhost" ? "localnet" : moniker, url: MONIKERS[moniker] };
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw clientError("InvalidInput", `--url: "${value}" is neither a URL nor one of ${Object.keys(MONIKERS).join(", ")}`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw clientError("InvalidInput", `--url: ${value} is not http(s)`);
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
  return { cluster: local ? "localnet" : "custom", url: value };
}

/** The key in Anchor.toml's per-cluster tables for `cluster`. */
export function anchorClusterName(cluster: string): string {
  return ANCHOR_CLUSTER[cluster] ?? cluster;
}

export function expandHome(path: string): string {
  return path.startsWith("~/") ? join(homedir(), path.slice(2)) : path;
}

/** Reads a Solana CLI keypair file (a JSON array of 64 bytes: seed then public key). */
export async function readKeypairFile(path: string): Promise<KeyPairSigner> {
  const file = expandHome(path);
  if (!existsSync(file)) throw clientError("InvalidKeypair", `keypair file ${file} does not exist (solana-keygen new -o ${file})`);
  let bytes: Uint8Array;
  try {
    const json = JSON.parse(readFileSync(file, "utf8"));
    if (!Array.isArray(json) || json.length !== 64 || !json.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) throw new Error();
    bytes = Uint8Array.from(json);
  } catch {
    throw clientError("InvalidKeypair", `${file} is not a Solana keypair file (a JSON array of 64 bytes)`);
  }
  try {
    return await createKeyPairSignerFromBytes(bytes);
  } catch {
    throw clientError("InvalidKeypair", `${file}: its public key does not match its secret key`);
  }
}

/** `--keypair`, else Anchor.toml's provider wallet, else ~/.config/solana/id.json. */
export function keypairPath(flag: string | undefined, anchor: AnchorToml | null): string {
  if (flag) return flag;
  const wallet = anchor?.provider?.wallet;
  if (wallet) return resolve(dirname(anchor!.path), expandHome(wallet));
  return DEFAULT_KEYPAIR;
}

export function parseAddress(value: string, what: string): Address {
  if (!isAddress(value)) throw clientError("InvalidInput", `${what}: "${value}" is not a base58 address`);
  return value;
}

/** `--program-id`, else Anchor.toml's program id for the cluster, else the IDL's. */
export function programIdFor(flag: string | undefined, anchor: AnchorToml | null, cluster: string, idlDefault: Address): Address {
  if (flag) return parseAddress(flag, "--program-id");
  const id = anchor?.programs?.[anchorClusterName(cluster)]?.arknet_escrow;
  return id ? parseAddress(id, `${anchor!.path} [programs.${anchorClusterName(cluster)}]`) : idlDefault;
}
