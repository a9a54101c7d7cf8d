// The RPC demo (examples/demo.ts) runs end to end on its own localnet and reports a verified
// bill and a conserved vault. Run once per `npm test` (in the localnet pass).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { USE_AGAVE } from "./support/cluster.ts";

describe("examples/demo.ts", function () {
  before(function () {
    if (USE_AGAVE) this.skip(); // it starts its own localnet; once per test run is enough
  });

  it("deploys through the SDK over RPC and runs a whole execution", function () {
    this.timeout(180_000);
    const demo = fileURLToPath(new URL("../examples/demo.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", demo], { encoding: "utf8", timeout: 170_000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include("settled in 2 transactions (6 + 6)");
    expect(r.stdout).to.include("rebuilds the bill from receipts and events: identical");
    expect(r.stdout).to.match(/vault ([\d.,]+) = liabilities \1: conserved/);
  });
});
