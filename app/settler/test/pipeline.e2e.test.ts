// End to end over real RPC: the localnet validator process serves JSON-RPC, the settler runs
// with a real SQLite file and its pipeline; GPU nodes stream receipts through POST /v1/receipts.
// Every execution must end finalized with on-chain consumed equal to the value of the last
// receipts, the buyers' refunds and the operators' claimable exact, and the vault conserved.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readBalance, readMaybeExecution, readOperatorAt, tokenBalance } from "@arknet/escrow";
import type { Address } from "@solana/kit";
import type { RunningValidator } from "@arknet/localnet/launch";
import type { Settler } from "../src/settler.ts";
import { makeBuyer, makeEscrow, makeOperator, type TestEscrow, type TestOperator } from "./support/escrow.ts";
import { startInProcessSettler } from "./support/inProcess.ts";
import { signedReceipt } from "./support/receipts.ts";
import { VALIDATORS, startTestValidator, unavailable } from "./support/validators.ts";

const TOKEN = "router-token-for-e2e-tests";

for (const kind of VALIDATORS) describe(`pipeline end to end (${kind} over RPC, SQLite file)`, function () {
  this.timeout(240_000);
  let v: RunningValidator;
  let t: TestEscrow;
  let dir: string;
  let settler: Settler | null = null;

  before(async function () {
    const why = unavailable(kind);
    if (why) {
      console.log(`      ${why}`);
      return this.skip();
    }
    v = await startTestValidator(kind);
    t = await makeEscrow(v);
    dir = mkdtempSync(join(tmpdir(), "settler-e2e-"));
    writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
  });
  after(async () => {
    await settler?.stop();
    await v?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("settles every receipt, finalizes every execution, refunds and pays exactly", async () => {
    const ops = [await makeOperator(t, 3n), await makeOperator(t, 5n)];
    const EXECUTIONS = 3, SEGMENTS = 2, RECEIPTS = 6, MAX_BURN = 1_000_000n;
    const { buyer, executions } = await makeBuyer(t, 10_000_000n, Array(EXECUTIONS).fill(MAX_BURN));
    settler = await startInProcessSettler(t, v, dir, TOKEN, { ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100", ARKNET_SETTLER_CRANK_INTERVAL_MS: "300" }, "warn");
    const post = (path: string, body: unknown, auth = false) =>
      fetch(settler!.url + path, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) }, body: JSON.stringify(body) });
    const opOf = (s: number): TestOperator => ops[s % ops.length]!;
    for (const e of executions) {
      for (let s = 0; s < SEGMENTS; s++) {
        const res = await post(`/v1/executions/${e}/segments`, { segment: s, operator: opOf(s).account, operatorKey: opOf(s).key.address, sku: "H100" }, true);
        expect(res.status, await res.text()).to.equal(202);
      }
    }
    const units = (n: number, s: number) => BigInt(100 * n + 7 * s);
    for (let n = 1; n <= RECEIPTS; n++) {
      for (const e of executions) {
        for (let s = 0; s < SEGMENTS; s++) {
          const op = opOf(s);
          const res = await post("/v1/receipts", { receipts: [signedReceipt({ secret: op.seed, key: op.key.address, account: op.account }, "", e, s, units(n, s), n)] });
          expect(res.status, await res.text()).to.equal(202);
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    for (const e of executions) expect((await post(`/v1/executions/${e}/complete`, {}, true)).status).to.equal(202);

    const deadline = Date.now() + 150_000;
    for (;;) {
      const states = await Promise.all(executions.map((e) => settler!.store.getExecution(e)));
      if (states.every((x) => x?.status === "finalized" || x?.status === "closed")) break;
      if (Date.now() > deadline) throw new Error(`not finalized: ${states.map((x) => x?.status).join(",")}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    let totalConsumed = 0n;
    const earned = new Map<string, bigint>();
    let closed = 0;
    for (const e of executions) {
      let want = 0n;
      for (let s = 0; s < SEGMENTS; s++) {
        const cost = units(RECEIPTS, s) * opOf(s).price;
        want += cost;
        earned.set(opOf(s).account, (earned.get(opOf(s).account) ?? 0n) + cost - (cost * 250n) / 10_000n);
      }
      totalConsumed += want;
      const ex = await readMaybeExecution(t.client.rpc, e, t.deployment.programAddress);
      if (!ex) {
        closed++; // closed after its review window: the operators' and buyer's totals below still prove it
        continue;
      }
      for (let s = 0; s < SEGMENTS; s++) {
        expect(ex.segments[s]!.settledUnits).to.equal(units(RECEIPTS, s));
        expect(ex.segments[s]!.charged).to.equal(units(RECEIPTS, s) * opOf(s).price);
      }
      expect(ex.consumed).to.equal(want);
      expect(ex.status).to.equal(2);
    }
    console.log(`      (${closed} of ${EXECUTIONS} executions already closed after their review window)`);
    for (const op of ops) {
      const acct = await readOperatorAt(t.client.rpc, op.account, t.deployment.programAddress);
      expect(acct.claimable).to.equal(earned.get(op.account) ?? 0n);
    }
    const bal = await readBalance(t.client.rpc, t.deployment, buyer.address);
    expect(bal!.reserved).to.equal(0n);
    expect(bal!.available).to.equal(10_000_000n - totalConsumed);
    expect(await tokenBalance(t.client.rpc, t.deployment.vault)).to.equal(10_000_000n);
    const outbox = await settler.store.listOutbox(["confirmed"]);
    expect(outbox.filter((o) => o.kind === "finalize")).to.have.length(EXECUTIONS);
    expect(outbox.filter((o) => o.kind === "assign")).to.have.length(EXECUTIONS * SEGMENTS);
    // Confirmations come through signatureSubscribe; getSignatureStatuses is the fallback.
    const via = new Map((await settler.metrics.txConfirmedVia.get()).values.map((x) => [x.labels.via, x.value]));
    console.log(`      (${via.get("subscription") ?? 0} outcomes by subscription, ${via.get("poll") ?? 0} by polling)`);
    expect(via.get("subscription") ?? 0).to.be.greaterThan(0);
    const health = await fetch(settler.url + "/healthz");
    expect(health.status).to.equal(200);
  });
});

