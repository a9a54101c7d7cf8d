// The dashboard for this run: a copy of its static build (app/dashboard/dist) in the demo's data
// directory with the runtime config.json it reads next to its index.html (cluster, RPC and
// PubSub URLs, settler URL, program, deployment, mint). The settler serves that directory
// (ARKNET_SETTLER_DASHBOARD_DIR). The build itself is never modified.
import { cpSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DASHBOARD_DIST } from "./paths.ts";

export interface DashboardConfig {
  cluster: string;
  rpcUrl: string;
  pubsubUrl: string;
  settlerUrl: string;
  programAddress: string;
  deployment: string;
  mint: string;
  mintDecimals: number;
}

/** The served directory, or null when the dashboard has not been built. */
export function prepareDashboard(dataDir: string, config: DashboardConfig): string | null {
  if (!existsSync(join(DASHBOARD_DIST, "index.html"))) return null;
  const dir = join(dataDir, "dashboard");
  cpSync(DASHBOARD_DIST, dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify(config, null, 2));
  return dir;
}
