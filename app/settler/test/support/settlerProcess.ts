// The real settler (src/main.ts) as a child process against a validator: started with the
// pipeline on, waited for until /healthz answers, killed with SIGKILL by the crash tests.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "./fixtures.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface SettlerProcessOptions {
  db: string;
  port: number;
  token: string;
  programId: string;
  rpcUrl: string;
  config: string;
  routerKeypair: string;
  /** Extra environment (pipeline timings). */
  env?: Record<string, string>;
  /** Extra node flags (the bench's --cpu-prof). */
  nodeArgs?: string[];
}

/** Starts the settler and resolves once it listens (healthy or not: the RPC may be down). */
export async function startSettlerProcess(o: SettlerProcessOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), "--import", "tsx", join(root, "src/main.ts"), "--port", String(o.port), "--db", o.db], {
    cwd: root,
    env: {
      ...process.env,
      ARKNET_SETTLER_ROUTER_TOKEN: o.token,
      ARKNET_PROGRAM_ID: o.programId,
      ARKNET_RPC_URL: o.rpcUrl,
      ARKNET_CONFIG: o.config,
      ARKNET_ROUTER_KEYPAIR: o.routerKeypair,
      ARKNET_SETTLER_LOG_LEVEL: process.env.SETTLER_LOG ?? "error",
      ...o.env,
    },
    stdio: ["ignore", process.env.SETTLER_LOG ? "inherit" : "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`http://127.0.0.1:${o.port}/healthz`).then(() => true, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await kill9(child);
      throw new Error(`settler did not start: ${err}`);
    }
    await sleep(50);
  }
  return child;
}

export async function kill9(child: ChildProcess): Promise<void> {
  // A process killed by a signal has a signalCode and no exitCode: it is gone all the same.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}
