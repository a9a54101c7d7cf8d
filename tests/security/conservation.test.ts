// Conservation fuzzing in the default test run: a fixed seed and a small budget (see
// tests/fuzz/conservation.ts for the property, `npm run fuzz` for a larger budget).
import { expect } from "chai";
import { fuzzConservation } from "../fuzz/conservation.ts";

describe("security: conservation under random instruction sequences", () => {
  it("vault == Σ what the accounts owe after every step; every buyer can withdraw; every execution can be finalized", async () => {
    const stats = await fuzzConservation({ runs: 8, steps: 40, seed: 3 });
    expect(stats.steps).to.equal(320);
    // The sequences must exercise both sides: many successes and many refusals.
    const refused = [...stats.refused.values()].reduce((a, b) => a + b, 0);
    expect(stats.succeeded).to.be.greaterThan(stats.steps / 4);
    expect(refused).to.be.greaterThan(stats.steps / 10);
  });
});
