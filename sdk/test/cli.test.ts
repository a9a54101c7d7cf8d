// The arknet CLI over RPC, in-process (runCli with captured output) plus one real process for
// the exit code: deploy then re-deploy, every role's commands on their happy path, and refusals
// that print one line, exit non-zero and send nothing.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { airdropFactory, createKeyPairSignerFromPrivateKeyBytes, lamports, type Address, type KeyPairSigner } from "@solana/kit";
import { getMintToInstruction } from "@solana-program/token";
import { runCli } from "../src/cli/main.ts";
import type { Io } from "../src/cli/io.ts";
import { assignSegment, createAssociatedTokenAccountIdempotent, submitReceipts } from "../src/flows/index.ts";
import { fetchDeployment, type Deployment } from "../src/deployment.ts";
import { signReceipt } from "../src/receipts/index.ts";
import { publicKeyBytes } from "../src/receipts/sign.ts";
import { sendInstructions } from "../src/tx/send.ts";
import { cluster, requireCluster, type TestCluster } from "./support/cluster.ts";
import { createMint } from "./support/escrow.ts";
import { freePortPair } from "./support/ports.ts";

const SO = fileURLToPath(new URL("../../target/deploy/arknet_escrow.so", import.meta.url));
const IDL = fileURLToPath(new URL("../../idl/arknet_escrow.json", import.meta.url));

interface Wallet {
  signer: KeyPairSigner;
  file: string;
}

