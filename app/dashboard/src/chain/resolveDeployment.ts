// Which deployment the dashboard shows: the configured Config address, or the one derived from
// the salt, or the program's first deployment; all reads go through the SDK.
import { configAddress, fetchDeployment, listDeployments, type Deployment, type SolanaClient } from "@arknet/escrow";
import type { RuntimeConfig } from "../config/runtimeConfig.ts";

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));

export async function resolveDeployment(client: SolanaClient, c: RuntimeConfig): Promise<Deployment> {
  let config = c.config;
  if (!config && c.salt) config = (await configAddress(hexBytes(c.salt), c.programAddress))[0];
  if (!config) {
    const all = await listDeployments(client.rpc, c.programAddress);
    const match = all.find((d) => !c.mint || d.data.mint === c.mint);
    if (!match) throw new Error(`program ${c.programAddress} has no deployment${c.mint ? ` for mint ${c.mint}` : ""} on this cluster`);
    config = match.address;
  }
  const deployment = await fetchDeployment(client.rpc, config);
  if (deployment.programAddress !== c.programAddress) throw new Error(`config ${config} belongs to program ${deployment.programAddress}, not ${c.programAddress}`);
  if (c.mint && deployment.mint !== c.mint) throw new Error(`deployment ${config} uses mint ${deployment.mint}, not the configured ${c.mint}`);
  return deployment;
}
