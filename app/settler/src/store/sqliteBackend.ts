// SQLite through better-sqlite3: one file, WAL, synchronous=FULL, so a commit is on disk
// when it returns. better-sqlite3 is synchronous; a queue per file keeps one async
// transaction at a time in this process, so two requests never interleave inside one BEGIN,
// and two connections to the same file in one process never wait on each other's lock
// while blocking the thread that would release it. Other processes wait (busy_timeout).

import Database from "better-sqlite3";
import { realpathSync } from "node:fs";
import type { Row, SqlBackend, SqlTx } from "./sql.ts";

const toSqlite = (sql: string): string => sql.replace(/\$(\d+)/g, "?$1");

/** Values SQLite cannot bind as they are. */
function bindable(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

/** `?N` parameters bind from an object keyed by number. */
function params(list: unknown[] | undefined): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  (list ?? []).forEach((v, i) => (out[i + 1] = bindable(v)));
  return out;
}

const queues = new Map<string | symbol, Promise<unknown>>();

export function openSqliteBackend(file: string): SqlBackend {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(toSqlite(sql));
      statements.set(sql, s);
    }
    return s;
  };

  const direct: SqlTx = {
    async query<T extends Row>(sql: string, p?: unknown[]): Promise<T[]> {
      const s = prepare(sql);
      return (s.reader ? s.all(params(p)) : (s.run(params(p)), [])) as T[];
    },
    async run(sql: string, p?: unknown[]): Promise<number> {
      const s = prepare(sql);
      if (s.reader) return s.all(params(p)).length;
      return s.run(params(p)).changes;
    },
  };

  // One operation at a time on the file in this process: a chain of promises.
  const key = file === ":memory:" ? Symbol("memory") : realpathSync(file);
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
    queues.set(key, next.catch(() => undefined));
    return next;
  };

  // Group commit: transactions requested while the file is busy run together in one
  // BEGIN IMMEDIATE … COMMIT, each inside its own SAVEPOINT (a failing one rolls back alone),
  // and all resolve after the one durable COMMIT. One fsync then serves many receipts.
  type Job = { fn: (tx: SqlTx) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  let waiting: Job[] = [];
  let scheduled = false;
  const runGroup = async () => {
    scheduled = false;
    const jobs = waiting;
    waiting = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    db.exec("BEGIN IMMEDIATE");
    try {
      for (const job of jobs) {
        db.exec("SAVEPOINT job");
        try {
          const value = await job.fn(direct);
          db.exec("RELEASE job");
          outcomes.push({ ok: true, value });
        } catch (error) {
          db.exec("ROLLBACK TO job");
          db.exec("RELEASE job");
          outcomes.push({ ok: false, error });
        }
      }
      db.exec("COMMIT");
    } catch (e) {
      if (db.inTransaction) db.exec("ROLLBACK");
      for (const job of jobs) job.reject(e);
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  };

  return {
    kind: "sqlite",
    forUpdate: "",
    nowMs: "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
    query: (sql, p) => exclusive(() => direct.query(sql, p)),
    run: (sql, p) => exclusive(() => direct.run(sql, p)),
    transaction: <T>(fn: (tx: SqlTx) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        waiting.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled) {
          // Start the group after one turn of the event loop, so requests already read off
          // the network can join it (better-sqlite3 blocks the loop while it commits).
          scheduled = true;
          setImmediate(() => void exclusive(runGroup));
        }
      }),
    close: () =>
      exclusive(async () => {
        db.close();
      }),
  };
}
