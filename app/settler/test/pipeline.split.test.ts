// One settler deployment split by role on one SQLite file (WAL, busy_timeout): an "api" process
// takes segments and receipts in, a "pipeline" process submits them; the localnet over RPC.
// Nodes post only to the API process, which runs no pipeline: every execution still finalizes,
// the chain holds exactly the last receipts, and the API's GET /v1/executions reads the
// pipeline's progress from the shared store.
import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningValidator } from "@arknet/localnet/launch";
import { openStore } from "../src/store/index.ts";
import { makeBuyer, makeEscrow, makeOperator, type TestEscrow } from "./support/escrow.ts";
import { freePort } from "./support/ports.ts";
import { assignSegments, expectSettledExactly, postReceiptsAndComplete, waitFinalized } from "./support/settlement.ts";
import { kill9, startSettlerProcess } from "./support/settlerProcess.ts";
import { startTestValidator } from "./support/validators.ts";

const TOKEN = "split-roles-router-token-01";
const EXECUTIONS = 2;
const SEGMENTS = 2;
const RECEIPTS = 5;
const DEPOSIT = 10_000_000n;

describe("settler split by role on one SQLite file (localnet over RPC): api process + pipeline process", function () {
  this.timeout(120_000);
  let v: RunningValidator;
  let t: TestEscrow;
  let dir: string;
  const children: ChildProcess[] = [];

  before(async () => {
    v = await startTestValidator("localnet");
    t = await makeEscrow(v);
    dir = mkdtempSync(join(tmpdir(), "settler-split-"));
    writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
  });
  after(async () => {
    for (const c of children) await kill9(c);
    await v?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("receipts posted to the api process are settled by the pipeline process", async () => {
    const ops = [await makeOperator(t, 3n), await makeOperator(t, 5n)];
    const opOf = (s: number) => ops[s % ops.length]!;
    const { buyer, executions } = await makeBuyer(t, DEPOSIT, Array(EXECUTIONS).fill(1_000_000n));
    const db = join(dir, "settler.sqlite");
    const start = async (role: string) => {
      const port = await freePort();
      const env = { ARKNET_SETTLER_ROLE: role, ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100", ARKNET_SETTLER_CRANK_INTERVAL_MS: "300" };
      const o = { db, port, token: TOKEN, programId: t.deployment.programAddress, rpcUrl: v.rpcUrl, config: t.deployment.config, routerKeypair: join(dir, "router.json"), env };
      children.push(await startSettlerProcess(o));
      return `http://127.0.0.1:${port}`;
    };
    const api = await start("api");
    const units = (n: number, s: number) => BigInt(40 * n + 3 * s);
    const run = { executions, segments: SEGMENTS, receipts: RECEIPTS, opOf, units, token: TOKEN };
    await assignSegments([api], run);
    // With no pipeline anywhere yet, nothing lands: the api process really does not submit.
    await new Promise((r) => setTimeout(r, 1_000));
    const early = (await (await fetch(`${api}/v1/executions/${executions[0]}`)).json()) as { segments: Array<{ landed: boolean }> };
    expect(early.segments.map((s) => s.landed), "segments landed without a pipeline process").to.deep.equal([false, false]);

    await start("pipeline");
    await postReceiptsAndComplete([api], run);

    const store = await openStore(db);
    try {
      await waitFinalized(store, executions, 60_000);
    } finally {
      await store.close();
    }
    for (const e of executions) {
      const view = (await (await fetch(`${api}/v1/executions/${e}`)).json()) as { status: string; segments: Array<{ receipt: { settledSequence: number } }> };
      expect(view.status, `${e} as the api process reports it`).to.be.oneOf(["finalized", "closed"]);
      expect(view.segments.map((s) => s.receipt.settledSequence), `${e} settled receipts as the api process reports them`).to.deep.equal([RECEIPTS, RECEIPTS]);
    }
    await expectSettledExactly({ t, executions, segments: SEGMENTS, opOf, lastUnits: (s) => units(RECEIPTS, s), buyer: buyer.address, deposit: DEPOSIT });
  });
});
