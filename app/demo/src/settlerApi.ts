// The settler's HTTP API as the router and the GPU nodes use it (app/settler/README.md,
// GET /openapi.json): segments and completion with the router's bearer token, receipts
// unauthenticated (each is signed), execution status, and the Prometheus counters.
import type { SignedReceipt } from "@arknet/escrow";

export class SettlerHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`settler ${status} ${code}: ${message}`);
    this.name = "SettlerHttpError";
  }
}

export interface SegmentAssignment {
  segment: number;
  operator: string;
  operatorKey: string;
  sku: string;
}

export interface SettlerExecution {
  address: string;
  status: string;
  segments: { segment: number; landed: boolean; receipt: { cumulativeUnits: string; settledUnits: string; pending: boolean } | null }[];
}

/** The counters of GET /metrics the ticker shows. */
export interface SettlerCounters {
  accepted: number;
  settled: number;
  refused: number;
  txSent: number;
  txConfirmed: number;
  txFailed: number;
  queueDepth: number;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** Sum of every sample of a metric (labelled series added up). */
function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(name) && (line[name.length] === " " || line[name.length] === "{")) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

/**
 * No request is ever aborted from this side: on Ctrl-C the workload stops making new ones and
 * lets those in flight finish, so the settler's graceful shutdown has nothing half-received.
 */
export function settlerApi(baseUrl: string, routerToken: string, timeoutMs = 30_000) {
  const call = async (method: string, path: string, body?: unknown, router = false): Promise<any> => {
    const res = await fetch(baseUrl + path, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(router ? { authorization: `Bearer ${routerToken}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let err = { error: "HttpError", message: text };
      try {
        err = JSON.parse(text);
      } catch {}
      throw new SettlerHttpError(res.status, err.error, err.message);
    }
    return text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  };
  return {
    assignSegment: (execution: string, a: SegmentAssignment) => call("POST", `/v1/executions/${execution}/segments`, a, true),
    complete: (execution: string) => call("POST", `/v1/executions/${execution}/complete`, {}, true),
    execution: (execution: string): Promise<SettlerExecution> => call("GET", `/v1/executions/${execution}`),
    postReceipts: (receipts: SignedReceipt[]): Promise<{ accepted: { status: string }[] }> =>
      call("POST", "/v1/receipts", {
        receipts: receipts.map((r) => ({ execution: r.fields.execution, signer: r.signer, message: b64(r.message), signature: b64(r.signature) })),
      }),
    async counters(): Promise<SettlerCounters> {
      const text: string = await call("GET", "/metrics");
      return {
        accepted: metric(text, "arknet_settler_receipts_accepted_total"),
        settled: metric(text, "arknet_settler_receipts_settled_total"),
        refused: metric(text, "arknet_settler_receipts_refused_total"),
        txSent: metric(text, "arknet_settler_tx_sent_total"),
        txConfirmed: metric(text, "arknet_settler_tx_confirmed_total"),
        txFailed: metric(text, "arknet_settler_tx_failed_total"),
        queueDepth: metric(text, "arknet_settler_queue_depth"),
      };
    },
    /** The dashboard's index page, when this settler serves one. */
    async servesDashboard(): Promise<boolean> {
      try {
        const res = await fetch(baseUrl + "/", { signal: AbortSignal.timeout(3_000) });
        return res.ok && (res.headers.get("content-type") ?? "").includes("text/html");
      } catch {
        return false;
      }
    },
  };
}

export type SettlerApi = ReturnType<typeof settlerApi>;
