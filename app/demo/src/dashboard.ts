// The dashboard for this run: its static build (app/dashboard/dist), served by the settler at
// `/` when given ARKNET_SETTLER_DASHBOARD_DIR; the settler answers the dashboard's /config.json
// from its own settings (program, deployment, mint, RPC) plus the cluster and PubSub URL below.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DASHBOARD_DIST } from "./paths.ts";

/** The settler's environment for serving the dashboard, or null when it has not been built. */
export function dashboardEnv(wsUrl: string): Record<string, string> | null {
  if (!existsSync(join(DASHBOARD_DIST, "index.html"))) return null;
  return { ARKNET_SETTLER_DASHBOARD_DIR: DASHBOARD_DIST, ARKNET_SETTLER_DASHBOARD_CLUSTER: "localnet", ARKNET_SETTLER_DASHBOARD_WS_URL: wsUrl };
}
