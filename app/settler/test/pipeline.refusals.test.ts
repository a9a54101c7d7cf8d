// What the program refuses, end to end on the localnet over RPC (SQLite file, in-process settler):
// - the router's own max price: an operator whose rate is above it is refused at once (409
//   RateAboveMaxPrice, nothing stored); a rate raised after the API checked it is refused by
//   the program at assign time and recorded on the segment (GET shows it, a metric counts it)
//   until the router assigns the segment again with new terms;
// - a receipt the program refuses for a permanent reason (signed with a key the operator has
//   since rotated away) sits in one batch with good receipts of two executions: the batch is
//   split, the good receipts settle, the bad one is quarantined with the reason (API, metrics)
//   and does not keep its execution from finalizing;
// - confirmations arrive through signatureSubscribe.
import { expect } from "chai";
import { readBalance, readMaybeExecution, rotateKey, setRates } from "@arknet/escrow";
import { generateKeyPairSigner } from "@solana/kit";
import { makeBuyer, makeOperator, type TestOperator } from "./support/escrow.ts";
import { localnetFixture } from "./support/inProcess.ts";
import { sleep } from "./support/fixtures.ts";
import { signedReceipt } from "./support/receipts.ts";
import { waitFinalized } from "./support/settlement.ts";

const TOKEN = "router-token-for-refusal-tests";

