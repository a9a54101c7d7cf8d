// Deploy's retries and `arknet deploy` across versions, over RPC: buffer writes whose requests
// are lost on the way to the node are found missing on read-back and written again; the CLI
// deploys, upgrades changed bytes, and does nothing on a re-run; migrations/deploy.ts does the same.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { airdropFactory, createDefaultRpcTransport, lamports, createSolanaRpcFromTransport, createKeyPairSignerFromPrivateKeyBytes, generateKeyPairSigner, type RpcTransport } from "@solana/kit";
import { deployProgram } from "../src/deploy/loader.ts";
import { decodeLoaderAccount, programDataAddress } from "../src/deploy/loaderAccounts.ts";
import { runCli } from "../src/cli/main.ts";
import { publicKeyBytes } from "../src/receipts/sign.ts";
import { createClient, type SolanaClient } from "../src/tx/client.ts";
import { fetchDeployment } from "../src/deployment.ts";
import { createMint } from "./support/escrow.ts";
import { REPO_ROOT } from "./support/validator.ts";
import { cluster, fundedSigner, programElf, requireCluster, type TestCluster } from "./support/cluster.ts";

const MIGRATION = join(REPO_ROOT, "migrations/deploy.ts");

describe("deploy: retried writes, arknet deploy → upgrade → unchanged, migrations/deploy.ts", function () {
  let c: TestCluster;
  let dir: string;
  const elf = programElf();

  before(async function () {
    requireCluster(this);
    c = await cluster();
    dir = mkdtempSync(join(tmpdir(), "arknet-deploy-cli-"));
  });

  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** A funded wallet and its Solana CLI keypair file. */
  async function walletWithFile(name: string) {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const wallet = await createKeyPairSignerFromPrivateKeyBytes(seed);
    const walletFile = join(dir, name);
    writeFileSync(walletFile, JSON.stringify([...seed, ...publicKeyBytes(wallet.address)]));
    await airdropFactory(c.client)({ recipientAddress: wallet.address, lamports: lamports(40_000_000_000n), commitment: "confirmed" });
    return { wallet, walletFile };
  }

  async function deployedBytes(client: SolanaClient, program: string): Promise<Uint8Array> {
    const { value } = await client.rpc.getAccountInfo(await programDataAddress(program as never), { encoding: "base64" }).send();
    const decoded = decodeLoaderAccount(new Uint8Array(Buffer.from(value!.data[0], "base64")));
    if (decoded?.kind !== "programData") throw new Error("no ProgramData");
    return decoded.data;
  }

  it("re-sends buffer writes whose sendTransaction requests were lost, and deploys the exact bytes", async () => {
    // The 2nd to 4th sendTransaction requests (the first buffer writes; the 1st creates the buffer) never reach the node.
    const base = createDefaultRpcTransport({ url: c.rpcUrl });
    let sends = 0;
    const lossy: RpcTransport = (async (config: Parameters<RpcTransport>[0]) => {
      const method = (config.payload as { method?: string }).method;
      if (method === "sendTransaction" && ++sends >= 2 && sends <= 4) throw new Error("connection reset (injected)");
      return base(config);
    }) as RpcTransport;
    const client = { ...createClient(c.rpcUrl, c.wsUrl), rpc: createSolanaRpcFromTransport(lossy) } as SolanaClient;
    const authority = await fundedSigner(c.client, 20n);
    const program = await generateKeyPairSigner();
    const result = await deployProgram(client, { elf, program, authority });
    expect(result.action).to.equal("deployed");
    const chunks = Math.ceil(elf.length / result.chunkSize);
    expect(result.writes).to.equal(chunks + 3);
    expect(Buffer.from((await deployedBytes(c.client, program.address)).subarray(0, elf.length)).equals(Buffer.from(elf))).to.equal(true);
  });

  it("arknet deploy deploys, upgrades changed bytes with progress, then does nothing", async () => {
    const { wallet, walletFile } = await walletWithFile("wallet.json");

    const v1 = join(dir, "v1.so");
    const v2 = join(dir, "v2.so");
    writeFileSync(v1, elf);
    const longer = new Uint8Array(elf.length + 4096);
    longer.set(elf);
    longer[longer.length - 1] = 9; // past the ELF's sections: the loader accepts it, the bytes differ
    writeFileSync(v2, longer);
    const keypair = join(dir, "program.json");
    const deploy = async (so: string) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(["--url", c.rpcUrl, "--ws", c.wsUrl, "--keypair", walletFile, "--output", "json", "deploy", "--so", so, "--no-idl", "--program-keypair", keypair], { out: (l) => out.push(l), err: (l) => err.push(l), tty: false });
      expect(code, err.join("\n")).to.equal(0);
      return { ...JSON.parse(out.join("\n")), progress: err.join("\n") };
    };
    const first = await deploy(v1);
    expect(first.program.action).to.equal("deployed");
    const second = await deploy(v2);
    expect(second.program.action).to.equal("upgraded");
    expect(second.progress).to.match(/writing (\d+)\/\1 \(100%\)/);
    expect(second.programId).to.equal(first.programId);
    const bytes = await deployedBytes(c.client, first.programId);
    expect(bytes[longer.length - 1]).to.equal(9);
    const third = await deploy(v2);
    expect(third.program.action).to.equal("unchanged");
    expect(third.progress).to.not.match(/writing/);
  });

  it("migrations/deploy.ts (npm run deploy) deploys and initializes a deployment, then a re-run changes nothing", async () => {
    const { wallet, walletFile } = await walletWithFile("migrations-wallet.json");
    const mint = await createMint(c.client, wallet, 6);
    const so = join(dir, "migrations.so");
    writeFileSync(so, elf);
    const args = ["--url", c.rpcUrl, "--ws", c.wsUrl, "--keypair", walletFile, "--output", "json", "--so", so, "--no-idl", "--program-keypair", join(dir, "migrations-program.json"), "--mint", mint];
    // Asynchronous: the local validator may serve from this process's event loop.
    const run = () => new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, ["--import", "tsx", MIGRATION, ...args], { cwd: REPO_ROOT }, (e, out, err) => resolve({ code: e ? Number(e.code ?? -1) : 0, out, err }));
    });
    const first = await run();
    expect(first.code, first.err).to.equal(0);
    const r = JSON.parse(first.out);
    expect(r.program.action).to.equal("deployed");
    expect(r.deployment.created).to.equal(true);
    const deployment = await fetchDeployment(c.client.rpc, r.deployment.config);
    expect(deployment).to.include({ mint, programAddress: r.programId, decimals: 6 });
    const again = await run();
    expect(again.code, again.err).to.equal(0);
    expect(JSON.parse(again.out).program.action).to.equal("unchanged");
    expect(JSON.parse(again.out).deployment).to.include({ created: false, config: r.deployment.config });
  });

  it("arknet deploy on a terminal draws a progress bar over the buffer writes", async function () {
    if (!existsSync("/usr/bin/script")) this.skip(); // util-linux `script` gives the child a pseudo-terminal
    const { walletFile } = await walletWithFile("tty-wallet.json");
    const so = join(dir, "tty.so");
    writeFileSync(so, elf);
    const bin = ["--import", "tsx", join(REPO_ROOT, "sdk/src/cli/main.ts"), "--url", c.rpcUrl, "--ws", c.wsUrl, "--keypair", walletFile, "deploy", "--so", so, "--no-idl", "--program-keypair", join(dir, "tty-program.json")];
    const command = [process.execPath, ...bin].map((a) => `'${a}'`).join(" ");
    const out = await new Promise<string>((resolve, reject) => {
      execFile("/usr/bin/script", ["-qec", command, "/dev/null"], { cwd: REPO_ROOT }, (e, stdout) => (e ? reject(new Error(`${e.message}\n${stdout}`)) : resolve(stdout)));
    });
    expect(out).to.match(/writing \[[\u2588\u2591]+\] \d+\/\d+/); // cli-progress's shades_classic bar
    expect(out).to.not.match(/deploy: writing \d+\/\d+ \(/); // the plain lines are for pipes only
  });
});
