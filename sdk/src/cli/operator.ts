// arknet operator register|rates|key|status|claim: the GPU operator's commands (and the admin's
// status change).
import type { Command } from "commander";
import { clientError } from "../errors.ts";
import { claim } from "../flows/claim.ts";
import { OperatorStatus, setOperatorStatus } from "../flows/admin.ts";
import { registerOperator as registerOperatorFlow } from "../flows/registerOperator.ts";
import { rotateKey } from "../flows/rotateKey.ts";
import { setRates } from "../flows/setRates.ts";
import { operatorAddress } from "../pdas.ts";
import { readOperator } from "../read/accounts.ts";
import { reputationScore } from "../read/reputation.ts";
import { decodeSku } from "../receipts/sku.ts";
import { parseAmount } from "./amounts.ts";
import { collect, parseAddress, parseRates, tokens } from "./common.ts";
import { resolveDeployment } from "./context.ts";
import type { ContextOf } from "./main.ts";
import { emit, table } from "./output.ts";
import { readKeypairFile } from "./settings.ts";

const STATUS_NAMES = ["pending", "active", "suspended"];

export function registerOperator(program: Command, context: ContextOf): void {
  const op = program.command("operator").description("operator accounts: register, rates, receipt key, status, claim");

  op.command("register")
    .description("register the wallet as an operator; the receipt signing key co-signs")
    .requiredOption("--signing-key <KEYPAIR_FILE>", "the GPU node's receipt signing keypair")
    .option("--rate <SKU=PRICE>", "a rate, price per work unit in tokens (repeatable)", collect, [])
    .action(async (o) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const signingKey = await readKeypairFile(o.signingKey);
      const d = await resolveDeployment(ctx);
      const rates = parseRates(o.rate, d.decimals);
      const authority = await ctx.signer();
      const r = await registerOperatorFlow(ctx.client, d, { authority, signingKey, rates }, ctx.send);
      emit(ctx, { signature: r.signature, operator: r.operator }, [`Operator ${r.operator} registered (pending activation by the admin)`, `Signature: ${r.signature}`]);
    });

  op.command("rates")
    .description("set or withdraw (price 0) rates")
    .requiredOption("--rate <SKU=PRICE>", "a rate, price per work unit in tokens (repeatable)", collect, [])
    .action(async (o) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const d = await resolveDeployment(ctx);
      const rates = parseRates(o.rate, d.decimals);
      const r = await setRates(ctx.client, d, { authority: await ctx.signer(), rates }, ctx.send);
      emit(ctx, { signature: r.signature }, `Signature: ${r.signature}`);
    });

  op.command("key")
    .description("rotate the receipt signing key (the new key co-signs)")
    .requiredOption("--new-key <KEYPAIR_FILE>", "the new receipt signing keypair")
    .action(async (o) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const newSigningKey = await readKeypairFile(o.newKey);
      const d = await resolveDeployment(ctx);
      const r = await rotateKey(ctx.client, d, { authority: await ctx.signer(), newSigningKey }, ctx.send);
      emit(ctx, { signature: r.signature, signingKey: newSigningKey.address }, [`Receipt key is now ${newSigningKey.address}`, `Signature: ${r.signature}`]);
    });

  op.command("status")
    .description("show an operator (the wallet's by default); with --set, the admin activates or suspends it")
    .argument("[AUTHORITY]", "the operator's wallet address")
    .option("--set <STATUS>", "active or suspended (admin only)")
    .action(async (authorityArg: string | undefined, o) => {
      const ctx = context();
      const authority = authorityArg ? parseAddress(authorityArg, "AUTHORITY") : (await ctx.signer()).address;
      const d = await resolveDeployment(ctx);
      const account = await readOperator(ctx.client.rpc, d, authority);
      if (!account) throw clientError("AccountNotFound", `${authority} is not a registered operator of deployment ${d.config}`);
      const address = await operatorAddress(d.config, authority, d.programAddress);
      if (o.set !== undefined) {
        const status = { active: OperatorStatus.Active, suspended: OperatorStatus.Suspended }[o.set as string];
        if (status === undefined) throw clientError("InvalidInput", `--set: "${o.set}" is not active or suspended`);
        const r = await setOperatorStatus(ctx.client, d, { admin: await ctx.signer(), operator: address, status }, ctx.send);
        emit(ctx, { signature: r.signature, status: o.set }, [`Operator ${address} is now ${o.set}`, `Signature: ${r.signature}`]);
        return;
      }
      const score = reputationScore(account);
      const rates = account.rates.slice(0, account.rateCount).map((r) => ({ sku: decodeSku(r.sku), price: r.price, unitsServed: r.unitsServed, tokensServed: r.tokensServed }));
      emit(ctx, { address, ...account, rates, reputation: score }, [
        `Operator ${address} (${STATUS_NAMES[account.status] ?? account.status})`,
        `  authority    ${account.authority}`,
        `  receipt key  ${account.signingKey}`,
        `  claimable    ${tokens(account.claimable, d.decimals)}`,
        `  earned       ${tokens(account.totalEarned, d.decimals)} (claimed ${tokens(account.totalClaimed, d.decimals)})`,
        `  segments     ${account.segmentsSettled} settled of ${account.segmentsAssigned} assigned; ${account.executionsCompleted} executions completed`,
        `  ratings      ${account.ratingCount} (${account.ratingCount > 0n ? (Number(account.ratingSum) / Number(account.ratingCount)).toFixed(2) : "-"} stars)`,
        `  score        ${(Number(score.score) / 100).toFixed(2)}%`,
        ...table(["SKU", "price", "units served", "tokens served"], rates.map((r) => [r.sku, tokens(r.price, d.decimals), r.unitsServed.toString(), tokens(r.tokensServed, d.decimals)])).map((l) => `  ${l}`),
      ]);
    });

  op.command("claim")
    .description("claim earnings to the wallet's token account")
    .argument("[AMOUNT]", "tokens to claim (default: everything claimable)")
    .action(async (amountArg: string | undefined) => {
      const ctx = context();
      await ctx.signer(); // a missing or malformed key file is refused before any request
      const d = await resolveDeployment(ctx);
      const authority = await ctx.signer();
      const account = await readOperator(ctx.client.rpc, d, authority.address);
      if (!account) throw clientError("AccountNotFound", `${authority.address} is not a registered operator of deployment ${d.config}`);
      const amount = amountArg === undefined ? account.claimable : parseAmount(amountArg, d.decimals);
      if (amount === 0n) throw clientError("ZeroAmount", "nothing to claim");
      if (amount > account.claimable) throw clientError("InsufficientClaimable", `claimable is ${tokens(account.claimable, d.decimals)}, below ${tokens(amount, d.decimals)}`);
      const r = await claim(ctx.client, d, { authority, amount }, ctx.send);
      emit(ctx, { signature: r.signature, amount }, [`Claimed ${tokens(amount, d.decimals)}`, `Signature: ${r.signature}`]);
    });
}
