// arknet vault check: the vault's tokens against the sum of every liability of the deployment.
import type { Command } from "commander";
import { clientError } from "../errors.ts";
import { tokenBalance } from "../read/accounts.ts";
import { deploymentAccounts, vaultCheck } from "../read/deployments.ts";
import { tokens } from "./common.ts";
import { resolveDeployment } from "./context.ts";
import type { ContextOf } from "./main.ts";
import { emit } from "./output.ts";

export function registerVault(program: Command, context: ContextOf): void {
  program
    .command("vault")
    .description("the deployment's vault")
    .command("check")
    .description("compare the vault's tokens with Σ balances + open executions + claimable + fees; exits 1 when short")
    .action(async () => {
      const ctx = context();
      const d = await resolveDeployment(ctx);
      const accounts = await deploymentAccounts(ctx.client.rpc, d.programAddress, d.config);
      const c = vaultCheck(await tokenBalance(ctx.client.rpc, d.vault), d.data, accounts);
      const t = (v: bigint) => tokens(v, d.decimals);
      emit(ctx, { ...c, ok: c.surplus >= 0n }, [
        `vault            ${t(c.vault)}`,
        `available        ${t(c.available)} (${accounts.balances.length} balances)`,
        `open executions  ${t(c.openExecutions)}`,
        `claimable        ${t(c.claimable)} (${accounts.operators.length} operators)`,
        `fees owed        ${t(c.feesOwed)}`,
        `fees unwithdrawn ${t(c.feesUnwithdrawn)}`,
        `liabilities      ${t(c.liabilities)}`,
        c.surplus === 0n ? "ok: the vault holds exactly the liabilities" : c.surplus > 0n ? `ok: ${t(c.surplus)} more than the liabilities (direct transfers)` : `SHORT by ${t(-c.surplus)}`,
      ]);
      if (c.surplus < 0n) throw clientError("VaultShort", `the vault is short by ${t(-c.surplus)}`);
    });
}
