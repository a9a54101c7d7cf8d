// The buyer's commands: deposit, withdraw, reserve, top-up, finalize, cancel, rate. Each checks
// what it can read first (balances, the execution) so a refusal sends nothing.
import type { Command } from "commander";
import { ArknetError, clientError, programErrorCode } from "../errors.ts";
import { cancel } from "../flows/cancel.ts";
import { deposit } from "../flows/deposit.ts";
import { EndReason, finalize } from "../flows/finalize.ts";
import { rate } from "../flows/rate.ts";
import { reserve } from "../flows/reserve.ts";
import { reserveFromWallet } from "../flows/reserveFromWallet.ts";
import { topUp } from "../flows/topUp.ts";
import { associatedTokenAccount } from "../flows/tokens.ts";
import { withdraw } from "../flows/withdraw.ts";
import { readBalance, readExecution, tokenBalance } from "../read/accounts.ts";
import { parseAmount } from "./amounts.ts";
import { collect, parseAddress, parseInteger, parseRates, tokens } from "./common.ts";
import { resolveDeployment, type Context } from "./context.ts";
import type { ContextOf } from "./main.ts";
import { emit } from "./output.ts";

const REASONS: Record<string, EndReason> = { completed: 1, preempted: 2, failed: 3, expired: 4 };

function insufficient(what: string, have: bigint, want: bigint, decimals: number): ArknetError {
  return new ArknetError("InsufficientBalance", `${what} is ${tokens(have, decimals)}, below ${tokens(want, decimals)}`, {
    source: "client",
    code: programErrorCode("InsufficientBalance"),
  });
}

function done(ctx: Context, signature: string, what: string, extra: Record<string, unknown> = {}) {
  emit(ctx, { signature, ...extra }, [what, `Signature: ${signature}`]);
}

