// Loader-v3 deploy over RPC against the real validator: first deployment, re-run with the
// same bytes (nothing sent), upgrade with other bytes, and refusal for a foreign authority.
import { expect } from "chai";
import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import { deployProgram, type DeployProgress } from "../src/deploy/loader.ts";
import { decodeLoaderAccount, programDataAddress } from "../src/deploy/loaderAccounts.ts";
import { isArknetError } from "../src/errors.ts";
import { cluster, fundedSigner, programElf, requireCluster, type TestCluster } from "./support/cluster.ts";

describe("deployProgram (loader-v3 over RPC)", function () {
  let c: TestCluster;
  let authority: KeyPairSigner;
  let program: KeyPairSigner;
  const elf = programElf();

  before(async function () {
    requireCluster(this);
    c = await cluster();
    authority = await fundedSigner(c.client, 50n);
    program = await generateKeyPairSigner();
  });

  async function programBytes(): Promise<Uint8Array> {
    const pd = await programDataAddress(program.address);
    const { value } = await c.client.rpc.getAccountInfo(pd, { encoding: "base64" }).send();
    const decoded = decodeLoaderAccount(new Uint8Array(Buffer.from(value!.data[0], "base64")));
    if (decoded?.kind !== "programData") throw new Error("no ProgramData");
    expect(decoded.authority).to.equal(authority.address);
    return decoded.data;
  }

  it("deploys the .so through a buffer, reporting progress", async () => {
    const seen: DeployProgress[] = [];
    const started = Date.now();
    const result = await deployProgram(c.client, { elf, program, authority, onProgress: (p) => seen.push(p) });
    expect(result.action).to.equal("deployed");
    expect(result.chunkSize).to.be.greaterThan(900);
    expect(result.writes).to.be.at.least(Math.ceil(elf.length / result.chunkSize));
    const bytes = await programBytes();
    expect(Buffer.from(bytes.subarray(0, elf.length)).equals(Buffer.from(elf))).to.equal(true);
    expect(seen.some((p) => p.phase === "write" && p.done === p.total)).to.equal(true);
    console.log(`      deployed ${elf.length} bytes in ${result.writes} writes of ${result.chunkSize} bytes, ${Date.now() - started} ms`);
  });

  it("does nothing when the same bytes are deployed again", async () => {
    const result = await deployProgram(c.client, { elf, program, authority });
    expect(result).to.include({ action: "unchanged", writes: 0 });
  });

  it("upgrades when the bytes differ, extending the program when they are longer", async () => {
    const longer = new Uint8Array(elf.length * 2 + 512);
    longer.set(elf);
    longer[longer.length - 1] = 7; // trailing bytes past the ELF's sections; the loader still accepts it
    const result = await deployProgram(c.client, { elf: longer, program, authority });
    expect(result.action).to.equal("upgraded");
    const bytes = await programBytes();
    expect(bytes.length).to.be.at.least(longer.length);
    expect(bytes[longer.length - 1]).to.equal(7);
  });

  it("refuses to upgrade with another authority, before writing anything", async () => {
    const other = await fundedSigner(c.client, 5n);
    const before = await c.client.rpc.getBalance(other.address).send();
    const changed = new Uint8Array(elf);
    changed[changed.length - 1] ^= 1;
    const err = await deployProgram(c.client, { elf: changed, program, authority: other }).catch((e) => e);
    expect(isArknetError(err, "Unauthorized"), String(err)).to.equal(true);
    const after = await c.client.rpc.getBalance(other.address).send();
    expect(after.value).to.equal(before.value);
  });
});
