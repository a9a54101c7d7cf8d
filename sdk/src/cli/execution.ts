// arknet execution show|list: the bill (per segment, per SKU, total, refund) and a buyer's executions.
import type { Command } from "commander";
import { END_REASON_NAMES } from "../flows/finalize.ts";
import { getBill, verifyBill } from "../read/bill.ts";
import { listExecutions } from "../read/executions.ts";
import { parseAddress, shortAddress, tokens } from "./common.ts";
import { resolveDeployment } from "./context.ts";
import type { ContextOf } from "./main.ts";
import { emit, table } from "./output.ts";

export function registerExecution(program: Command, context: ContextOf): void {
  const ex = program.command("execution").description("executions: bills and lists");

  ex.command("show")
    .description("the bill of an execution: per segment, per SKU, total and refund")
    .argument("<EXECUTION>", "execution address")
    .option("--verify", "rebuild the bill from receipts and events and compare")
    .action(async (executionText: string, o) => {
      const ctx = context();
      const execution = parseAddress(executionText, "EXECUTION");
      const d = await resolveDeployment(ctx);
      const bill = await getBill(ctx.client.rpc, execution, d.programAddress);
      const verification = o.verify && bill.status === "final" ? await verifyBill(ctx.client.rpc, execution, d.programAddress) : null;
      const t = (v: bigint) => tokens(v, d.decimals);
      const perSku = new Map<string, bigint>();
      for (const s of bill.segments) perSku.set(s.sku, (perSku.get(s.sku) ?? 0n) + s.charged);
      const status = bill.status === "final" ? `settled (${END_REASON_NAMES[bill.reason ?? 0] ?? bill.reason})` : "open";
      emit(ctx, { ...bill, perSku: Object.fromEntries(perSku), verification: verification && { ok: verification.ok, mismatches: verification.mismatches } }, [
        `Execution ${execution}: ${status}`,
        "",
        ...table(
          ["segment", "operator", "SKU", "price", "units", "charged"],
          bill.segments.map((s) => [String(s.index), shortAddress(s.operator), s.sku, t(s.price), s.units.toString(), t(s.charged)]),
        ),
        "",
        [...perSku].map(([sku, v]) => `${sku} ${t(v)} tokens`).concat(`total ${t(bill.consumed)}`).join(" / "),
        `max burn ${t(bill.maxBurn)}, fee ${t(bill.fee)}, refund ${t(bill.refund)}${bill.status === "open" ? " (if it ended now)" : ""}`,
        ...(verification ? [verification.ok ? "verified: the bill follows from the receipts and events" : `NOT verified: ${verification.mismatches.join("; ")}`] : []),
      ]);
    });

  ex.command("list")
    .description("a buyer's executions that still have an account (the wallet's by default)")
    .option("--buyer <ADDRESS>", "whose executions")
    .action(async (o) => {
      const ctx = context();
      const buyer = o.buyer ? parseAddress(o.buyer, "--buyer") : (await ctx.signer()).address;
      const d = await resolveDeployment(ctx);
      const list = await listExecutions(ctx.client.rpc, d.programAddress, { buyer, config: d.config });
      const rows = list.map((e) => ({
        address: e.address,
        id: e.data.executionId,
        status: e.data.status === 1 ? "open" : `settled (${END_REASON_NAMES[e.data.endReason] ?? e.data.endReason})`,
        maxBurn: e.data.maxBurn,
        consumed: e.data.consumed,
        segments: e.data.segmentCount,
      }));
      emit(ctx, rows, list.length === 0 ? `No executions for ${buyer}` : table(
        ["id", "execution", "status", "max burn", "consumed", "segments"],
        rows.map((r) => [r.id.toString(), r.address, r.status, tokens(r.maxBurn, d.decimals), tokens(r.consumed, d.decimals), String(r.segments)]),
      ));
    });
}
