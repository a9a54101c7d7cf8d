// The dashboard's own logic that needs no browser: the runtime config's validation, explorer
// links per cluster, how errors are named, the eqv/hr projection.
import { expect } from "chai";
import { ArknetError, clientError } from "@arknet/escrow";
import { ConfigProblem, parseRuntimeConfig } from "../src/config/runtimeConfig.ts";
import { explorerUrl } from "../src/chain/explorer.ts";
import { describeProblem } from "../src/ui/errors.ts";
import { eqvPerHour } from "../src/pages/gpuClasses.ts";

const PROGRAM = "2MGC8hzjwH7vw1DbtjpxNLgmhfQFBPjFhGZbN2wdDPi9";

describe("dashboard runtime config, links and errors", () => {
  it("accepts a minimal config and defaults the cluster to localnet", () => {
    const c = parseRuntimeConfig({ rpcUrl: "http://127.0.0.1:8899", programAddress: PROGRAM, settlerUrl: "" });
    expect(c).to.include({ cluster: "localnet", rpcUrl: "http://127.0.0.1:8899", programAddress: PROGRAM, settlerUrl: "" });
  });

  it("names every problem of a bad config at once", () => {
    try {
      parseRuntimeConfig({ cluster: "moon", rpcUrl: "ftp://x", wsUrl: "http://y", programAddress: "not-an-address", salt: "12" });
      expect.fail("accepted a bad config");
    } catch (e) {
      expect(e).to.be.instanceOf(ConfigProblem);
      const m = (e as Error).message;
      for (const k of ["cluster", "rpcUrl", "wsUrl", "programAddress", "salt"]) expect(m).to.contain(`"${k}"`);
    }
    expect(() => parseRuntimeConfig(null)).to.throw(ConfigProblem, /not a JSON object/);
    expect(() => parseRuntimeConfig({ programAddress: PROGRAM })).to.throw(ConfigProblem, /"rpcUrl" is required/);
  });

  it("links accounts to the explorer of the chosen cluster", () => {
    expect(explorerUrl({ cluster: "mainnet-beta", rpcUrl: "" }, "address", "A")).to.equal("https://explorer.solana.com/address/A");
    expect(explorerUrl({ cluster: "devnet", rpcUrl: "" }, "tx", "S")).to.equal("https://explorer.solana.com/tx/S?cluster=devnet");
    expect(explorerUrl({ cluster: "localnet", rpcUrl: "http://127.0.0.1:8899" }, "address", "A")).to.equal(
      "https://explorer.solana.com/address/A?cluster=custom&customUrl=http%3A%2F%2F127.0.0.1%3A8899",
    );
  });

  it("names insufficient balance, a rejected signature and an unreachable RPC", () => {
    expect(describeProblem(new ArknetError("InsufficientBalance", "available 1 is below 2", { source: "client" })).kind).to.equal("insufficient-balance");
    expect(describeProblem(Object.assign(new Error("User rejected the request."), { code: 4001 })).kind).to.equal("rejected");
    expect(describeProblem(new TypeError("Failed to fetch")).kind).to.equal("rpc-down");
    expect(describeProblem(new Error("x", { cause: new TypeError("fetch failed") })).kind).to.equal("rpc-down");
    const p = describeProblem(clientError("ZeroAmount", "amount must be greater than zero"));
    expect(p).to.deep.include({ kind: "input", title: "ZeroAmount" });
    expect(describeProblem(new Error("something else")).kind).to.equal("other");
  });

  it("projects eqv/hr from the price per unit and the GPU class", () => {
    expect(eqvPerHour("H100", 2_000n)).to.equal(7_200_000);
    expect(eqvPerHour("a100", 1_500n)).to.equal(10_800_000);
    expect(eqvPerHour("FPGA9", 1n)).to.equal(null);
  });
});
