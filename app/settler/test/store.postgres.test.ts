// The store suite on a real PostgreSQL server started by the test setup.
import pg from "pg";
import { openStore } from "../src/store/index.ts";
import { postgresSkipped, sharedPostgres } from "./support/postgres.ts";
import { storeSuite, type StoreHarness } from "./storeSuite.ts";

describe("store: PostgreSQL", function () {
  if (postgresSkipped()) {
    console.log("    (skipped: ARKNET_SKIP_POSTGRES=1)");
    return;
  }
  let url: string | undefined;
  const harness: StoreHarness = {
    // One database; each test starts from an empty schema (cheaper than CREATE DATABASE).
    async fresh() {
      url ??= await (await sharedPostgres()).createDatabase(`store_suite_${process.pid}`);
      const c = new pg.Client(url);
      await c.connect();
      await c.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
      await c.end();
      return openStore(url);
    },
    reopen: () => openStore(url!),
    async bumpSchema(version) {
      const c = new pg.Client(url);
      await c.connect();
      await c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)", [version]);
      await c.end();
    },
  };
  before(async function () {
    this.timeout(60_000);
    await sharedPostgres();
  });
  storeSuite(() => harness);
});