export function registerBuyer(program: Command, context: ContextOf): void {
  program
    .command("deposit")
    .description("move tokens from the wallet into an escrow balance")
    .argument("<AMOUNT>", "tokens")
    .option("--buyer <ADDRESS>", "credit another buyer's balance (sponsoring)")
    .action(async (amountText: string, o) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const d = await resolveDeployment(ctx);
      const amount = parseAmount(amountText, d.decimals);
      const buyer = o.buyer ? parseAddress(o.buyer, "--buyer") : undefined;
      const wallet = await ctx.signer();
      const source = await associatedTokenAccount(wallet.address, d.mint, d.tokenProgram);
      const have = await tokenBalance(ctx.client.rpc, source);
      if (have < amount) throw insufficient(`the wallet's token balance`, have, amount, d.decimals);
      const r = await deposit(ctx.client, d, { depositor: wallet, amount, buyer }, ctx.send);
      done(ctx, r.signature, `Deposited ${tokens(amount, d.decimals)}`, { amount });
    });

  program
    .command("withdraw")
    .description("move available tokens from the escrow balance back to the wallet")
    .argument("<AMOUNT>", "tokens")
    .action(async (amountText: string) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const d = await resolveDeployment(ctx);
      const amount = parseAmount(amountText, d.decimals);
      const wallet = await ctx.signer();
      const available = (await readBalance(ctx.client.rpc, d, wallet.address))?.available ?? 0n;
      if (available < amount) throw insufficient("available balance", available, amount, d.decimals);
      const r = await withdraw(ctx.client, d, { buyer: wallet, amount }, ctx.send);
      done(ctx, r.signature, `Withdrew ${tokens(amount, d.decimals)}`, { amount });
    });

  program
    .command("reserve")
    .description("reserve the max burn of a new execution (fails closed on a short balance)")
    .argument("<MAX_BURN>", "tokens")
    .requiredOption("--duration <SECS>", "seconds until the execution expires")
    .option("--id <N>", "execution id (default: the next one)")
    .option("--cap <SKU=PRICE>", "highest price per work unit accepted for a SKU (repeatable)", collect, [])
    .option("--from-wallet", "deposit the max burn from the wallet in the same instruction")
    .action(async (maxBurnText: string, o) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const d = await resolveDeployment(ctx);
      const maxBurn = parseAmount(maxBurnText, d.decimals, "MAX_BURN");
      const durationSecs = parseInteger(o.duration, "--duration", 1n);
      const executionId = o.id !== undefined ? parseInteger(o.id, "--id", 1n) : undefined;
      const priceCaps = parseRates(o.cap, d.decimals, "--cap").map((c) => ({ sku: c.sku, maxPrice: c.price }));
      const buyer = await ctx.signer();
      const input = { buyer, maxBurn, durationSecs, executionId, priceCaps };
      if (o.fromWallet) {
        const have = await tokenBalance(ctx.client.rpc, await associatedTokenAccount(buyer.address, d.mint, d.tokenProgram));
        if (have < maxBurn) throw insufficient(`the wallet's token balance`, have, maxBurn, d.decimals);
      } else {
        // The flow fails closed too; this says it in token units.
        const available = (await readBalance(ctx.client.rpc, d, buyer.address))?.available ?? 0n;
        if (available < maxBurn) throw insufficient("available balance", available, maxBurn, d.decimals);
      }
      const r = o.fromWallet ? await reserveFromWallet(ctx.client, d, input, ctx.send) : await reserve(ctx.client, d, input, ctx.send);
      done(ctx, r.signature, `Execution ${r.execution} (id ${r.executionId}) reserved ${tokens(maxBurn, d.decimals)}`, { execution: r.execution, executionId: r.executionId });
    });

  program
    .command("top-up")
    .description("add available balance to an open execution's max burn")
    .argument("<EXECUTION>", "execution address")
    .argument("<AMOUNT>", "tokens")
    .action(async (executionText: string, amountText: string) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const execution = parseAddress(executionText, "EXECUTION");
      const d = await resolveDeployment(ctx);
      const amount = parseAmount(amountText, d.decimals);
      await readExecution(ctx.client.rpc, execution, d.programAddress);
      const buyer = await ctx.signer();
      const available = (await readBalance(ctx.client.rpc, d, buyer.address))?.available ?? 0n;
      if (available < amount) throw insufficient("available balance", available, amount, d.decimals);
      const r = await topUp(ctx.client, d, { buyer, execution, amount }, ctx.send);
      done(ctx, r.signature, `Topped up ${tokens(amount, d.decimals)}`, { amount });
    });

  program
    .command("finalize")
    .description("end an execution and refund what its receipts do not prove")
    .argument("<EXECUTION>", "execution address")
    .option("--reason <REASON>", "completed, preempted, failed or expired", "expired")
    .action(async (executionText: string, o) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const execution = parseAddress(executionText, "EXECUTION");
      const reason = REASONS[o.reason];
      if (!reason) throw clientError("InvalidEndReason", `--reason: "${o.reason}" is not completed, preempted, failed or expired`);
      const d = await resolveDeployment(ctx);
      await readExecution(ctx.client.rpc, execution, d.programAddress);
      const r = await finalize(ctx.client, d, { authority: await ctx.signer(), execution, reason }, ctx.send);
      done(ctx, r.signature, `Finalized ${execution} (${o.reason})`);
    });

  program
    .command("cancel")
    .description("cancel an open execution that has no segment yet (full refund)")
    .argument("<EXECUTION>", "execution address")
    .action(async (executionText: string) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const execution = parseAddress(executionText, "EXECUTION");
      const d = await resolveDeployment(ctx);
      await readExecution(ctx.client.rpc, execution, d.programAddress);
      const r = await cancel(ctx.client, d, { buyer: await ctx.signer(), execution }, ctx.send);
      done(ctx, r.signature, `Cancelled ${execution}`);
    });

  program
    .command("rate")
    .description("rate (1-5 stars) an operator paid in a settled execution")
    .argument("<EXECUTION>", "execution address")
    .argument("<OPERATOR>", "operator account address")
    .argument("<STARS>", "1 to 5")
    .action(async (executionText: string, operatorText: string, starsText: string) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const execution = parseAddress(executionText, "EXECUTION");
      const operator = parseAddress(operatorText, "OPERATOR");
      const stars = Number(parseInteger(starsText, "STARS", 1n, 5n));
      const d = await resolveDeployment(ctx);
      const ex = await readExecution(ctx.client.rpc, execution, d.programAddress);
      if (!ex.segments.slice(0, ex.segmentCount).some((s) => s.operator === operator && s.charged > 0n)) {
        throw clientError("OperatorNotPaid", `${operator} was not paid in ${execution}`);
      }
      const r = await rate(ctx.client, d, { buyer: await ctx.signer(), execution, operator, stars }, ctx.send);
      done(ctx, r.signature, `Rated ${operator} ${stars} stars`);
    });
}
