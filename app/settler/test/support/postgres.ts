// A real PostgreSQL server for the tests: Debian's postgresql (initdb + postgres binaries),
// a cluster in a temp dir, run as the `postgres` user when the tests run as root, on a
// loopback port of this component's range (48000–48999, or ARKNET_TEST_PORTS). Started once per test run,
// stopped by the root hook (and on exit). Failing to start fails the tests; only an
// explicit ARKNET_SKIP_POSTGRES=1 skips them, and says so.

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./ports.ts";


export interface PostgresServer {
  port: number;
  /** A fresh database on this server; returns its connection URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export const postgresSkipped = (): boolean => process.env.ARKNET_SKIP_POSTGRES === "1";

function binDir(): string {
  if (process.env.ARKNET_PG_BIN) return process.env.ARKNET_PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install -y postgresql (or set ARKNET_PG_BIN)");
  }
  return join(root, versions[0]!, "bin");
}

/** uid/gid of the `postgres` user when we are root (initdb refuses to run as root). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("running as root but there is no `postgres` user: apt-get install -y postgresql creates it");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), "arknet-settler-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  execFileSync(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"], {
    stdio: ["ignore", "ignore", "pipe"],
    ...(user ?? {}),
  });
  const port = await freePort();
  let log = "";
  const child: ChildProcess = spawn(
    join(bin, "postgres"),
    ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=50"],
    { stdio: ["ignore", "ignore", "pipe"], ...(user ?? {}) },
  );
  child.stderr!.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}) at start:\n${log}`);
    const c = new pg.Client(admin);
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await c.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`postgres did not accept connections on 127.0.0.1:${port} within 30 s:\n${log}`);
      }
      await sleep(100);
    }
  }

  return {
    port,
    async createDatabase(name) {
      const c = new pg.Client(admin);
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT"); // fast shutdown
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<PostgresServer> | undefined;

/** The run's one server, started on first use. */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}

export async function stopSharedPostgres(): Promise<void> {
  if (!shared) return;
  const s = await shared.catch(() => undefined);
  shared = undefined;
  await s?.stop();
}
