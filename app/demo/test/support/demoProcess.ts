// The demo as a user runs it (node + tsx, src/main.ts), tagged through its environment so that
// every process it starts (the settler; Agave when chosen) can be found in /proc afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DEMO_DIR = fileURLToPath(new URL("../../", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export interface DemoRun {
  child: ChildProcess;
  tag: string;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Resolves once the output contains `text`. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
}

/** Pids of live processes whose environment carries the tag (zombies have none). */
export function taggedProcesses(tag: string): number[] {
  const needle = `ARKNET_DEMO_TAG=${tag}`;
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(needle)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Two free-looking ports in the 21000–21999 range this suite may use (validator RPC+PubSub, settler). */
export function testPorts(): { rpc: number; settler: number } {
  const base = 21000 + 10 * Math.floor(Math.random() * 99);
  return { rpc: base, settler: base + 5 };
}

/**
 * Starts the demo: directly (node + tsx), or `viaNpm` as `npm start -- args` from the repo root
 * in a process group of its own, which a terminal's Ctrl-C signals as a whole (`interrupt`).
 */
export function startDemo(args: string[], opts: { viaNpm?: boolean } = {}): DemoRun & { interrupt(): void } {
  const tag = randomBytes(8).toString("hex");
  const env = { ...process.env, ARKNET_DEMO_TAG: tag };
  const child = opts.viaNpm
    ? spawn("npm", ["start", "--", ...args], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], { cwd: DEMO_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    tag,
    interrupt: () => (opts.viaNpm ? process.kill(-child.pid!, "SIGINT") : child.kill("SIGINT")),
    output: () => out,
    exited,
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`the demo exited (${child.exitCode}) before printing ${JSON.stringify(text)}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(text)} within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