describe("pipeline refusals (localnet over RPC, SQLite file): max price, quarantine, signatureSubscribe", function () {
  this.timeout(180_000);
  const f = localnetFixture("settler-refusals-");

  const until = async (what: string, ok: () => Promise<boolean>, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  };

  it("refuses above the router's max price, quarantines what the program refuses, settles the rest", async () => {
    const { t } = f;
    const op1 = await makeOperator(t, 3n);
    const op2 = await makeOperator(t, 5n);
    const DEPOSIT = 10_000_000n;
    const { buyer, executions } = await makeBuyer(t, DEPOSIT, [1_000_000n, 1_000_000n]);
    const x = executions[0]!;
    const y = executions[1]!;
    const settler = await f.start(TOKEN, {
      ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100",
      ARKNET_SETTLER_CRANK_INTERVAL_MS: "300",
      // Long enough that confirmations on the localnet can only come from the subscription.
      ARKNET_SETTLER_CONFIRM_POLL_MS: "5000",
    });
    const s = settler;
    const pipeline = s.pipeline!;
    const call = async (method: string, path: string, body?: unknown, auth = true) => {
      const res = await fetch(s.url + path, {
        method,
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const assign = (e: string, segment: number, op: TestOperator, extra: Record<string, string> = {}) =>
      call("POST", `/v1/executions/${e}/segments`, { segment, operator: op.account, operatorKey: op.key.address, sku: "H100", ...extra });
    const receipt = (op: TestOperator, e: string, segment: number, units: bigint, seq: number) =>
      call("POST", "/v1/receipts", { receipts: [signedReceipt({ secret: op.seed, key: op.key.address, account: op.account }, "", e, segment, units, seq)] }, false);
    const landed = (e: string, segment: number) => async () => (await s.store.getSegment(e, segment))?.landedAt != null;
    const metric = async (line: RegExp) => Number((await (await fetch(s.url + "/metrics")).text()).match(line)?.[1] ?? 0);

    // The router's max price below the operator's rate: refused now, with the program's reason; nothing stored.
    let r = await assign(x, 0, op1, { maxPrice: "2" });
    expect(r.status).to.equal(409);
    expect(r.body.error).to.equal("RateAboveMaxPrice");
    expect((await call("GET", `/v1/executions/${x}`)).status).to.equal(404);
    expect((await assign(x, 0, op1, { maxPrice: "0" })).body.error).to.equal("InvalidRequest");
    expect((await assign(x, 0, op1, { maxPrice: "18446744073709551616" })).status).to.equal(400);

    expect((await assign(x, 0, op1, { maxPrice: "3", budget: "900000" })).body.status).to.equal("created");
    expect((await assign(y, 0, op2)).body.status).to.equal("created");
    await until("segments landed", async () => (await landed(x, 0)()) && (await landed(y, 0)()));
    const onChain = await readMaybeExecution(t.client.rpc, x, t.deployment.programAddress);
    expect(onChain!.segments[0]!.budget).to.equal(900_000n);

    // The rate rises after the API checked it: the program refuses assign_segment, the segment says why.
    await pipeline.stop();
    expect((await assign(x, 1, op2, { maxPrice: "5" })).status).to.equal(202);
    await setRates(t.client, t.deployment, { authority: op2.authority, rates: [{ sku: "H100", price: 6n }] });
    pipeline.start();
    await until("segment 1 refused", async () => (await s.store.getSegment(x, 1))?.refused != null);
    const seg1 = (await call("GET", `/v1/executions/${x}`)).body.segments[1];
    expect(seg1).to.include({ landed: false, maxPrice: "5" });
    expect(seg1.refused).to.match(/^RateAboveMaxPrice: /);
    expect(await metric(/arknet_settler_segments_refused_total\{reason="RateAboveMaxPrice"\} (\d+)/)).to.equal(1);
    expect((await assign(x, 1, op2, { maxPrice: "6" })).body.status).to.equal("updated");
    await until("segment 1 landed at the new price", landed(x, 1));

    // A receipt whose key is rotated away before it lands, batched with good ones of two executions.
    await pipeline.stop();
    expect((await receipt(op1, x, 0, 100n, 1)).status).to.equal(202);
    expect((await receipt(op2, x, 1, 50n, 1)).status).to.equal(202);
    expect((await receipt(op2, y, 0, 70n, 1)).status).to.equal(202);
    await rotateKey(t.client, t.deployment, { authority: op1.authority, newSigningKey: await generateKeyPairSigner() });
    pipeline.start();
    await until("receipts settled or quarantined", async () => {
      const st = await s.store.stats();
      return st.pendingReceipts === 0 && st.outboxInFlight === 0;
    });
    const q = await call("GET", "/v1/quarantine");
    expect(q.body.receipts).to.have.length(1);
    expect(q.body.receipts[0]).to.include({ execution: x, segment: 0, sequence: 1, cumulativeUnits: "100" });
    expect(q.body.receipts[0].reason).to.match(/^ReceiptSignerMismatch: /);
    expect((await call("GET", `/v1/executions/${x}`)).body.quarantined).to.have.length(1);
    expect(await metric(/arknet_settler_receipts_quarantined_total\{reason="ReceiptSignerMismatch"\} (\d+)/)).to.equal(1);
    expect(await metric(/arknet_settler_receipts_quarantine (\d+)/)).to.equal(1);

    // The quarantined receipt holds nothing back: both executions finalize, charged exactly the good receipts.
    for (const e of [x, y]) expect((await call("POST", `/v1/executions/${e}/complete`, {})).status).to.equal(202);
    await waitFinalized(s.store, [x, y], 60_000);
    const ex = await readMaybeExecution(t.client.rpc, x, t.deployment.programAddress);
    const ey = await readMaybeExecution(t.client.rpc, y, t.deployment.programAddress);
    if (ex) expect([ex.segments[0]!.settledUnits, ex.segments[1]!.settledUnits, ex.consumed]).to.deep.equal([0n, 50n, 300n]);
    if (ey) expect([ey.segments[0]!.settledUnits, ey.consumed]).to.deep.equal([70n, 350n]);
    expect((await readBalance(t.client.rpc, t.deployment, buyer.address))!.available).to.equal(DEPOSIT - 300n - 350n);

    // Landings were learned from signatureSubscribe (polling only after 5 s of silence).
    const pushed = await metric(/arknet_settler_tx_outcome_via_total\{via="subscription"\} (\d+)/);
    console.log(`      (${pushed} outcomes by subscription, ${await metric(/arknet_settler_tx_outcome_via_total\{via="poll"\} (\d+)/)} by polling)`);
    expect(pushed).to.be.at.least(5);
  });
});
