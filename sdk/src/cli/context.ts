// What every command needs, built from the global options once: the cluster and its RPC
// clients, the wallet (read only when a command signs), the program id, output mode.
import type { Address, KeyPairSigner } from "@solana/kit";
import { clientError } from "../errors.ts";
import { fetchDeployment, type Deployment } from "../deployment.ts";
import { listDeployments } from "../read/deployments.ts";
import { PROGRAM_ID } from "../program.ts";
import { createClient, type SolanaClient } from "../tx/client.ts";
import type { SendOptions } from "../tx/send.ts";
import type { Io } from "./io.ts";
import { findAnchorToml, keypairPath, parseAddress, programIdFor, readKeypairFile, resolveCluster, anchorClusterName, type AnchorToml } from "./settings.ts";

export interface GlobalOptions {
  url?: string;
  ws?: string;
  keypair?: string;
  output?: string;
  programId?: string;
  deployment?: string;
  withComputeUnitPrice?: string;
}

export interface Context {
  io: Io;
  cluster: string;
  url: string;
  client: SolanaClient;
  anchor: AnchorToml | null;
  programId: Address;
  json: boolean;
  send: SendOptions;
  keypairPath: string;
  /** The wallet; read on first use (commands that only read never touch the file). */
  signer(): Promise<KeyPairSigner>;
  /** The deployment's Config address given by --deployment or Anchor.toml, if any. */
  deploymentFlag: Address | null;
}

export function createContext(opts: GlobalOptions, io: Io): Context {
  const anchor = findAnchorToml();
  const { cluster, url } = resolveCluster(opts.url, anchor);
  if (opts.output !== undefined && opts.output !== "json" && opts.output !== "json-compact" && opts.output !== "display") {
    throw clientError("InvalidInput", `--output: "${opts.output}" is not json, json-compact or display`);
  }
  let priorityFee: bigint | undefined;
  if (opts.withComputeUnitPrice !== undefined) {
    if (!/^\d+$/.test(opts.withComputeUnitPrice)) throw clientError("InvalidInput", `--with-compute-unit-price: "${opts.withComputeUnitPrice}" is not a whole number of micro-lamports`);
    priorityFee = BigInt(opts.withComputeUnitPrice);
  }
  const programId = programIdFor(opts.programId, anchor, cluster, PROGRAM_ID);
  const path = keypairPath(opts.keypair, anchor);
  let signer: Promise<KeyPairSigner> | null = null;
  const fromToml = anchor?.deployments?.[anchorClusterName(cluster)];
  const deployment = opts.deployment ?? process.env.ARKNET_DEPLOYMENT ?? fromToml;
  return {
    io,
    cluster,
    url,
    client: createClient(url, opts.ws),
    anchor,
    programId,
    json: opts.output === "json" || opts.output === "json-compact",
    send: { priorityFee, programAddress: programId },
    keypairPath: path,
    signer: () => (signer ??= readKeypairFile(path)),
    deploymentFlag: deployment ? parseAddress(deployment, "--deployment") : null,
  };
}

/** The deployment the command works on: --deployment / ARKNET_DEPLOYMENT / Anchor.toml, else the program's only one. */
export async function resolveDeployment(ctx: Context): Promise<Deployment> {
  if (ctx.deploymentFlag) return fetchDeployment(ctx.client.rpc, ctx.deploymentFlag);
  const all = await listDeployments(ctx.client.rpc, ctx.programId);
  if (all.length === 0) throw clientError("AccountNotFound", `program ${ctx.programId} has no deployment on ${ctx.cluster} (arknet init, or --program-id)`);
  if (all.length > 1) throw clientError("InvalidInput", `program ${ctx.programId} has ${all.length} deployments: choose one with --deployment (${all.map((d) => d.address).join(", ")})`);
  return fetchDeployment(ctx.client.rpc, all[0].address);
}
