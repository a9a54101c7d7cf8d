// arknet init: create a deployment of the program (the wallet must be its upgrade authority).
import type { Command } from "commander";
import { initialize } from "../flows/initialize.ts";
import { clientError } from "../errors.ts";
import type { ContextOf } from "./main.ts";
import { emit } from "./output.ts";
import { parseAddress, parseInteger } from "./common.ts";

export function registerInit(program: Command, context: ContextOf): void {
  program
    .command("init")
    .description("create a deployment (config, vault, treasury) of the escrow program")
    .requiredOption("--mint <MINT>", "the token escrowed")
    .option("--router <ADDRESS>", "default router of new executions (default: the wallet)")
    .option("--treasury <TOKEN_ACCOUNT>", "fee destination (default: the wallet's token account)")
    .option("--fee-bps <BPS>", "fee in basis points (max 1000)", "250")
    .option("--salt <HEX>", "32-byte deployment salt in hex (default: random)")
    .option("--expiry-grace <SECS>", "after expiry + grace anyone may finalize", "3600")
    .option("--settlement-window <SECS>", "after expiry + window the buyer may finalize", "600")
    .option("--min-duration <SECS>", "shortest reservation", "60")
    .option("--review-window <SECS>", "time to rate after settlement", "604800")
    .action(async (o) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const mint = parseAddress(o.mint, "--mint");
      const router = o.router ? parseAddress(o.router, "--router") : undefined;
      const treasury = o.treasury ? parseAddress(o.treasury, "--treasury") : undefined;
      const feeBps = Number(parseInteger(o.feeBps, "--fee-bps", 0n, 1000n));
      let salt: Uint8Array | undefined;
      if (o.salt !== undefined) {
        if (!/^[0-9a-fA-F]{64}$/.test(o.salt)) throw clientError("InvalidInput", "--salt: 64 hex digits (32 bytes)");
        salt = Uint8Array.from(Buffer.from(o.salt, "hex"));
      }
      const timing = {
        expiryGraceSecs: parseInteger(o.expiryGrace, "--expiry-grace"),
        settlementWindowSecs: parseInteger(o.settlementWindow, "--settlement-window"),
        minDurationSecs: parseInteger(o.minDuration, "--min-duration"),
        reviewWindowSecs: parseInteger(o.reviewWindow, "--review-window"),
      };
      const admin = await ctx.signer();
      const r = await initialize(ctx.client, { admin, programAddress: ctx.programId, mint, router: router ?? admin.address, treasury, salt, feeBps, ...timing }, ctx.send);
      emit(ctx, { signature: r.signature, config: r.deployment.config, salt: Buffer.from(r.salt).toString("hex"), vault: r.deployment.vault }, [
        `Deployment ${r.deployment.config}`,
        `  salt  ${Buffer.from(r.salt).toString("hex")}`,
        `  vault ${r.deployment.vault}`,
        `Signature: ${r.signature}`,
      ]);
    });
}
