// Builds what is missing before anything starts: the program (the build script is itself a
// no-op when the .so files are newer than the sources), the SDK's dist/ when absent or older
// than its sources (the settler and this demo import the built package), and the dashboard
// when its workspace exists but is not built.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DASHBOARD_DIR, DASHBOARD_DIST, REPO_ROOT, SDK_DIST, SDK_SRC } from "./paths.ts";

/** True when a file under `dir` was modified after `mtimeMs`. */
function changedSince(dir: string, mtimeMs: number): boolean {
  return readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? changedSince(join(dir, e.name), mtimeMs) : statSync(join(dir, e.name)).mtimeMs > mtimeMs,
  );
}

function run(what: string, command: string, args: string[]): void {
  console.log(`building ${what}: ${command} ${args.join(" ")}`);
  const r = spawnSync(command, args, { cwd: REPO_ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`building ${what} failed (${r.signal ?? `exit ${r.status}`})`);
}

export function buildMissing(log: (line: string) => void = console.log): void {
  const program = spawnSync("bash", ["scripts/build-program.sh"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (program.status !== 0) throw new Error(`scripts/build-program.sh failed (${program.signal ?? `exit ${program.status}`})`);
  log(program.stdout.trim().split("\n").at(-1) ?? "");
  if (!existsSync(SDK_DIST) || changedSince(SDK_SRC, statSync(SDK_DIST).mtimeMs)) run("the SDK", "npm", ["run", "build", "--workspace", "@arknet/escrow"]);
  if (existsSync(join(DASHBOARD_DIR, "package.json")) && !existsSync(join(DASHBOARD_DIST, "index.html"))) {
    run("the dashboard", "npm", ["run", "build", "--workspace", "app/dashboard"]);
  }
}
