// Prometheus metrics, one registry per settler (tests run several in one process).
// Queue depth and lag are read from the store at scrape time; the pipeline increments
// the settled/tx/SOL counters when it lands. With the pipeline in its own thread, that thread
// keeps a counters-only registry and the main thread's scrape adds its counters in
// (mergedMetricsText), so the store gauges and process metrics are counted once.

import { AggregatorRegistry, Counter, Gauge, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { SettlerStore } from "../store/index.ts";

export interface SettlerMetrics {
  registry: Registry;
  receiptsAccepted: Counter;
  receiptsDuplicate: Counter;
  receiptsRefused: Counter<"reason">;
  receiptsSettled: Counter;
  txSent: Counter;
  txConfirmed: Counter;
  /** How each confirmation (or landed failure) was learned: "subscription" or "poll". */
  txConfirmedVia: Counter<"via">;
  txFailed: Counter;
  receiptsQuarantined: Counter<"reason">;
  segmentsRefused: Counter<"reason">;
  solSpentLamports: Counter;
  webhookDelivered: Counter;
  webhookFailed: Counter;
}

/** Midnight UTC of the day `ms` falls in: the daily fee budget's start. */
export const utcDayStart = (ms: number): number => ms - (ms % 86_400_000);

/** A registry's metrics as JSON: what the pipeline thread sends the main thread. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/** The main registry's text with other registries' counters summed in (prom-client's cluster aggregation). */
export async function mergedMetricsText(registry: Registry, others: MetricsSnapshot[]): Promise<string> {
  if (others.length === 0) return registry.metrics();
  // Only the others' metrics are summed; ours pass as they are (the cluster aggregators would
  // drop process_start_time and average the event loop lag).
  const theirs = new Set(others.flat().map((m) => m.name));
  const ours = (await registry.getMetricsAsJSON()).map((m) => (theirs.has(m.name) ? m : { ...m, aggregator: "first" as const }));
  return AggregatorRegistry.aggregate([ours, ...others]).metrics();
}

export function createMetrics(store: SettlerStore, opts: { dailyFeeBudgetLamports?: bigint; countersOnly?: boolean } = {}): SettlerMetrics {
  const registry = new Registry();
  const counter = <L extends string = never>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name: `arknet_settler_${name}`, help, labelNames, registers: [registry] });
  if (!opts.countersOnly) addProcessAndStoreMetrics(registry, store, opts.dailyFeeBudgetLamports);

  return {
    registry,
    receiptsAccepted: counter("receipts_accepted_total", "Receipts accepted and stored"),
    receiptsDuplicate: counter("receipts_duplicate_total", "Receipts received again and acknowledged without change"),
    receiptsRefused: counter("receipts_refused_total", "Receipt requests refused, by reason", ["reason"]),
    receiptsSettled: counter("receipts_settled_total", "Receipts confirmed settled on-chain"),
    txSent: counter("tx_sent_total", "Transactions sent (each broadcast)"),
    txConfirmed: counter("tx_confirmed_total", "Transactions confirmed"),
    txConfirmedVia: counter("tx_outcome_via_total", "Landed transactions (confirmed or failed), by how the settler learned it", ["via"]),
    txFailed: counter("tx_failed_total", "Transactions failed or expired"),
    receiptsQuarantined: counter("receipts_quarantined_total", "Receipts moved to quarantine, by the program's reason", ["reason"]),
    segmentsRefused: counter("segments_refused_total", "Segment assignments the program refused, by reason", ["reason"]),
    solSpentLamports: counter("sol_spent_lamports_total", "Transaction fees paid, in lamports"),
    webhookDelivered: counter("webhook_delivered_total", "Webhook deliveries acknowledged with 2xx"),
    webhookFailed: counter("webhook_failed_total", "Webhook delivery attempts that failed"),
  };
}

/** Node's process metrics and the gauges read from the store at scrape time. */
function addProcessAndStoreMetrics(registry: Registry, store: SettlerStore, dailyFeeBudgetLamports: bigint | undefined): void {
  collectDefaultMetrics({ register: registry, prefix: "arknet_settler_" });
  // One store read serves all store gauges of a scrape.
  let statsAt = 0;
  let stats: ReturnType<SettlerStore["stats"]> | undefined;
  const readStats = () => {
    if (!stats || Date.now() - statsAt > 250) {
      statsAt = Date.now();
      stats = store.stats();
    }
    return stats;
  };
  const gauge = (name: string, help: string, read: (s: Awaited<ReturnType<SettlerStore["stats"]>>) => number) =>
    new Gauge({
      name: `arknet_settler_${name}`,
      help,
      registers: [registry],
      async collect() {
        this.set(read(await readStats()));
      },
    });

  gauge("queue_depth", "Segments whose newest receipt has not settled on-chain yet", (s) => s.pendingReceipts);
  gauge("settlement_lag_seconds", "Age of the oldest accepted receipt not yet settled", (s) =>
    s.oldestPendingAcceptedAt === null ? 0 : Math.max(0, (Date.now() - s.oldestPendingAcceptedAt) / 1000),
  );
  gauge("outbox_in_flight", "Signed transactions sent or about to be sent, not yet final", (s) => s.outboxInFlight);
  gauge("receipts_quarantine", "Receipts the program refused for a permanent reason, kept in quarantine", (s) => s.quarantinedReceipts);
  gauge("webhook_deliveries_pending", "Webhook deliveries waiting for a (re)try", (s) => s.webhookDeliveriesPending);
  new Gauge({
    name: "arknet_settler_fees_today_lamports",
    help: "Fees of transactions confirmed since midnight UTC (the daily budget counts these)",
    registers: [registry],
    async collect() {
      this.set(Number(await store.feesSince(utcDayStart(Date.now()))));
    },
  });
  if (dailyFeeBudgetLamports !== undefined) {
    new Gauge({ name: "arknet_settler_fee_budget_lamports", help: "Daily fee budget", registers: [registry] }).set(Number(dailyFeeBudgetLamports));
  }
}
