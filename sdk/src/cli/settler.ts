// arknet settler start: the settler service (the @arknet/settler package, when installed), run as
// its own process with every flag after `start` handed to it unchanged: the settler owns its
// configuration (`arknet settler start --help` prints it), its signals and its exit code.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Command } from "commander";
import { clientError } from "../errors.ts";

/** The settler's flags when `argv` is `[arknet options…] settler start [flags…]`, else null. */
export function settlerStartFlags(argv: string[]): string[] | null {
  const at = argv.indexOf("settler");
  return at >= 0 && argv[at + 1] === "start" ? argv.slice(at + 2) : null;
}

/** Where the installed settler's entry and the TypeScript loader it runs under are. */
function locateSettler(): { main: string; loader: string } {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve("@arknet/settler/package.json");
  } catch {
    throw clientError("NotInstalled", "the settler is the @arknet/settler package: install it beside @arknet/escrow");
  }
  // The settler ships TypeScript and runs under tsx (as its `npm start` does).
  return { main: join(dirname(pkg), "src/main.ts"), loader: createRequire(pkg).resolve("tsx") };
}

/** Runs the settler with `flags` until it exits; SIGINT and SIGTERM are passed on (it drains, then exits). */
export async function runSettler(flags: string[]): Promise<number> {
  const { main, loader } = locateSettler();
  const child = spawn(process.execPath, ["--import", pathToFileURL(loader).href, main, ...flags], { stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
}

/** For `arknet --help`: the command and what it does (runCli hands `settler start` to `runSettler` before parsing). */
export function registerSettler(program: Command): void {
  program
    .command("settler")
    .description("the settler service: `arknet settler start [flags]` runs it until interrupted (flags: `arknet settler start --help`)")
    .command("start")
    .description("run the settler (@arknet/settler) with these flags")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_o, cmd: Command) => {
      const code = await runSettler(cmd.args);
      if (code !== 0) throw clientError("SettlerExited", `the settler exited with code ${code}`);
    });
}
