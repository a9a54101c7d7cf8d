// RPC outage: the validator process stops for a while (its ledger kept). The settler must go
// unhealthy, send nothing while it cannot observe the chain, keep taking receipts in, and
// after the validator is back land everything and finalize, without loss.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readMaybeExecution } from "@arknet/escrow";
import { startLocalnet, type RunningValidator } from "@arknet/localnet/launch";
import type { Settler } from "../src/settler.ts";
import { makeBuyer, makeEscrow, makeOperator, type TestOperator } from "./support/escrow.ts";
import { startInProcessSettler } from "./support/inProcess.ts";
import { sleep } from "./support/fixtures.ts";
import { freePort } from "./support/ports.ts";
import { signedReceipt } from "./support/receipts.ts";

const TOKEN = "outage-test-router-token-01";

describe("pipeline during an RPC outage (localnet stopped and restarted on its ledger)", function () {
  this.timeout(180_000);
  let v: RunningValidator | null = null;
  let settler: Settler | null = null;
  let dir: string;

  after(async () => {
    await settler?.stop();
    await v?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("goes unhealthy, sends nothing, keeps taking receipts, then catches up and finalizes", async () => {
    dir = mkdtempSync(join(tmpdir(), "settler-outage-"));
    const ledger = join(dir, "ledger");
    const rpcPort = await freePort();
    v = await startLocalnet({ slotMs: 100, ledger, rpcPort, reset: true });
    const t = await makeEscrow(v, { reviewWindowSecs: 3600n, expiryGraceSecs: 2n, settlementWindowSecs: 1n });
    const op: TestOperator = await makeOperator(t, 4n);
    const { executions } = await makeBuyer(t, 5_000_000n, [1_000_000n, 1_000_000n]);
    writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
    settler = await startInProcessSettler(t, v, dir, TOKEN, { ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100", ARKNET_SETTLER_STALE_SLOT_MS: "1000" });
    const post = (path: string, body: unknown, auth = false) =>
      fetch(settler!.url + path, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) }, body: JSON.stringify(body) });
    const receipt = (e: string, n: number) => ({ receipts: [signedReceipt({ secret: op.seed, key: op.key.address, account: op.account }, "", e, 0, BigInt(100 * n), n)] });
    const healthz = async () => (await fetch(settler!.url + "/healthz")).status;
    const settledUnits = async (e: string) => (await settler!.store.getExecution(e))!.segments[0]!.receipt?.settledUnits ?? 0n;

    for (const e of executions) expect((await post(`/v1/executions/${e}/segments`, { segment: 0, operator: op.account, operatorKey: op.key.address, sku: "H100" }, true)).status).to.equal(202);
    for (const e of executions) expect((await post("/v1/receipts", receipt(e, 1))).status).to.equal(202);
    for (let i = 0; (await Promise.all(executions.map(settledUnits))).some((u) => u < 100n); i++) {
      if (i > 400) throw new Error("first receipts never settled");
      await sleep(100);
    }
    expect(await healthz()).to.equal(200);

    // Outage.
    await v.stop();
    v = null;
    for (let i = 0; (await healthz()) !== 503; i++) {
      if (i > 100) throw new Error("settler stayed healthy with the validator down");
      await sleep(100);
    }
    const body = (await (await fetch(settler.url + "/healthz")).json()) as { checks: Record<string, string> };
    expect(body.checks.rpc).to.match(/RPC unobservable|slot/);
    for (let n = 2; n <= 4; n++) for (const e of executions) expect((await post("/v1/receipts", receipt(e, n))).status).to.equal(202);
    for (const e of executions) expect((await post(`/v1/executions/${e}/complete`, {}, true)).status).to.equal(202);
    const sendsBefore = (await settler.store.listOutbox(["pending", "sent", "confirmed", "failed", "expired"])).reduce((a, o) => a + o.sendCount, 0);
    await sleep(2_000);
    const outbox = await settler.store.listOutbox(["pending", "sent", "confirmed", "failed", "expired"]);
    expect(outbox.reduce((a, o) => a + o.sendCount, 0), "sends during the outage").to.equal(sendsBefore);
    expect(await healthz()).to.equal(503);

    // Back on the same ledger and port.
    v = await startLocalnet({ slotMs: 100, ledger, rpcPort });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const states = await Promise.all(executions.map((e) => settler!.store.getExecution(e)));
      if (states.every((x) => x?.status === "finalized")) break;
      if (Date.now() > deadline) throw new Error(`did not catch up: ${states.map((x) => x?.status).join(",")}`);
      await sleep(200);
    }
    expect(await healthz()).to.equal(200);
    for (const e of executions) {
      const ex = await readMaybeExecution(t.client.rpc, e as never, t.deployment.programAddress);
      expect(ex!.status).to.equal(2);
      expect(ex!.segments[0]!.settledUnits).to.equal(400n);
      expect(ex!.consumed).to.equal(1600n);
    }
  });
});
