// The few things the shared store code needs from a SQL backend. Statements are written
// once with $1..$n parameters; each backend adapts them (SQLite reads them as ?1..?n).

export type Row = Record<string, unknown>;

export interface SqlTx {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface SqlDialect {
  readonly kind: "sqlite" | "postgres";
  /** Appended to a SELECT that reads rows the transaction will update ("" where the whole file is locked). */
  readonly forUpdate: string;
  /** SQL expression for the database's clock in milliseconds since the epoch. */
  readonly nowMs: string;
}

export interface SqlBackend extends SqlTx, SqlDialect {
  /** Runs `fn` in one transaction that takes write locks at once; commits durably before resolving. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
