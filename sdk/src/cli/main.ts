#!/usr/bin/env node
// arknet: the escrow's command line, one command group per file, thin over flows/ and read/.
// Solana CLI conventions: --url (monikers), --keypair, --output json, amounts in token units.
// Any refusal prints one line and exits non-zero; bad input is refused before anything is sent.
import { Command, CommanderError } from "commander";
import { isArknetError } from "../errors.ts";
import { createContext, type Context, type GlobalOptions } from "./context.ts";
import { processIo, type Io } from "./io.ts";
import { registerInit } from "./init.ts";
import { registerOperator } from "./operator.ts";
import { registerBuyer } from "./buyer.ts";
import { registerExecution } from "./execution.ts";
import { registerReceipt } from "./receipt.ts";
import { registerDeploy } from "./deploy.ts";
import { registerLocalnet } from "./localnet.ts";
import { registerVault } from "./vault.ts";
import { registerSettler, runSettler, settlerStartFlags } from "./settler.ts";

export type ContextOf = () => Context;

/** The SDK's version (kept equal to package.json's by a test). */
export const VERSION = "0.1.0";

export function buildProgram(io: Io): Command {
  const program = new Command("arknet")
    .description("ArkNet Escrow: pay-per-execution GPU compute escrow on Solana")
    .option("-u, --url <URL_OR_MONIKER>", "RPC URL or moniker: localnet, devnet, mainnet-beta (default: Anchor.toml provider.cluster, else localnet)")
    .option("--ws <URL>", "PubSub URL (default: the RPC URL's, port + 1)")
    .option("-k, --keypair <PATH>", "wallet keypair file (default: Anchor.toml provider.wallet, else ~/.config/solana/id.json)")
    .option("--output <FORMAT>", "json, json-compact or display (default)")
    .option("--program-id <ADDRESS>", "escrow program id (default: Anchor.toml [programs.<cluster>], else the IDL's)")
    .option("--deployment <CONFIG>", "the deployment's Config address (default: ARKNET_DEPLOYMENT, Anchor.toml [deployments], else the program's only one)")
    .option("--with-compute-unit-price <MICRO_LAMPORTS>", "priority fee per compute unit")
    .version(VERSION, "-V, --version")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  let ctx: Context | null = null;
  const context: ContextOf = () => (ctx ??= createContext(program.opts<GlobalOptions>(), io));
  for (const register of [registerInit, registerOperator, registerBuyer, registerExecution, registerReceipt, registerDeploy, registerLocalnet, registerVault]) {
    register(program, context);
  }
  registerSettler(program);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    // The settler's flags are its own (some share a name with ours, e.g. --program-id): they
    // go to it unparsed.
    const settlerFlags = settlerStartFlags(argv);
    if (settlerFlags) return await runSettler(settlerFlags);
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its one-line message (or help/version, exit code 0)
      return e.exitCode === 0 ? 0 : 2;
    }
    io.err(`error: ${errorLine(e)}`);
    return 1;
  }
}

function errorLine(e: unknown): string {
  const cause = (e as { cause?: { code?: string } })?.cause;
  if (e instanceof TypeError && e.message === "fetch failed") return `cannot reach the RPC node (${cause?.code ?? "network error"})`;
  if (isArknetError(e)) return `${e.errorName}: ${e.message.split("\n")[0]}`;
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

const isMain = process.argv[1] && /(?:^|[\\/])(?:main\.(?:ts|js)|arknet)$/.test(process.argv[1]);
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
