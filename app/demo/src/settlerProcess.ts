// The settler as a child process, started exactly as its README says (`src/main.ts` through tsx,
// settings in ARKNET_* variables), with its pipeline on. It runs in its own process group so
// the terminal's Ctrl-C reaches only the demo, which then sends one SIGTERM (the settler's
// graceful stop) and waits; a settler that does not stop in time is killed, and so is one
// left behind when the demo exits any other way.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { SETTLER_DIR } from "./paths.ts";

export interface SettlerProcessInput {
  port: number;
  dataDir: string;
  routerToken: string;
  routerKeypairFile: string;
  programId: string;
  escrowConfig: string;
  rpcUrl: string;
  /** Extra settler settings (the dashboard's). */
  env: Record<string, string>;
}

export interface SettlerProcess {
  url: string;
  pid: number;
  logFile: string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }
});

async function listening(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export async function startSettlerProcess(o: SettlerProcessInput): Promise<SettlerProcess> {
  const logFile = join(o.dataDir, "settler.log");
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--port", String(o.port)], {
    cwd: SETTLER_DIR,
    detached: true,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      ARKNET_SETTLER_DB: join(o.dataDir, "settler.sqlite"),
      ARKNET_SETTLER_ROUTER_TOKEN: o.routerToken,
      ARKNET_PROGRAM_ID: o.programId,
      ARKNET_RPC_URL: o.rpcUrl,
      ARKNET_CONFIG: o.escrowConfig,
      ARKNET_ROUTER_KEYPAIR: o.routerKeypairFile,
      ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100",
      // Intake and the submission pipeline on their own threads: the recommended setting with
      // two or more cores (app/settler/README.md); ARKNET_SETTLER_PIPELINE_THREAD=0 turns it off.
      ARKNET_SETTLER_PIPELINE_THREAD: process.env.ARKNET_SETTLER_PIPELINE_THREAD ?? "1",
      ARKNET_SETTLER_LOG_LEVEL: process.env.ARKNET_SETTLER_LOG_LEVEL ?? "warn",
      ...o.env,
    },
  });
  closeSync(log);
  live.add(child);
  let exit: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exit = code;
      live.delete(child);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + 60_000;
  while (!(await listening(url))) {
    if (exit !== undefined) throw new Error(`the settler exited at start (code ${exit}); see ${logFile}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGKILL");
      throw new Error(`the settler did not listen on ${url} within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  let stopping: Promise<number | null> | undefined;
  const stop = (graceMs = 15_000) =>
    (stopping ??= (async () => {
      if (exit !== undefined) return exit;
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {}
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    })());
  return { url, pid: child.pid!, logFile, stop };
}
