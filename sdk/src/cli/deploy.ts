// arknet deploy: the program through loader-v3 (progress bar), a deployment (initialize unless
// it exists) and the IDL on-chain where the cluster has the Program Metadata program. Re-running
// it upgrades what changed and otherwise does nothing. migrations/deploy.ts runs this command.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createKeyPairSignerFromBytes, createKeyPairSignerFromPrivateKeyBytes, getAddressEncoder, type KeyPairSigner } from "@solana/kit";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { deployAll } from "../deploy/run.ts";
import type { DeployProgress } from "../deploy/loader.ts";
import { clientError } from "../errors.ts";
import { parseAddress, parseInteger } from "./common.ts";
import type { ContextOf } from "./main.ts";
import type { Io } from "./io.ts";
import { emit } from "./output.ts";
import { readKeypairFile } from "./settings.ts";

/** The program keypair at `path`, created (Solana CLI format) when absent. */
async function programKeypair(path: string): Promise<{ signer: KeyPairSigner; created: boolean }> {
  if (existsSync(path)) return { signer: await readKeypairFile(path), created: false };
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const signer = await createKeyPairSignerFromPrivateKeyBytes(seed);
  const bytes = new Uint8Array([...seed, ...getAddressEncoder().encode(signer.address)]);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(Array.from(bytes)), { mode: 0o600 });
  return { signer: await createKeyPairSignerFromBytes(bytes), created: true };
}

/** Progress on stderr (so --output json stays clean): a bar on a terminal, else quarter steps. */
function progressReporter(io: Io) {
  if (io.tty) {
    const bar = new cliProgress.SingleBar({ format: "{phase} [{bar}] {value}/{total}", stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic);
    let started = false;
    return (p: DeployProgress) => {
      if (p.phase === "write") {
        if (!started) bar.start(p.total, p.done, { phase: "writing" });
        started = true;
        bar.update(p.done, { phase: "writing" });
      } else if (started) {
        bar.stop();
        started = false;
      }
    };
  }
  let last = -1;
  return (p: DeployProgress) => {
    if (p.phase !== "write") return io.err(`deploy: ${p.phase}`);
    const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
    if (pct >= last + 25 || p.done === p.total) {
      last = pct;
      io.err(`deploy: writing ${p.done}/${p.total} (${pct}%)`);
    }
  };
}

export function registerDeploy(program: Command, context: ContextOf): void {
  program
    .command("deploy")
    .description("deploy or upgrade the program, initialize a deployment and publish the IDL (idempotent)")
    .option("--so <PATH>", "program ELF (default: target/deploy/arknet_escrow.so beside Anchor.toml)")
    .option("--program-keypair <PATH>", "program keypair (default: target/deploy/arknet_escrow-keypair.json; created when absent)")
    .option("--idl <PATH>", "IDL to publish (default: idl/arknet_escrow.json beside Anchor.toml)")
    .option("--no-idl", "do not publish the IDL")
    .option("--mint <MINT>", "initialize a deployment for this mint (skipped when absent)")
    .option("--router <ADDRESS>", "default router (default: the wallet)")
    .option("--fee-bps <BPS>", "fee in basis points", "250")
    .option("--salt <HEX>", "deployment salt (default: derived from the cluster and the mint)")
    .action(async (o) => {
      const ctx = context();
      const root = ctx.anchor ? dirname(ctx.anchor.path) : process.cwd();
      const soPath = resolve(o.so ?? resolve(root, "target/deploy/arknet_escrow.so"));
      if (!existsSync(soPath)) throw clientError("InvalidInput", `${soPath} does not exist (npm run build:program)`);
      const elf = new Uint8Array(readFileSync(soPath));
      if (elf.length < 4 || elf[0] !== 0x7f || elf[1] !== 0x45) throw clientError("InvalidInput", `${soPath} is not an ELF file`);
      let idlJson: string | undefined;
      if (o.idl !== false) {
        const idlPath = resolve(typeof o.idl === "string" ? o.idl : resolve(root, "idl/arknet_escrow.json"));
        if (!existsSync(idlPath)) throw clientError("InvalidInput", `${idlPath} does not exist`);
        idlJson = readFileSync(idlPath, "utf8");
      }
      const mint = o.mint ? parseAddress(o.mint, "--mint") : undefined;
      const router = o.router ? parseAddress(o.router, "--router") : undefined;
      const feeBps = Number(parseInteger(o.feeBps, "--fee-bps", 0n, 1000n));
      let salt: Uint8Array | undefined;
      if (o.salt !== undefined) {
        if (!/^[0-9a-fA-F]{64}$/.test(o.salt)) throw clientError("InvalidInput", "--salt: 64 hex digits (32 bytes)");
        salt = Uint8Array.from(Buffer.from(o.salt, "hex"));
      }
      const authority = await ctx.signer();
      const { signer: programSigner, created } = await programKeypair(resolve(o.programKeypair ?? resolve(root, "target/deploy/arknet_escrow-keypair.json")));
      if (created) ctx.io.err(`deploy: new program keypair ${programSigner.address}`);
      const started = Date.now();
      const r = await deployAll(ctx.client, {
        elf,
        program: programSigner,
        authority,
        idlJson,
        deployment: mint ? { mint, router: router ?? authority.address, feeBps, salt } : undefined,
        onProgress: progressReporter(ctx.io),
        send: ctx.send,
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      emit(ctx, {
        programId: programSigner.address,
        program: r.program,
        deployment: r.deployment && { config: r.deployment.config, created: r.deployment.created, salt: Buffer.from(r.deployment.salt).toString("hex"), mint: r.deployment.mint, vault: r.deployment.vault },
        idl: r.idl,
        seconds: Number(seconds),
      }, [
        `Program ${programSigner.address}: ${r.program.action}${r.program.writes ? ` (${r.program.writes} writes of ${r.program.chunkSize} bytes)` : ""} in ${seconds}s`,
        r.deployment ? `Deployment ${r.deployment.config}: ${r.deployment.created ? "initialized" : "already there"}` : "Deployment: skipped (no --mint)",
        `IDL: ${r.idl.action}${"reason" in r.idl ? ` (${r.idl.reason})` : ""}`,
      ]);
    });
}
