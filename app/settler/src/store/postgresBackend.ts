// PostgreSQL through a pg Pool. BIGINT comes back as a JS number (milliseconds and
// counters fit); NUMERIC (u64 columns) stays a string and the store reads it as a bigint.

import pg from "pg";
import type { Row, SqlBackend, SqlTx } from "./sql.ts";

const INT8_OID = 20;

function bindable(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

const txOf = (client: pg.PoolClient | pg.Pool): SqlTx => ({
  async query<T extends Row>(sql: string, p?: unknown[]): Promise<T[]> {
    return (await client.query(sql, (p ?? []).map(bindable))).rows as T[];
  },
  async run(sql: string, p?: unknown[]): Promise<number> {
    return (await client.query(sql, (p ?? []).map(bindable))).rowCount ?? 0;
  },
});

export function openPostgresBackend(connectionString: string, opts: { max?: number } = {}): SqlBackend {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const direct = txOf(pool);
  return {
    kind: "postgres",
    forUpdate: " FOR UPDATE",
    nowMs: "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT",
    query: direct.query,
    run: direct.run,
    async transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const out = await fn(txOf(client));
        await client.query("COMMIT");
        return out;
      } catch (e) {
        // A client whose ROLLBACK fails is gone: destroy it rather than reuse it.
        await client.query("ROLLBACK").catch((err: Error) => (broken = err));
        throw e;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
