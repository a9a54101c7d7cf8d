// Versioned schema, written once for both backends. Placeholders name the column types
// that differ: {u64} holds a u64 exactly (TEXT in SQLite, NUMERIC(20) in PostgreSQL),
// {bytes} binary, {i64} a 64-bit integer. Append new versions; never edit an applied one.

import { StoreError } from "./errors.ts";
import type { SqlBackend } from "./sql.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "executions, segments, receipts",
    sql: `
CREATE TABLE executions (
  address TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at {i64} NOT NULL,
  completed_at {i64},
  updated_at {i64} NOT NULL
);
CREATE TABLE segments (
  execution TEXT NOT NULL REFERENCES executions(address),
  segment INTEGER NOT NULL,
  operator TEXT NOT NULL,
  operator_key TEXT NOT NULL,
  sku TEXT NOT NULL,
  assigned_at {i64} NOT NULL,
  landed_at {i64},
  PRIMARY KEY (execution, segment)
);
CREATE TABLE receipts (
  execution TEXT NOT NULL,
  segment INTEGER NOT NULL,
  signer TEXT NOT NULL,
  sku TEXT NOT NULL,
  cumulative_units {u64} NOT NULL,
  sequence {i64} NOT NULL,
  message {bytes} NOT NULL,
  signature {bytes} NOT NULL,
  accepted_at {i64} NOT NULL,
  settled_units {u64} NOT NULL,
  settled_sequence {i64} NOT NULL,
  pending INTEGER NOT NULL,
  PRIMARY KEY (execution, segment),
  FOREIGN KEY (execution, segment) REFERENCES segments(execution, segment)
);
CREATE INDEX receipts_pending ON receipts (pending, accepted_at);
`,
  },
  {
    version: 2,
    name: "outbox and leases",
    sql: `
CREATE TABLE outbox (
  signature TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  wire {bytes} NOT NULL,
  blockhash TEXT NOT NULL,
  last_valid_block_height {u64} NOT NULL,
  executions TEXT NOT NULL,
  items TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at {i64} NOT NULL,
  send_count INTEGER NOT NULL,
  last_sent_at {i64},
  confirmed_slot {u64},
  fee_lamports {u64},
  error TEXT
);
CREATE INDEX outbox_status ON outbox (status, created_at);
CREATE TABLE outbox_executions (
  signature TEXT NOT NULL REFERENCES outbox(signature),
  execution TEXT NOT NULL,
  PRIMARY KEY (execution, signature)
);
CREATE TABLE leases (
  key TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  token {i64} NOT NULL,
  expires_at {i64} NOT NULL
);
`,
  },
  {
    version: 3,
    name: "webhook subscriptions and deliveries",
    sql: `
CREATE TABLE webhook_subscriptions (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL,
  created_at {i64} NOT NULL,
  removed_at {i64}
);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions(id),
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  event_created_at {i64} NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at {i64} NOT NULL,
  last_error TEXT,
  delivered_at {i64},
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
`,
  },
  {
    version: 4,
    name: "confirmation time of outbox transactions, for the daily fee budget",
    sql: `
ALTER TABLE outbox ADD COLUMN confirmed_at {i64};
CREATE INDEX outbox_confirmed_at ON outbox (confirmed_at);
`,
  },
  {
    version: 5,
    name: "router's max price and budget per segment, refused segments, quarantined receipts",
    sql: `
ALTER TABLE segments ADD COLUMN max_price {u64};
ALTER TABLE segments ADD COLUMN budget {u64};
ALTER TABLE segments ADD COLUMN refused TEXT;
CREATE TABLE quarantined_receipts (
  execution TEXT NOT NULL,
  segment INTEGER NOT NULL,
  sequence {i64} NOT NULL,
  cumulative_units {u64} NOT NULL,
  signer TEXT NOT NULL,
  message {bytes} NOT NULL,
  signature {bytes} NOT NULL,
  reason TEXT NOT NULL,
  quarantined_at {i64} NOT NULL,
  PRIMARY KEY (execution, segment, sequence)
);
`,
  },
];

const TYPES = {
  sqlite: { u64: "TEXT", bytes: "BLOB", i64: "INTEGER" },
  postgres: { u64: "NUMERIC(20,0)", bytes: "BYTEA", i64: "BIGINT" },
} as const;

export function migrationSql(m: Migration, kind: "sqlite" | "postgres"): string[] {
  const t = TYPES[kind];
  return m.sql
    .replaceAll("{u64}", t.u64)
    .replaceAll("{bytes}", t.bytes)
    .replaceAll("{i64}", t.i64)
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the schema to LATEST_VERSION, each version in its own transaction. `lock` runs
 * first inside each transaction (PostgreSQL takes an advisory lock so two instances starting
 * together do not both migrate). Refuses a database written by a newer settler.
 */
export async function migrate(db: SqlBackend, lock: string | null): Promise<number> {
  await db.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${TYPES[db.kind].i64} NOT NULL)`,
  );
  for (const m of MIGRATIONS) {
    await db.transaction(async (tx) => {
      if (lock) await tx.query(lock);
      const done = await tx.query<{ version: number }>("SELECT version FROM schema_migrations WHERE version = $1", [m.version]);
      if (done.length > 0) return;
      for (const stmt of migrationSql(m, db.kind)) await tx.run(stmt);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, Date.now()]);
    });
  }
  const [row] = await db.query<{ v: number }>("SELECT MAX(version) AS v FROM schema_migrations");
  const version = Number(row?.v ?? 0);
  if (version > LATEST_VERSION) {
    throw new StoreError("SchemaTooNew", `database schema is version ${version}; this settler knows up to ${LATEST_VERSION}`);
  }
  return version;
}
