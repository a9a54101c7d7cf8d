// Opens the store named by a database URL: postgres:// or postgresql:// for PostgreSQL,
// anything else (optionally prefixed sqlite:) is a SQLite file path.

import { openPostgresBackend } from "./postgresBackend.ts";
import { openSqliteBackend } from "./sqliteBackend.ts";
import { createStore } from "./store.ts";
import type { SettlerStore } from "./types.ts";

export * from "./types.ts";
export * from "./errors.ts";
export { LATEST_VERSION } from "./migrations.ts";

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

export async function openStore(url: string): Promise<SettlerStore> {
  if (isPostgresUrl(url)) {
    const backend = openPostgresBackend(url);
    try {
      return await createStore(backend);
    } catch (e) {
      await backend.close();
      throw e;
    }
  }
  const backend = openSqliteBackend(url.replace(/^sqlite:/, ""));
  try {
    return await createStore(backend);
  } catch (e) {
    await backend.close();
    throw e;
  }
}
