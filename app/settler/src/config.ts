// Settler configuration from environment variables and command-line flags (flags win).
// Every problem is reported at once, in one ConfigError, before anything starts.

import { parseArgs } from "node:util";

/** What this process does: "api" takes receipts in (no pipeline, no webhooks), "pipeline" submits and delivers, "all" both. */
export type SettlerRole = "all" | "api" | "pipeline";
export const ROLES: readonly SettlerRole[] = ["all", "api", "pipeline"];

export interface SettlerConfig {
  role: SettlerRole;
  /** Role all: the submission pipeline and webhook worker run in a worker thread (own event loop, own store connection). */
  pipelineThread: boolean;
  /** postgres://… for PostgreSQL, otherwise a SQLite file path. */
  database: string;
  host: string;
  port: number;
  /** Bearer token the router presents on router endpoints. */
  routerToken: string;
  /** Program id the receipts are bound to (the binding hash includes it). */
  programId: string;
  /** Validator JSON-RPC (PubSub on port + 1); with it, `escrowConfig` and `routerKeypair` start the pipeline. */
  rpcUrl: string | null;
  /** PubSub URL (signatureSubscribe); null: the RPC URL with ws(s) and port + 1, as validators serve it. */
  wsUrl: string | null;
  /** The deployment's Config account (program, mint, vault come from it). */
  escrowConfig: string | null;
  /** Solana CLI keypair file of the router key (signs and pays every transaction). */
  routerKeypair: string | null;
  pipeline: {
    intervalMs: number;
    leaseTtlMs: number;
    staleSlotMs: number;
    rebroadcastMs: number;
    crankIntervalMs: number;
    /** A subscribed signature without a notification this long is polled instead. */
    confirmPollMs: number;
    /** This instance's name in leases (host:pid by default). */
    holder: string;
  };
  rateLimit: {
    /** Receipts per second per operator key, and the burst above it. */
    receiptsPerSecond: number;
    receiptsBurst: number;
    /** Requests per second on router endpoints, per token, and burst. */
    routerPerSecond: number;
    routerBurst: number;
    /** Requests per second per client address on every route, and burst. */
    perIpPerSecond: number;
    perIpBurst: number;
  };
  bodyLimitBytes: number;
  maxReceiptsPerRequest: number;
  /** Fee budget per UTC day; the pipeline stops sending past it. */
  dailyFeeBudgetLamports: bigint;
  webhooks: {
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    timeoutMs: number;
    pollIntervalMs: number;
  };
  logLevel: string;
  /** On shutdown, how long a connection may take to deliver its request before it is cut. */
  shutdownGraceMs: number;
  /** Browser origins allowed to call the API cross-origin: a list, "*" for any, empty for same-origin only. */
  corsOrigins: string[] | "*";
  /** Serve the built dashboard from this directory, with /config.json from these settings. */
  dashboard: { dir: string; cluster: string; rpcUrl: string | null; wsUrl: string | null } | null;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid settler configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

interface Option {
  flag: string;
  env: string;
  help: string;
  default?: string;
  /** A switch: `--flag` alone turns it on; the variable takes 1/0/true/false. */
  switch?: true;
}

export const OPTIONS = {
  role: { flag: "role", env: "ARKNET_SETTLER_ROLE", help: "all, api (intake only) or pipeline (submission + webhooks); processes with different roles share one store", default: "all" },
  pipelineThread: { flag: "pipeline-thread", env: "ARKNET_SETTLER_PIPELINE_THREAD", help: "role all: run the submission pipeline and webhooks in a worker thread, intake on the main thread (recommended with 2+ cores)", switch: true },
  database: { flag: "db", env: "ARKNET_SETTLER_DB", help: "postgres:// URL or SQLite file path", default: "settler.sqlite" },
  host: { flag: "host", env: "ARKNET_SETTLER_HOST", help: "listen address", default: "127.0.0.1" },
  port: { flag: "port", env: "ARKNET_SETTLER_PORT", help: "listen port", default: "8787" },
  routerToken: { flag: "router-token", env: "ARKNET_SETTLER_ROUTER_TOKEN", help: "bearer token for router endpoints (≥ 16 chars)" },
  programId: { flag: "program-id", env: "ARKNET_PROGRAM_ID", help: "escrow program id (base58)" },
  rpcUrl: { flag: "rpc-url", env: "ARKNET_RPC_URL", help: "validator JSON-RPC URL (pipeline)" },
  wsUrl: { flag: "ws-url", env: "ARKNET_WS_URL", help: "validator PubSub URL for signatureSubscribe (default: RPC port + 1)" },
  escrowConfig: { flag: "config", env: "ARKNET_CONFIG", help: "escrow deployment Config address (pipeline)" },
  routerKeypair: { flag: "router-keypair", env: "ARKNET_ROUTER_KEYPAIR", help: "router keypair file (pipeline)" },
  pipelineIntervalMs: { flag: "pipeline-interval-ms", env: "ARKNET_SETTLER_PIPELINE_INTERVAL_MS", help: "pause between pipeline passes", default: "200" },
  leaseTtlMs: { flag: "lease-ttl-ms", env: "ARKNET_SETTLER_LEASE_TTL_MS", help: "execution lease time", default: "10000" },
  staleSlotMs: { flag: "stale-slot-ms", env: "ARKNET_SETTLER_STALE_SLOT_MS", help: "slot unchanged this long → unhealthy", default: "5000" },
  rebroadcastMs: { flag: "rebroadcast-ms", env: "ARKNET_SETTLER_REBROADCAST_MS", help: "send the same bytes again after", default: "1000" },
  confirmPollMs: { flag: "confirm-poll-ms", env: "ARKNET_SETTLER_CONFIRM_POLL_MS", help: "poll a subscribed signature silent this long", default: "2000" },
  crankIntervalMs: { flag: "crank-interval-ms", env: "ARKNET_SETTLER_CRANK_INTERVAL_MS", help: "expiry/close crank period", default: "2000" },
  holder: { flag: "instance", env: "ARKNET_SETTLER_INSTANCE", help: "instance name in leases (host:pid)" },
  receiptsPerSecond: { flag: "rate-receipts", env: "ARKNET_SETTLER_RATE_RECEIPTS", help: "receipts/s per operator", default: "200" },
  receiptsBurst: { flag: "rate-receipts-burst", env: "ARKNET_SETTLER_RATE_RECEIPTS_BURST", help: "receipt burst per operator", default: "400" },
  routerPerSecond: { flag: "rate-router", env: "ARKNET_SETTLER_RATE_ROUTER", help: "router requests/s", default: "500" },
  routerBurst: { flag: "rate-router-burst", env: "ARKNET_SETTLER_RATE_ROUTER_BURST", help: "router request burst", default: "1000" },
  perIpPerSecond: { flag: "rate-ip", env: "ARKNET_SETTLER_RATE_IP", help: "requests/s per client address", default: "1000" },
  perIpBurst: { flag: "rate-ip-burst", env: "ARKNET_SETTLER_RATE_IP_BURST", help: "request burst per client address", default: "2000" },
  bodyLimitBytes: { flag: "body-limit", env: "ARKNET_SETTLER_BODY_LIMIT", help: "largest request body in bytes", default: "262144" },
  maxReceiptsPerRequest: { flag: "max-receipts", env: "ARKNET_SETTLER_MAX_RECEIPTS", help: "receipts per request", default: "256" },
  dailyFeeBudgetSol: { flag: "daily-sol-budget", env: "ARKNET_SETTLER_DAILY_SOL_BUDGET", help: "fee budget per UTC day in SOL", default: "1" },
  webhookMaxAttempts: { flag: "webhook-max-attempts", env: "ARKNET_SETTLER_WEBHOOK_MAX_ATTEMPTS", help: "attempts before a delivery is dead", default: "12" },
  webhookBaseDelayMs: { flag: "webhook-base-delay-ms", env: "ARKNET_SETTLER_WEBHOOK_BASE_DELAY_MS", help: "first retry delay", default: "1000" },
  webhookMaxDelayMs: { flag: "webhook-max-delay-ms", env: "ARKNET_SETTLER_WEBHOOK_MAX_DELAY_MS", help: "longest retry delay", default: "3600000" },
  webhookTimeoutMs: { flag: "webhook-timeout-ms", env: "ARKNET_SETTLER_WEBHOOK_TIMEOUT_MS", help: "per-attempt timeout", default: "10000" },
  webhookPollMs: { flag: "webhook-poll-ms", env: "ARKNET_SETTLER_WEBHOOK_POLL_MS", help: "how often due deliveries are looked for", default: "500" },
  dashboardDir: { flag: "dashboard-dir", env: "ARKNET_SETTLER_DASHBOARD_DIR", help: "serve the built dashboard (app/dashboard/dist) at /" },
  dashboardCluster: { flag: "dashboard-cluster", env: "ARKNET_SETTLER_DASHBOARD_CLUSTER", help: "cluster name the dashboard shows", default: "localnet" },
  dashboardRpcUrl: { flag: "dashboard-rpc-url", env: "ARKNET_SETTLER_DASHBOARD_RPC_URL", help: "RPC URL browsers use (the settler's RPC URL by default)" },
  dashboardWsUrl: { flag: "dashboard-ws-url", env: "ARKNET_SETTLER_DASHBOARD_WS_URL", help: "PubSub URL browsers use (RPC port + 1 by default)" },
  shutdownGraceMs: { flag: "shutdown-grace-ms", env: "ARKNET_SETTLER_SHUTDOWN_GRACE_MS", help: "on shutdown, time a client gets to finish sending its request before its connection is cut", default: "2000" },
  corsOrigin: { flag: "cors-origin", env: "ARKNET_SETTLER_CORS_ORIGIN", help: "origins (comma-separated, e.g. https://dash.example.com) or * that browsers may call the API from; none by default (same-origin only)" },
  logLevel: { flag: "log-level", env: "ARKNET_SETTLER_LOG_LEVEL", help: "pino level", default: "info" },
} satisfies Record<string, Option>;

type Key = keyof typeof OPTIONS;

const BASE58_ADDRESS = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
const LAMPORTS_PER_SOL = 1_000_000_000n;

/** "1.5" SOL → 1_500_000_000 lamports, exactly (no float). */
export function solToLamports(text: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) return null;
  return BigInt(m[1]!) * LAMPORTS_PER_SOL + BigInt((m[2] ?? "").padEnd(9, "0") || "0");
}