describe("arknet CLI", function () {
  let c: TestCluster;
  let dir: string;
  let admin: Wallet, buyer: Wallet, operator: Wallet, receiptKey: Wallet, router: Wallet;
  let mint: Address;
  let programId: Address;
  let deployment: Deployment;

  async function wallet(name: string, sol = 20n): Promise<Wallet> {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const signer = await createKeyPairSignerFromPrivateKeyBytes(seed);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify([...seed, ...publicKeyBytes(signer.address)]));
    if (sol > 0n) await airdropFactory(c.client)({ recipientAddress: signer.address, lamports: lamports(sol * 1_000_000_000n), commitment: "confirmed" });
    return { signer, file };
  }

  /** Runs `arknet <args>` as `w` against the test cluster; returns exit code and output. */
  async function arknet(w: Wallet | null, ...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), tty: false };
    const globals = ["--url", c.rpcUrl, "--ws", c.wsUrl, ...(w ? ["--keypair", w.file] : ["--keypair", join(dir, "none.json")])];
    if (programId) globals.push("--program-id", programId);
    const code = await runCli([...globals, ...args], io);
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  const json = (r: { out: string }) => JSON.parse(r.out);
  const lamportsOf = async (w: Wallet) => (await c.client.rpc.getBalance(w.signer.address).send()).value;

  before(async function () {
    requireCluster(this);
    c = await cluster();
    dir = mkdtempSync(join(tmpdir(), "arknet-cli-"));
    [admin, buyer, operator, router] = await Promise.all([wallet("admin", 50n), wallet("buyer"), wallet("operator"), wallet("router")]);
    receiptKey = await wallet("receipt-key", 0n);
    mint = await createMint(c.client, admin.signer, 6);
    const ata = await createAssociatedTokenAccountIdempotent(admin.signer, buyer.signer.address, mint, "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address);
    await sendInstructions(c.client, admin.signer, [ata.instruction, getMintToInstruction({ mint, token: ata.address, mintAuthority: admin.signer, amount: 100_000_000n })]);
  });

  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("deploy: program, deployment and IDL, then nothing on a second run", async () => {
    const keypair = join(dir, "program.json");
    const first = await arknet(admin, "--output", "json", "deploy", "--so", SO, "--idl", IDL, "--program-keypair", keypair, "--mint", mint, "--router", router.signer.address);
    expect(first.code, first.err).to.equal(0);
    const r = json(first);
    expect(r.program.action).to.equal("deployed");
    expect(r.deployment.created).to.equal(true);
    expect(r.idl.action).to.equal("skipped"); // no Program Metadata program on a local validator
    expect(first.err).to.match(/writing \d+\/\d+ \(100%\)/); // progress
    programId = r.programId;
    deployment = await fetchDeployment(c.client.rpc, r.deployment.config);
    const again = json(await arknet(admin, "--output", "json", "deploy", "--so", SO, "--no-idl", "--program-keypair", keypair, "--mint", mint, "--router", router.signer.address));
    expect(again.program.action).to.equal("unchanged");
    expect(again.deployment).to.include({ created: false, config: deployment.config });
  });

  it("operator register (co-signed), admin activation, status", async () => {
    const reg = await arknet(operator, "operator", "register", "--signing-key", receiptKey.file, "--rate", "H100=0.00124", "--rate", "RTX5090=0.00061");
    expect(reg.code, reg.err).to.equal(0);
    const act = await arknet(admin, "operator", "status", operator.signer.address, "--set", "active");
    expect(act.code, act.err).to.equal(0);
    const st = await arknet(null, "operator", "status", operator.signer.address);
    expect(st.code, st.err).to.equal(0);
    expect(st.out).to.include("(active)").and.include("H100").and.include("0.00124");
  });

  let execution: Address;

  it("deposit, withdraw, reserve, top-up (amounts in token units)", async () => {
    expect((await arknet(buyer, "deposit", "20")).code).to.equal(0);
    expect((await arknet(buyer, "withdraw", "1.5")).code).to.equal(0);
    const r = await arknet(buyer, "--output", "json", "reserve", "10", "--duration", "300", "--cap", "H100=0.002");
    expect(r.code, r.err).to.equal(0);
    execution = json(r).execution;
    expect((await arknet(buyer, "top-up", execution, "2")).code).to.equal(0);
    const list = await arknet(buyer, "--output", "json", "execution", "list");
    expect(json(list).map((e: { address: string }) => e.address)).to.deep.equal([execution]);
    expect(json(list)[0].maxBurn).to.equal("12000000");
  });

  it("refuses bad input with one line, a non-zero exit and nothing sent", async () => {
    const before = await lamportsOf(buyer);
    const cases: [string[], RegExp][] = [
      [["reserve", "100", "--duration", "60"], /^error: InsufficientBalance: available balance is 6\.5, below 100$/],
      [["top-up", "11111111111111111111111111111112", "1"], /^error: AccountNotFound: /],
      [["reserve", "1", "--duration", "60", "--cap", "H 100=1"], /^error: InvalidSku: /],
      [["deposit", "1.0000001"], /^error: InvalidAmount: .*more than 6 decimals/],
      [["withdraw", "1000"], /^error: InsufficientBalance: /],
      [["finalize", "not-an-address"], /^error: InvalidInput: /],
    ];
    for (const [args, want] of cases) {
      const r = await arknet(buyer, ...args);
      expect(r.code, args.join(" ")).to.not.equal(0);
      expect(r.err.split("\n"), args.join(" ")).to.have.length(1);
      expect(r.err, args.join(" ")).to.match(want);
    }
    const badKey = join(dir, "bad.json");
    writeFileSync(badKey, "[1,2,3]");
    const r = await runCli(["--url", c.rpcUrl, "--keypair", badKey, "deposit", "1"], { out: () => {}, err: () => {}, tty: false });
    expect(r).to.equal(1);
    expect(await lamportsOf(buyer)).to.equal(before);
  });

  it("receipt sign and verify, then the bill: execution show with per-SKU totals, rate, claim, vault check", async () => {
    const op = (await arknet(null, "--output", "json", "operator", "status", operator.signer.address));
    const operatorAccount = json(op).address as Address;
    await assignSegment(c.client, deployment, { router: router.signer, execution, operator: operatorAccount, sku: "H100", maxPrice: 1_240n });
    await assignSegment(c.client, deployment, { router: router.signer, execution, operator: operatorAccount, sku: "RTX5090", maxPrice: 610n });
    const signed = await arknet(receiptKey, "receipt", "sign", "--execution", execution, "--segment", "0", "--sku", "H100", "--units", "1000", "--sequence", "1");
    expect(signed.code, signed.err).to.equal(0);
    const file = join(dir, "receipt.json");
    writeFileSync(file, signed.out);
    expect((await arknet(null, "receipt", "verify", file, "--signer", receiptKey.signer.address)).code).to.equal(0);
    const forged = JSON.parse(signed.out);
    forged.fields.cumulativeUnits = "2000";
    writeFileSync(file, JSON.stringify(forged));
    const bad = await arknet(null, "receipt", "verify", file);
    expect(bad.code).to.equal(1);
    expect(bad.err).to.match(/^error: InvalidSignature/);

    const receipts = [
      await signReceipt(receiptKey.signer, { execution, segment: 0, sku: "H100", cumulativeUnits: 1_000n, sequence: 1 }),
      await signReceipt(receiptKey.signer, { execution, segment: 1, sku: "RTX5090", cumulativeUnits: 1_000n, sequence: 1 }),
    ];
    await submitReceipts(c.client, deployment, { feePayer: router.signer, execution, receipts });
    expect((await arknet(router, "finalize", execution, "--reason", "completed")).code).to.equal(0);
    const show = await arknet(null, "execution", "show", execution, "--verify");
    expect(show.code, show.err).to.equal(0);
    expect(show.out).to.include("H100 1.24 tokens / RTX5090 0.61 tokens / total 1.85");
    expect(show.out).to.include("refund 10.15");
    expect(show.out).to.include("verified");
    expect((await arknet(buyer, "rate", execution, operatorAccount, "4")).code).to.equal(0);
    const claimed = await arknet(operator, "--output", "json", "operator", "claim");
    expect(claimed.code, claimed.err).to.equal(0);
    expect(BigInt(json(claimed).amount) > 0n).to.equal(true);
    const vault = await arknet(null, "--output", "json", "vault", "check");
    expect(vault.code, vault.err).to.equal(0);
    expect(json(vault).surplus).to.equal("0");
  });

  it("operator rates and key rotation; cancel; a second deployment (init) makes --deployment necessary", async () => {
    const rates = await arknet(operator, "operator", "rates", "--rate", "A100=0.0009", "--rate", "H100=0");
    expect(rates.code, rates.err).to.equal(0);
    const st = json(await arknet(null, "--output", "json", "operator", "status", operator.signer.address));
    expect(st.rates.find((r: { sku: string }) => r.sku === "A100").price).to.equal("900");
    expect(st.rates.find((r: { sku: string }) => r.sku === "H100").price).to.equal("0");
    const newKey = await wallet("new-key", 0n);
    const rotated = await arknet(operator, "operator", "key", "--new-key", newKey.file);
    expect(rotated.code, rotated.err).to.equal(0);
    expect(json(await arknet(null, "--output", "json", "operator", "status", operator.signer.address)).signingKey).to.equal(newKey.signer.address);

    const r = json(await arknet(buyer, "--output", "json", "reserve", "1", "--duration", "60"));
    expect((await arknet(buyer, "cancel", r.execution)).code).to.equal(0);
    const list = json(await arknet(buyer, "--output", "json", "execution", "list"));
    expect(list.find((e: { address: string }) => e.address === r.execution).status).to.equal("settled (cancelled)");

    const init = await arknet(admin, "--output", "json", "init", "--mint", mint, "--fee-bps", "100");
    expect(init.code, init.err).to.equal(0);
    const second = json(init).config;
    const ambiguous = await arknet(buyer, "execution", "list");
    expect(ambiguous.code).to.equal(1);
    expect(ambiguous.err).to.match(/^error: InvalidInput: .* has 2 deployments: choose one with --deployment/);
    const chosen = await arknet(buyer, "--deployment", second, "--output", "json", "execution", "list");
    expect(chosen.code, chosen.err).to.equal(0);
    expect(json(chosen)).to.deep.equal([]);
  });

  it("localnet: serves JSON-RPC until interrupted", async function () {
    const { spawn } = await import("node:child_process");
    const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
    const port = await freePortPair();
    const child = spawn(process.execPath, ["--import", "tsx", main, "localnet", "--rpc-port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
    // Known before the finally below, which must not wait for an exit that already happened.
    const exited = new Promise((r) => child.once("exit", r));
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    try {
      let health = "";
      for (let i = 0; i < 100 && health !== "ok"; i++) {
        await new Promise((r) => setTimeout(r, 200));
        health = await fetch(`http://127.0.0.1:${port}`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0","id":1,"method":"getHealth"}' })
          .then((r) => r.json()).then((j: any) => j.result).catch(() => "");
      }
      expect(health, `localnet on ${port}: ${stderr}`).to.equal("ok");
    } finally {
      child.kill("SIGINT");
      expect(await exited).to.equal(0);
    }
  });

  it("the bin exits non-zero with one line on a bad moniker (a real process)", () => {
    const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", main, "--url", "nowhere", "execution", "list", "--buyer", admin.signer.address], { encoding: "utf8" });
    expect(r.status).to.equal(1);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    expect(r.stderr).to.match(/^error: InvalidInput: --url/);
  });
});
