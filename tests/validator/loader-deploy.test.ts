// Both builds against the real Agave 4.2.2 test validator (../shared/bin): each is deployed
// through loader-v3 and runs one whole execution over JSON-RPC, with the same compute
// units as in LiteSVM. v3 runs with every feature on (SIMD-0500 refuses v0 deployments
// there, checked too); v0 runs with SIMD-0500 deactivated, as on clusters without v3.
// Skipped, with the reason printed, where ../shared/bin is absent.
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { createKeyPairSignerFromPrivateKeyBytes, generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import {
  DISABLE_SBPF_V0_DEPLOYMENT,
  startValidator,
  unavailableReason,
  type RunningValidator,
} from "./test-validator.ts";

/** A signer from a fixed seed: the program's address is known before tests/support loads. */
function fixedSigner(label: string): Promise<KeyPairSigner> {
  const seed = createHash("sha256").update(`arknet-escrow validator test: ${label}`).digest();
  return createKeyPairSignerFromPrivateKeyBytes(new Uint8Array(seed));
}

// tests/support reads the program under test (PROGRAM_ID, ARKNET_PROGRAM_ID) once when it loads:
// point it at this test's program address first, then load them.
const program = await fixedSigner("program");
process.env.ARKNET_PROGRAM_ID = program.address;
const { liteSvmChain, rpcChain } = await import("./chains.ts");
const { deployProgram } = await import("./deploy.ts");
const { newKeys, runExecution } = await import("./execution.ts");

const so = (name: string) => fileURLToPath(new URL(`../../target/deploy/${name}`, import.meta.url));
const builds = [
  { label: "SBPF v3, every feature on", file: "arknet_escrow.so", deactivate: [] as string[] },
  { label: "SBPF v0, SIMD-0500 deactivated", file: "arknet_escrow.v0.so", deactivate: [DISABLE_SBPF_V0_DEPLOYMENT] },
];

for (const build of builds) {
  describe(`real validator (agave 4.2.2): ${build.label}`, function () {
    this.timeout(300_000);
    let validator: RunningValidator | undefined;

    before(async function () {
      const reason = unavailableReason();
      if (reason) {
        console.log(`    skipped: ${reason}`);
        this.skip();
      }
      validator = await startValidator(build.deactivate);
    });

    after(async () => {
      await validator?.stop();
    });

    it("deploys through loader-v3 and runs one execution with LiteSVM's compute units", async () => {
      const chain = rpcChain(validator!.rpc);
      const admin = await generateKeyPairSigner();
      await chain.airdrop(admin.address, 100n);
      const deployed = await deployProgram(validator!.rpc, chain, admin, program, await generateKeyPairSigner(), so(build.file));
      expect(deployed.ok, `deploy: ${deployed.error}\n${deployed.logs.join("\n")}`).to.equal(true);
      // A program deployed in one slot runs from the next.
      const slot = await validator!.rpc.getSlot({ commitment: "confirmed" }).send();
      while ((await validator!.rpc.getSlot({ commitment: "confirmed" }).send()) <= slot) await new Promise((r) => setTimeout(r, 100));

      const keys = await newKeys(admin);
      const onValidator = await runExecution(chain, keys);
      const onLiteSvm = await runExecution(await liteSvmChain(program.address, so(build.file), admin.address), keys);

      expect(onValidator.claimed > 0n, "the operator was paid").to.equal(true);
      expect(onValidator.claimed).to.equal(onLiteSvm.claimed);
      expect(onValidator.buyerTokens).to.equal(onLiteSvm.buyerTokens);
      expect(Object.keys(onValidator.cu)).to.have.length(10);
      expect(onValidator.cu, "escrow CU per step: validator vs LiteSVM").to.deep.equal(onLiteSvm.cu);
      console.log(`      CU: ${Object.entries(onValidator.cu).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    });

    if (build.deactivate.length === 0) {
      it("refuses the SBPF v0 build (SIMD-0500): why both builds exist", async () => {
        const chain = rpcChain(validator!.rpc);
        const payer = await generateKeyPairSigner();
        await chain.airdrop(payer.address, 100n);
        const other = await generateKeyPairSigner();
        const r = await deployProgram(validator!.rpc, chain, payer, other, await generateKeyPairSigner(), so("arknet_escrow.v0.so"));
        expect(r.ok, "the v0 deployment must fail").to.equal(false);
        expect(r.logs.join("\n")).to.include("Detected sbpf_version required by the executable which are not enabled");
      });
    }
  });
}
