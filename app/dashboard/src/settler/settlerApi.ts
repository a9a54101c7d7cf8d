// The settler's public API (GET /healthz, GET /v1/executions/:address): what it has taken in
// and landed, next to what the chain says. "" means the origin that served the dashboard.
import type { RuntimeConfig } from "../config/runtimeConfig.ts";

export interface SettlerSegment {
  segment: number;
  sku: string;
  landed: boolean;
  receipt: { cumulativeUnits: string; sequence: number; settledUnits: string; pending: boolean } | null;
}

export interface SettlerExecution {
  status: string;
  segments: SettlerSegment[];
}

const url = (c: RuntimeConfig, path: string) => new URL(path, c.settlerUrl || window.location.origin).toString();

/** "ok", or why not (unhealthy checks, unreachable). */
export async function settlerHealth(c: RuntimeConfig): Promise<string> {
  try {
    const res = await fetch(url(c, "/healthz"));
    const body = (await res.json()) as { status: string; checks: Record<string, string> };
    if (body.status === "ok") return "ok";
    return Object.entries(body.checks)
      .filter(([, v]) => v !== "ok")
      .map(([k, v]) => `${k}: ${v}`)
      .join("; ");
  } catch (e) {
    return `unreachable (${(e as Error).message})`;
  }
}

/** The settler's view of an execution, or null when it does not know it. */
export async function settlerExecution(c: RuntimeConfig, address: string): Promise<SettlerExecution | null> {
  const res = await fetch(url(c, `/v1/executions/${address}`));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`settler answered ${res.status}`);
  return (await res.json()) as SettlerExecution;
}
