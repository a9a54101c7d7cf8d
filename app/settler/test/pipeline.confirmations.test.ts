// Confirmation without the subscription: the settler's PubSub URL points at a port where
// nothing listens, so signatureSubscribe cannot be made and every landing must be learned by
// getSignatureStatuses polling (the fallback, and the path persisted transactions take after a
// restart). The execution still settles exactly and finalizes.
import { expect } from "chai";
import { makeBuyer, makeOperator } from "./support/escrow.ts";
import { localnetFixture } from "./support/inProcess.ts";
import { freePort } from "./support/ports.ts";
import { signedReceipt } from "./support/receipts.ts";
import { expectSettledExactly, postUntil, waitFinalized } from "./support/settlement.ts";

const TOKEN = "router-token-for-poll-fallback";

describe("confirmations without signatureSubscribe (localnet over RPC): status polling lands everything", function () {
  this.timeout(120_000);
  const f = localnetFixture("settler-poll-");

  it("settles and finalizes with every outcome learned by polling", async () => {
    const { t } = f;
    const op = await makeOperator(t, 4n);
    const DEPOSIT = 2_000_000n;
    const { buyer, executions } = await makeBuyer(t, DEPOSIT, [1_000_000n]);
    const e = executions[0]!;
    const settler = await f.start(TOKEN, {
      ARKNET_WS_URL: `ws://127.0.0.1:${await freePort()}`,
      ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100",
      ARKNET_SETTLER_CONFIRM_POLL_MS: "200",
    });
    const base = [settler.url];
    await postUntil(base, `/v1/executions/${e}/segments`, { segment: 0, operator: op.account, operatorKey: op.key.address, sku: "H100" }, TOKEN, (s) => s === 202);
    for (let n = 1; n <= 3; n++) {
      const r = signedReceipt({ secret: op.seed, key: op.key.address, account: op.account }, "", e, 0, BigInt(25 * n), n);
      await postUntil(base, "/v1/receipts", { receipts: [r] }, null, (s) => s === 202);
    }
    await postUntil(base, `/v1/executions/${e}/complete`, {}, TOKEN, (s) => s === 202);
    await waitFinalized(settler.store, [e], 60_000);
    await expectSettledExactly({ t, executions: [e], segments: 1, opOf: () => op, lastUnits: () => 75n, buyer: buyer.address, deposit: DEPOSIT });
    const via = new Map((await settler.metrics.txConfirmedVia.get()).values.map((x) => [x.labels.via, x.value]));
    expect(via.get("subscription") ?? 0).to.equal(0);
    expect(via.get("poll") ?? 0).to.be.at.least(3); // assign, receipts, finalize
  });
});