export function usage(): string {
  return Object.values(OPTIONS)
    .map((o: Option) => `  --${o.flag.padEnd(24)} ${o.env.padEnd(38)} ${o.help}${o.switch ? " (switch; variable 1 or 0, default off)" : ""}${o.default ? ` (default ${o.default})` : ""}`)
    .join("\n");
}

export function loadConfig(argv: string[], env: Record<string, string | undefined>): SettlerConfig {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.values(OPTIONS).map((o: Option) => [o.flag, { type: o.switch ? ("boolean" as const) : ("string" as const) }])),
    strict: false,
    allowPositionals: true,
  });
  const problems: string[] = [];
  const known = new Set(Object.values(OPTIONS).map((o: Option) => o.flag));
  for (const k of Object.keys(values)) if (!known.has(k)) problems.push(`unknown flag --${k}`);

  const raw = (k: Key): string | undefined => {
    const o: Option = OPTIONS[k];
    const v = values[o.flag];
    if (typeof v === "string") return v;
    if (v !== undefined) problems.push(`--${o.flag} needs a value`);
    return env[o.env] ?? o.default;
  };
  const where = (k: Key) => `--${OPTIONS[k].flag} / ${OPTIONS[k].env}`;
  const int = (k: Key, min: number, max: number): number => {
    const v = raw(k);
    const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${where(k)} must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
      return min;
    }
    return n;
  };
  const flag = (k: Key): boolean => {
    const o: Option = OPTIONS[k];
    const v = values[o.flag] ?? env[o.env];
    if (v === undefined || v === false) return false;
    if (v === true) return true;
    if (/^(1|true)$/i.test(v)) return true;
    if (/^(0|false|)$/i.test(v)) return false;
    problems.push(`${where(k)} is a switch: 1 or 0 (true or false), got ${JSON.stringify(v)}`);
    return false;
  };
  const required = (k: Key): string => {
    const v = raw(k);
    if (!v) problems.push(`${where(k)} is required`);
    return v ?? "";
  };

  const routerToken = required("routerToken");
  if (routerToken && routerToken.length < 16) problems.push(`${where("routerToken")} must be at least 16 characters`);
  const programId = required("programId");
  if (programId && !BASE58_ADDRESS.test(programId)) problems.push(`${where("programId")} is not a base58 address`);
  const rpcUrl = raw("rpcUrl") ?? null;
  if (rpcUrl && !/^https?:\/\//.test(rpcUrl)) problems.push(`${where("rpcUrl")} must be an http(s) URL`);
  const wsUrl = raw("wsUrl") ?? null;
  if (wsUrl && !/^wss?:\/\//.test(wsUrl)) problems.push(`${where("wsUrl")} must be a ws(s) URL`);
  const escrowConfig = raw("escrowConfig") ?? null;
  if (escrowConfig && !BASE58_ADDRESS.test(escrowConfig)) problems.push(`${where("escrowConfig")} is not a base58 address`);
  const routerKeypair = raw("routerKeypair") ?? null;
  if (rpcUrl && (!escrowConfig || !routerKeypair)) problems.push(`${where("rpcUrl")} needs ${where("escrowConfig")} and ${where("routerKeypair")} (the pipeline signs as the router)`);
  const budgetText = raw("dailyFeeBudgetSol") ?? "";
  const budget = solToLamports(budgetText);
  if (budget === null) problems.push(`${where("dailyFeeBudgetSol")} must be a SOL amount like 0.5, got ${JSON.stringify(budgetText)}`);
  const logLevel = raw("logLevel") ?? "info";
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) problems.push(`${where("logLevel")} is not a pino level`);
  const database = required("database");
  const role = (raw("role") ?? "all") as SettlerRole;
  if (!ROLES.includes(role)) problems.push(`${where("role")} must be all, api or pipeline, got ${JSON.stringify(role)}`);
  if (role === "pipeline" && !rpcUrl) problems.push(`${where("role")} pipeline needs ${where("rpcUrl")}`);
  const pipelineThread = flag("pipelineThread");
  if (pipelineThread && role !== "all") problems.push(`${where("pipelineThread")} is for role all only (role ${role} runs ${role === "api" ? "no pipeline" : "no intake of its own"}), got role ${JSON.stringify(role)}`);
  if (pipelineThread && !rpcUrl) problems.push(`${where("pipelineThread")} needs ${where("rpcUrl")} (without it there is no pipeline to run)`);
  const dashboardDir = raw("dashboardDir") ?? null;
  const dashboardCluster = raw("dashboardCluster") ?? "localnet";
  if (!["localnet", "devnet", "testnet", "mainnet-beta", "custom"].includes(dashboardCluster)) problems.push(`${where("dashboardCluster")} must be localnet, devnet, testnet, mainnet-beta or custom`);
  const dashboardRpcUrl = raw("dashboardRpcUrl") ?? null;
  if (dashboardRpcUrl && !/^https?:\/\//.test(dashboardRpcUrl)) problems.push(`${where("dashboardRpcUrl")} must be an http(s) URL`);
  const dashboardWsUrl = raw("dashboardWsUrl") ?? null;
  if (dashboardWsUrl && !/^wss?:\/\//.test(dashboardWsUrl)) problems.push(`${where("dashboardWsUrl")} must be a ws(s) URL`);
  if (dashboardDir && !rpcUrl && !dashboardRpcUrl) problems.push(`${where("dashboardDir")} needs ${where("dashboardRpcUrl")} or ${where("rpcUrl")} (the dashboard reads the chain)`);

  const corsOrigins = parseCorsOrigins(raw("corsOrigin"));
  if (corsOrigins instanceof Error) problems.push(`${where("corsOrigin")} ${corsOrigins.message}`);

  const config: SettlerConfig = {
    role,
    pipelineThread,
    database,
    host: raw("host") ?? "127.0.0.1",
    port: int("port", 0, 65535),
    routerToken,
    programId,
    rpcUrl,
    wsUrl,
    escrowConfig,
    routerKeypair,
    pipeline: {
      intervalMs: int("pipelineIntervalMs", 1, 600_000),
      leaseTtlMs: int("leaseTtlMs", 500, 3_600_000),
      staleSlotMs: int("staleSlotMs", 100, 3_600_000),
      rebroadcastMs: int("rebroadcastMs", 50, 600_000),
      crankIntervalMs: int("crankIntervalMs", 50, 3_600_000),
      confirmPollMs: int("confirmPollMs", 50, 3_600_000),
      holder: raw("holder") ?? `${process.env.HOSTNAME ?? "settler"}:${process.pid}`,
    },
    rateLimit: {
      receiptsPerSecond: int("receiptsPerSecond", 1, 1_000_000),
      receiptsBurst: int("receiptsBurst", 1, 10_000_000),
      routerPerSecond: int("routerPerSecond", 1, 1_000_000),
      routerBurst: int("routerBurst", 1, 10_000_000),
      perIpPerSecond: int("perIpPerSecond", 1, 1_000_000),
      perIpBurst: int("perIpBurst", 1, 10_000_000),
    },
    bodyLimitBytes: int("bodyLimitBytes", 1024, 64 * 1024 * 1024),
    maxReceiptsPerRequest: int("maxReceiptsPerRequest", 1, 10_000),
    dailyFeeBudgetLamports: budget ?? 0n,
    webhooks: {
      maxAttempts: int("webhookMaxAttempts", 1, 100),
      baseDelayMs: int("webhookBaseDelayMs", 1, 86_400_000),
      maxDelayMs: int("webhookMaxDelayMs", 1, 7 * 86_400_000),
      timeoutMs: int("webhookTimeoutMs", 1, 600_000),
      pollIntervalMs: int("webhookPollMs", 10, 600_000),
    },
    logLevel,
    shutdownGraceMs: int("shutdownGraceMs", 0, 600_000),
    corsOrigins: corsOrigins instanceof Error ? [] : corsOrigins,
    dashboard: dashboardDir ? { dir: dashboardDir, cluster: dashboardCluster, rpcUrl: dashboardRpcUrl, wsUrl: dashboardWsUrl } : null,
  };
  if (config.rateLimit.receiptsBurst < config.rateLimit.receiptsPerSecond) {
    problems.push(`${where("receiptsBurst")} must be at least the per-second rate`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** "*", or a comma-separated list of exact origins (scheme://host[:port], no path): what a browser sends as Origin. */
export function parseCorsOrigins(text: string | undefined): string[] | "*" | Error {
  if (text === undefined || text.trim() === "") return [];
  if (text.trim() === "*") return "*";
  const origins = text.split(",").map((o) => o.trim()).filter((o) => o !== "");
  for (const o of origins) {
    let url: URL | undefined;
    try {
      url = new URL(o);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== o) {
      return new Error(`must be * or origins like https://dash.example.com (scheme://host[:port], nothing after), got ${JSON.stringify(o)}`);
    }
  }
  return origins;
}
