// The README's integration example, run as it is written (only its import is pointed at src/).
import { expect } from "chai";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateKeyPairSigner } from "@solana/kit";
import { OperatorStatus, registerOperator, setOperatorStatus } from "../src/flows/index.ts";
import { requireCluster } from "./support/cluster.ts";
import { newWallet, testDeployment } from "./support/escrow.ts";

const README = fileURLToPath(new URL("../README.md", import.meta.url));

export function readmeExample(): string {
  const m = /<!-- example -->\n```ts\n([\s\S]*?)```/.exec(readFileSync(README, "utf8"));
  if (!m) throw new Error("README.md has no example block");
  return m[1];
}

describe("README integration example", function () {
  before(function () {
    requireCluster(this);
  });

  it("is at most 20 lines and runs: deposit → reserve → receipts → finalize → bill", async () => {
    const code = readmeExample();
    expect(code.trimEnd().split("\n").length).to.be.at.most(20);
    const t = await testDeployment();
    const buyer = (await newWallet(t, 60_000_000n)).wallet;
    const authority = (await newWallet(t)).wallet;
    const key = await generateKeyPairSigner();
    const { operator } = await registerOperator(t.client, t.deployment, { authority, signingKey: key, rates: [{ sku: "H100", price: 1_500n }] });
    await setOperatorStatus(t.client, t.deployment, { admin: t.admin, operator, status: OperatorStatus.Active });
    const file = fileURLToPath(new URL(`../.readme-example-${process.pid}.ts`, import.meta.url));
    writeFileSync(file, code.replace('from "@arknet/escrow"', 'from "./src/index.ts"'));
    try {
      const { payPerExecution } = await import(file);
      const bill = await payPerExecution(t.c.rpcUrl, t.deployment.config, buyer, t.router, { operator, key });
      expect(bill.status).to.equal("final");
      expect(bill.consumed).to.equal(3_000n * 1_500n);
      expect(bill.refund).to.equal(20_000_000n - 4_500_000n);
      expect(bill.segments).to.have.length(1);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
