// Attack class 12 (CPI part): settling receipts through another program. A wrapper
// program could pair the escrow's settlement with a precompile instruction of its own
// choosing, or run it where the instructions sysvar does not describe the call; the
// program therefore settles only as a top-level instruction. The wrapper here is a real
// program (tests/security/cpi-forwarder, built with the escrow's toolchain) that passes
// its instruction data and accounts on to the escrow unchanged.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { AccountRole, generateKeyPairSigner, type Address, type Instruction } from "@solana/kit";
import { expectRefused } from "../support/refusals.ts";
import { expectOk } from "../support/deployment.ts";
import { world, type World } from "./support.ts";
import { PROGRAM_ID } from "../support/svm.ts";

const BUILD = fileURLToPath(new URL("./cpi-forwarder/build.sh", import.meta.url));
const SO = fileURLToPath(new URL("../../target/deploy/cpi_forwarder.so", import.meta.url));

/** `inner` (an escrow instruction) wrapped in a call to the forwarder, roles kept. */
function forwarded(forwarder: Address, inner: Instruction): Instruction {
  return {
    programAddress: forwarder,
    accounts: [{ address: PROGRAM_ID, role: AccountRole.READONLY }, ...(inner.accounts ?? [])],
    data: inner.data,
  };
}

describe("security: receipts submitted through CPI by another program", () => {
  let w: World;
  let forwarder: Address;
  before(async function () {
    this.timeout(600_000); // the first build compiles core for the BPF target
    execFileSync("bash", [BUILD], { stdio: ["ignore", "ignore", "inherit"] });
    w = await world();
    forwarder = (await generateKeyPairSigner()).address;
    w.d.svm.addProgramFromFile(forwarder, SO);
  });

  const receipt = () => w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 9_000n, seq: 2 }]);

  it("the forwarder works: a withdraw through it pays the buyer (control)", async () => {
    const before = w.d.tokens(w.buyer.tokens);
    await expectOk(w.d.send(w.buyer.wallet, [forwarded(forwarder, await w.d.withdrawIx(w.buyer, 5n))]), "withdraw through CPI");
    expect(w.d.tokens(w.buyer.tokens) - before).to.equal(5n);
  });

  it("submit_receipts through the forwarder, right after the precompile: CpiNotAllowed", async () => {
    const [pre, submit] = await receipt();
    await expectRefused(w.d.svm, w.watched, "CpiNotAllowed", () => w.d.send(w.attacker.wallet, [pre, forwarded(forwarder, submit)]));
  });

  it("submit_receipts through the forwarder after a genuine settlement of the same precompile: CpiNotAllowed", async () => {
    const [pre, submit] = await receipt();
    await expectRefused(w.d.svm, w.watched, "CpiNotAllowed", () =>
      w.d.send(w.attacker.wallet, [pre, submit, forwarded(forwarder, submit)]),
    );
  });

  it("the same receipt submitted top-level settles (control)", async () => {
    await expectOk(w.d.send(w.attacker.wallet, await receipt()), "top-level submit");
  });
});
