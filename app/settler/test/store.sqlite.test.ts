// The store suite on a real SQLite file in a temp dir.
import Database from "better-sqlite3";
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../src/store/index.ts";
import { receipt, segment } from "./support/fixtures.ts";
import { storeSuite, type StoreHarness } from "./storeSuite.ts";

describe("store: SQLite file", () => {
  let dir: string;
  let file: string;
  let n = 0;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "arknet-settler-sqlite-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const harness: StoreHarness = {
    async fresh() {
      file = join(dir, `store-${n++}.sqlite`);
      return openStore(file);
    },
    reopen: () => openStore(`sqlite:${file}`),
    async bumpSchema(version) {
      const db = new Database(file);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)").run(version);
      db.close();
    },
  };
  storeSuite(() => harness);

  it("keeps one file in WAL mode, and a receipt is readable by another connection as soon as the call returns", async () => {
    const store = await harness.fresh();
    try {
      await store.assignSegment(segment("E", 0));
      await store.acceptReceipts([receipt("E", 0, 42n, 1)]);
      const db = new Database(file, { readonly: true });
      expect(db.pragma("journal_mode", { simple: true })).to.equal("wal");
      const row = db.prepare("SELECT cumulative_units, sequence FROM receipts WHERE execution = 'E'").get() as { cumulative_units: string; sequence: number };
      db.close();
      expect(row).to.deep.equal({ cumulative_units: "42", sequence: 1 });
    } finally {
      await store.close();
    }
  });
});
