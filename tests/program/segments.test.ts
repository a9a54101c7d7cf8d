// assign_segment: only the execution's router may name the next segment's operator and
// SKU; the operator must be active and offer the SKU, and the price it pins is bounded by
// the max price the router agreed to and by the buyer's cap. Refusals leave the execution
// byte-for-byte unchanged.
import { expect } from "chai";
import { Deployment, expectOk, type Buyer, type Operator } from "../support/deployment.ts";
import { expectRefused } from "../support/refusals.ts";
import { fundedSigner } from "../support/svm.ts";
import { encodeSku } from "@arknet/escrow";
import { eventOf } from "../support/events.ts";
import { unsigned } from "../support/mutate.ts";

describe("assign_segment", () => {
  let d: Deployment;
  let buyer: Buyer;
  let alpha: Operator; // H100 at 40, A100 at 25
  let execution: Awaited<ReturnType<Deployment["reserve"]>>["execution"];

  beforeEach(async () => {
    d = await Deployment.create();
    buyer = await d.newBuyer(1_000_000n);
    alpha = await d.newOperator({ H100: 40n, A100: 25n });
    await d.deposit(buyer, 100_000n);
    ({ execution } = await d.reserve(buyer, 1n, 100_000n, { priceCaps: [{ sku: "H100", maxPrice: 45n }] }));
  });

  it("assigns the next segment, pins the operator's current price and counts it on the operator", async () => {
    const r = await d.assign(execution, 0, alpha, "H100", { maxPrice: 40n, budget: 7_000n });
    const e = d.account("Execution", execution);
    expect(e.segmentCount).to.equal(1);
    expect(e.segments[0]).to.deep.equal({
      operator: alpha.address,
      sku: encodeSku("H100"),
      price: 40n,
      budget: 7_000n,
      settledUnits: 0n,
      charged: 0n,
      lastSeq: 0,
      rateIndex: 0,
      rating: 0,
      padding: new Uint8Array(2),
    });
    expect(eventOf(r, "SegmentAssigned")).to.deep.equal({
      execution,
      segmentIndex: 0,
      operator: alpha.address,
      sku: encodeSku("H100"),
      price: 40n,
      budget: 7_000n,
    });
    expect(d.account("Operator", alpha.address).segmentsAssigned).to.equal(1n);
    await d.assign(execution, 1, alpha, "A100");
    expect(d.account("Execution", execution).segments[1]).to.include({ operator: alpha.address, price: 25n, rateIndex: 1 });
    expect(d.account("Operator", alpha.address).segmentsAssigned).to.equal(2n);
  });

  it("refuses a rate raised above the price the router agreed to (RateAboveMaxPrice): no last-second raise", async () => {
    // The router chose alpha at 40; alpha raises to 44 (still under the buyer's cap of 45)
    // before the assignment lands.
    await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "H100", 44n)]), "raise");
    await expectRefused(d.svm, [execution, alpha.address], "RateAboveMaxPrice", () =>
      d.send(d.router, [d.assignIx(execution, 0, alpha, "H100", d.router, { maxPrice: 40n })]),
    );
    // Without a buyer cap the raise would have pinned anything: still refused.
    await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "A100", 1_000_000n)]), "raise A100");
    await expectRefused(d.svm, [execution, alpha.address], "RateAboveMaxPrice", () =>
      d.send(d.router, [d.assignIx(execution, 0, alpha, "A100", d.router, { maxPrice: 25n })]),
    );
    // A lower rate than agreed pins the lower rate.
    await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "H100", 30n)]), "lower");
    await d.assign(execution, 0, alpha, "H100", { maxPrice: 40n });
    expect(d.account("Execution", execution).segments[0].price).to.equal(30n);
  });

  it("refuses an operator of another deployment (WrongDeployment)", async () => {
    const other = await Deployment.create({ svm: d.svm, admin: d.admin });
    const foreign = await other.newOperator({ H100: 1n });
    await expectRefused(d.svm, [execution, foreign.address], "WrongDeployment", () =>
      d.send(d.router, [d.assignIx(execution, 0, foreign, "H100")]),
    );
  });

  it("refuses a withdrawn SKU (SkuNotOffered)", async () => {
    await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "H100", 0n)]), "withdraw H100");
    await expectRefused(d.svm, [execution], "SkuNotOffered", () => d.send(d.router, [d.assignIx(execution, 0, alpha, "H100")]));
  });

  it("refuses a signer that is not the execution's router (WrongRouter)", async () => {
    const stranger = await fundedSigner(d.svm);
    await expectRefused(d.svm, [execution], "WrongRouter", () =>
      d.send(stranger, [d.assignIx(execution, 0, alpha, "H100", stranger)]),
    );
    // Not even the buyer.
    await expectRefused(d.svm, [execution], "WrongRouter", () =>
      d.send(buyer.wallet, [d.assignIx(execution, 0, alpha, "H100", buyer.wallet)]),
    );
  });

  it("refuses the router's address without its signature (MissingSigner)", async () => {
    await expectRefused(d.svm, [execution], "MissingSigner", () =>
      d.send(buyer.wallet, [unsigned(d.assignIx(execution, 0, alpha, "H100"), d.router.address)]),
    );
  });

  it("keeps the router of the reservation after set_router", async () => {
    const newRouter = await fundedSigner(d.svm);
    await expectOk(d.send(d.admin, [d.setRouterIx(newRouter.address)]), "set router");
    await expectRefused(d.svm, [execution], "WrongRouter", () =>
      d.send(newRouter, [d.assignIx(execution, 0, alpha, "H100", newRouter)]),
    );
    await d.assign(execution, 0, alpha, "H100");
    // Executions reserved from now on are the new router's.
    await d.deposit(buyer, 1_000n);
    const { execution: later } = await d.reserve(buyer, 2n, 1_000n);
    expect(d.account("Execution", later).router).to.equal(newRouter.address);
    await expectOk(d.send(newRouter, [d.assignIx(later, 0, alpha, "H100", newRouter)]), "new router assigns");
  });

  it("only accepts the next index (InvalidSegmentIndex)", async () => {
    await expectRefused(d.svm, [execution], "InvalidSegmentIndex", () =>
      d.send(d.router, [d.assignIx(execution, 1, alpha, "H100")]),
    );
    await d.assign(execution, 0, alpha, "H100");
    // Segment 0 cannot be reassigned.
    await expectRefused(d.svm, [execution], "InvalidSegmentIndex", () =>
      d.send(d.router, [d.assignIx(execution, 0, alpha, "A100")]),
    );
  });

  it("refuses a pending or suspended operator (OperatorNotActive)", async () => {
    const pending = await d.newOperator({ H100: 30n }, false);
    await expectRefused(d.svm, [execution, pending.address], "OperatorNotActive", () =>
      d.send(d.router, [d.assignIx(execution, 0, pending, "H100")]),
    );
    await expectOk(d.send(d.admin, [d.setStatusIx(alpha, 2)]), "suspend");
    await expectRefused(d.svm, [execution, alpha.address], "OperatorNotActive", () =>
      d.send(d.router, [d.assignIx(execution, 0, alpha, "H100")]),
    );
  });

  it("refuses a SKU the operator does not offer (SkuNotOffered)", async () => {
    await expectRefused(d.svm, [execution], "SkuNotOffered", () =>
      d.send(d.router, [d.assignIx(execution, 0, alpha, "RTX5090")]),
    );
  });

  it("refuses a rate above the buyer's cap for that SKU (PriceAboveCap); at the cap is fine", async () => {
    await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "H100", 46n)]), "raise rate");
    await expectRefused(d.svm, [execution], "PriceAboveCap", () =>
      d.send(d.router, [d.assignIx(execution, 0, alpha, "H100")]),
    );
    await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "H100", 45n)]), "rate at the cap");
    await d.assign(execution, 0, alpha, "H100");
    expect(d.account("Execution", execution).segments[0].price).to.equal(45n);
    // A SKU without a cap takes any price.
    await expectOk(d.send(alpha.authority, [d.setRateIx(alpha, "A100", 1_000_000n)]), "uncapped SKU");
    await d.assign(execution, 1, alpha, "A100");
    expect(d.account("Execution", execution).segments[1].price).to.equal(1_000_000n);
  });

  it("stops at 16 segments (TooManySegments)", async () => {
    for (let i = 0; i < 16; i += 1) await d.assign(execution, i, alpha, i % 2 ? "A100" : "H100");
    expect(d.account("Execution", execution).segmentCount).to.equal(16);
    await expectRefused(d.svm, [execution], "TooManySegments", () =>
      d.send(d.router, [d.assignIx(execution, 16, alpha, "H100")]),
    );
  });

  it("refuses a settled execution (ExecutionSettled)", async () => {
    await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer)]), "finalize");
    await expectRefused(d.svm, [execution], "ExecutionSettled", () =>
      d.send(d.router, [d.assignIx(execution, 0, alpha, "H100")]),
    );
  });
});
