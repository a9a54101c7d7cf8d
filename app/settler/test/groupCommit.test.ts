// Group commit on SQLite: receipts posted at the same moment share one durable COMMIT. Each is
// answered only once that COMMIT is on disk (another connection reads it when the answer comes),
// and a COMMIT that fails fails every member of its group (5xx over HTTP): none is stored,
// none acknowledged, and the service keeps taking receipts afterwards.
// The failing COMMIT is made by a deferred foreign key that a trigger violates: statements
// succeed, the check runs at COMMIT.
import Database from "better-sqlite3";
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type SettlerStore } from "../src/store/index.ts";
import { startApi, auth, type ApiHarness } from "./support/api.ts";
import { receipt, segment } from "./support/fixtures.ts";
import { newOperator, randomAddress, signedReceipt } from "./support/receipts.ts";

/** From now on every COMMIT that inserted a receipt of `segmentIndex` (any, when null) fails. */
function failCommits(file: string, segmentIndex: number | null) {
  const db = new Database(file);
  db.exec(`CREATE TABLE test_parent (id INTEGER PRIMARY KEY);
    CREATE TABLE test_commit_fails (parent INTEGER REFERENCES test_parent(id) DEFERRABLE INITIALLY DEFERRED);
    CREATE TRIGGER test_fail_commit AFTER INSERT ON receipts ${segmentIndex === null ? "" : `WHEN NEW.segment = ${segmentIndex}`}
      BEGIN INSERT INTO test_commit_fails VALUES (1); END;`);
  db.close();
  return () => {
    const d = new Database(file);
    d.exec("DROP TRIGGER test_fail_commit; DROP TABLE test_commit_fails; DROP TABLE test_parent;");
    d.close();
  };
}

const storedUnits = (file: string, execution: string): Map<number, bigint> => {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare("SELECT segment, cumulative_units FROM receipts WHERE execution = ?").all(execution) as Array<{ segment: number; cumulative_units: string }>;
  db.close();
  return new Map(rows.map((r) => [r.segment, BigInt(r.cumulative_units)]));
};

describe("group commit (SQLite)", () => {
  describe("in the store", () => {
    let dir: string;
    let file: string;
    let store: SettlerStore;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), "arknet-settler-group-"));
      file = join(dir, "settler.sqlite");
      store = await openStore(file);
      for (let s = 0; s < 8; s++) await store.assignSegment(segment("E", s));
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("answers each of many concurrent batches only once its COMMIT is visible to another connection", async () => {
      const seenAtAnswer = await Promise.all(
        Array.from({ length: 8 }, (_, s) => store.acceptReceipts([receipt("E", s, BigInt(10 + s), 1)]).then(() => storedUnits(file, "E").get(s))),
      );
      expect(seenAtAnswer).to.deep.equal(Array.from({ length: 8 }, (_, s) => BigInt(10 + s)));
    });

    it("fails every batch of a group whose COMMIT fails, stores none of them, and commits the next group", async () => {
      const restore = failCommits(file, 3);
      // Called in one turn of the event loop: one group (it starts after a setImmediate).
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, s) => store.acceptReceipts([receipt("E", s, BigInt(10 + s), 1)])));
      expect(outcomes.map((o) => o.status)).to.deep.equal(Array(8).fill("rejected"));
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).to.match(/FOREIGN KEY/);
      expect(storedUnits(file, "E").size).to.equal(0);
      restore();
      const again = await Promise.all(Array.from({ length: 8 }, (_, s) => store.acceptReceipts([receipt("E", s, BigInt(10 + s), 1)])));
      expect(again.map((r) => r[0]!.status)).to.deep.equal(Array(8).fill("accepted"));
      expect(storedUnits(file, "E").size).to.equal(8);
    });
  });

  describe("over the API", () => {
    let h: ApiHarness;
    afterEach(() => h.close());

    it("answers 500 to every receipt whose COMMIT failed and stores none, then takes them again", async () => {
      h = await startApi();
      const exec = randomAddress();
      const ops = Array.from({ length: 6 }, () => newOperator());
      for (const [i, op] of ops.entries()) {
        const res = await h.app.inject({ method: "POST", url: `/v1/executions/${exec}/segments`, headers: auth, payload: { segment: i, operator: op.account, operatorKey: op.key, sku: "H100" } });
        expect(res.statusCode).to.equal(202);
      }
      const post = () =>
        Promise.all(ops.map((op, i) => h.app.inject({ method: "POST", url: "/v1/receipts", payload: { receipts: [signedReceipt(op, h.programId, exec, i, BigInt(100 + i), 1)] } })));
      const restore = failCommits(h.dbFile, null);
      const failed = await post();
      expect(failed.map((r) => r.statusCode)).to.deep.equal(Array(6).fill(500));
      expect(failed.map((r) => r.json().error)).to.deep.equal(Array(6).fill("Internal"));
      expect(storedUnits(h.dbFile, exec).size).to.equal(0);
      restore();
      const ok = await post();
      expect(ok.map((r) => r.statusCode)).to.deep.equal(Array(6).fill(202));
      expect([...storedUnits(h.dbFile, exec).values()].sort((a, b) => Number(a - b))).to.deep.equal(ops.map((_, i) => BigInt(100 + i)));
    });
  });
});
