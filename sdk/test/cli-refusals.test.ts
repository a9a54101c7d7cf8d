// Every arknet subcommand's refusals over RPC: each prints exactly one line naming the reason,
// exits non-zero, and sends nothing (no wallet's lamports or tokens move). Then the Solana CLI
// conventions a real process sees: Anchor.toml (cluster, program id, deployment, wallet), the
// ~/.config/solana/id.json default, and --with-compute-unit-price on the landed transaction.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { airdropFactory, createKeyPairSignerFromPrivateKeyBytes, generateKeyPairSigner, lamports, getBase58Encoder, type Address, type KeyPairSigner, type Signature } from "@solana/kit";
import { getMintToInstruction, TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import { runCli } from "../src/cli/main.ts";
import type { Io } from "../src/cli/io.ts";
import { assignSegment, createAssociatedTokenAccountIdempotent, deposit, initialize, registerOperator, reserve, setOperatorStatus, OperatorStatus } from "../src/flows/index.ts";
import { readBalance, tokenBalance } from "../src/read/accounts.ts";
import { publicKeyBytes } from "../src/receipts/sign.ts";
import { sendInstructions } from "../src/tx/send.ts";
import { requireCluster } from "./support/cluster.ts";
import { createMint, testDeployment, type TestDeployment } from "./support/escrow.ts";
import { findAnchorToml, resolveCluster } from "../src/cli/settings.ts";
import { PROGRAM_ID } from "../src/program.ts";
import { REPO_ROOT } from "./support/validator.ts";

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
/** tsx's ESM loader by absolute URL: the child runs in a project directory outside the repo. */
const TSX = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/loader.mjs")).href;
const COMPUTE_BUDGET = "ComputeBudget111111111111111111111111111111";

interface Wallet {
  signer: KeyPairSigner;
  file: string;
  tokenAccount: Address;
}

describe("arknet CLI refusals and conventions", function () {
  let t: TestDeployment;
  let dir: string;
  let buyer: Wallet, operator: Wallet, stranger: Wallet;
  let openExecution: Address;
  let operatorAccount: Address;

  /** A seed-based wallet written as a Solana CLI keypair file, with SOL and `tokens` in its token account. */
  async function wallet(name: string, tokens = 0n, file = join(dir, `${name}.json`)): Promise<Wallet> {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const signer = await createKeyPairSignerFromPrivateKeyBytes(seed);
    writeFileSync(file, JSON.stringify([...seed, ...publicKeyBytes(signer.address)]));
    await airdropFactory(t.client)({ recipientAddress: signer.address, lamports: lamports(5_000_000_000n), commitment: "confirmed" });
    const ata = await createAssociatedTokenAccountIdempotent(t.admin, signer.address, t.deployment.mint, TOKEN_PROGRAM_ADDRESS);
    const ixs = [ata.instruction];
    if (tokens > 0n) ixs.push(getMintToInstruction({ mint: t.deployment.mint, token: ata.address, mintAuthority: t.admin, amount: tokens }));
    await sendInstructions(t.client, t.admin, ixs);
    return { signer, file, tokenAccount: ata.address };
  }

  async function arknet(w: Wallet | string, ...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), tty: false };
    const keypair = typeof w === "string" ? w : w.file;
    const globals = ["--url", t.c.rpcUrl, "--ws", t.c.wsUrl, "--keypair", keypair, "--program-id", t.programId, "--deployment", t.deployment.config];
    const code = await runCli([...globals, ...args], io);
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  /** Lamports, wallet tokens and escrow balance of every wallet: equal before and after means nothing was sent. */
  async function snapshot(): Promise<string> {
    const rows = [];
    for (const w of [buyer, operator, stranger]) {
      const lamports = (await t.client.rpc.getBalance(w.signer.address).send()).value;
      const escrow = (await readBalance(t.client.rpc, t.deployment, w.signer.address))?.available ?? 0n;
      rows.push(`${lamports}/${await tokenBalance(t.client.rpc, w.tokenAccount)}/${escrow}`);
    }
    return rows.join(" ");
  }

  before(async function () {
    requireCluster(this);
    t = await testDeployment();
    dir = mkdtempSync(join(tmpdir(), "arknet-cli-refusals-"));
    [buyer, operator, stranger] = [await wallet("buyer", 10_000_000n), await wallet("operator"), await wallet("stranger")];
    await deposit(t.client, t.deployment, { depositor: buyer.signer, amount: 3_000_000n });
    const key = await generateKeyPairSigner();
    operatorAccount = (await registerOperator(t.client, t.deployment, { authority: operator.signer, signingKey: key, rates: [{ sku: "H100", price: 10n }] })).operator;
    await setOperatorStatus(t.client, t.deployment, { admin: t.admin, operator: operatorAccount, status: OperatorStatus.Active });
    openExecution = (await reserve(t.client, t.deployment, { buyer: buyer.signer, maxBurn: 1_000_000n, durationSecs: 600n })).execution;
    await assignSegment(t.client, t.deployment, { router: t.router, execution: openExecution, operator: operatorAccount, sku: "H100", maxPrice: 10n });
  });

  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("every subcommand refuses bad input with one line and a non-zero exit, sending nothing", async () => {
    const unknown = "11111111111111111111111111111112"; // a valid address with no account
    const malformed = join(dir, "malformed.json");
    writeFileSync(malformed, "[1,2,3]");
    const missing = join(dir, "missing.json");
    const notElf = join(dir, "not-elf.so");
    writeFileSync(notElf, "hello");
    const cases: [Wallet | string, string[], RegExp][] = [
      // malformed or missing key files, before any request
      [malformed, ["deposit", "1"], /^error: InvalidKeypair: .*not a Solana keypair file/],
      [missing, ["reserve", "1", "--duration", "60"], /^error: InvalidKeypair: .*does not exist/],
      [operator, ["operator", "register", "--signing-key", malformed], /^error: InvalidKeypair: /],
      [operator, ["operator", "key", "--new-key", missing], /^error: InvalidKeypair: /],
      [buyer, ["receipt", "sign", "--execution", openExecution, "--segment", "0", "--sku", "H100", "--units", "1", "--sequence", "1", "--signing-key", malformed], /^error: InvalidKeypair: /],
      // insufficient balance (wallet tokens, escrow balance, claimable), in token units
      [buyer, ["deposit", "100"], /^error: InsufficientBalance: the wallet's token balance is 7, below 100$/],
      [buyer, ["withdraw", "2.5"], /^error: InsufficientBalance: available balance is 2, below 2\.5$/],
      [buyer, ["reserve", "2.000001", "--duration", "60"], /^error: InsufficientBalance: available balance is 2, below 2\.000001$/],
      [buyer, ["reserve", "8", "--duration", "60", "--from-wallet"], /^error: InsufficientBalance: the wallet's token balance is 7, below 8$/],
      [buyer, ["top-up", openExecution, "3"], /^error: InsufficientBalance: /],
      [operator, ["operator", "claim"], /^error: ZeroAmount: nothing to claim$/],
      [operator, ["operator", "claim", "1"], /^error: InsufficientClaimable: claimable is 0, below 1$/],
      // unknown SKU codes (not 1–8 printable ASCII characters)
      [buyer, ["reserve", "1", "--duration", "60", "--cap", "H 100=1"], /^error: InvalidSku: /],
      [operator, ["operator", "rates", "--rate", "WAY-TOO-LONG=1"], /^error: InvalidSku: /],
      [operator, ["operator", "register", "--signing-key", buyer.file, "--rate", "=1"], /^error: InvalidInput: /],
      [buyer, ["receipt", "sign", "--execution", openExecution, "--segment", "0", "--sku", "", "--units", "1", "--sequence", "1"], /^error: InvalidSku: /],
      // unknown accounts
      [buyer, ["top-up", unknown, "1"], /^error: AccountNotFound: /],
      [buyer, ["finalize", unknown], /^error: AccountNotFound: /],
      [buyer, ["cancel", unknown], /^error: AccountNotFound: /],
      [buyer, ["rate", unknown, operatorAccount, "5"], /^error: AccountNotFound: /],
      [buyer, ["execution", "show", unknown], /^error: AccountNotFound: /],
      [buyer, ["operator", "status", unknown], /^error: AccountNotFound: .*not a registered operator/],
      [stranger, ["operator", "rates", "--rate", "H100=1"], /^error: /],
      [stranger, ["operator", "claim"], /^error: AccountNotFound: /],
      // bad arguments and refusals by the program's rules, caught by simulation
      [buyer, ["rate", openExecution, operatorAccount, "6"], /^error: InvalidInput: STARS: 6 is out of range 1\.\.5$/],
      [buyer, ["rate", openExecution, operatorAccount, "5"], /^error: OperatorNotPaid: /],
      [buyer, ["cancel", openExecution], /^error: \w+: /], // has a segment: only finalize ends it now
      [stranger, ["finalize", openExecution, "--reason", "completed"], /^error: \w+: /],
      [buyer, ["finalize", openExecution, "--reason", "bored"], /^error: InvalidEndReason: /],
      [buyer, ["execution", "list", "--buyer", "nope"], /^error: InvalidInput: --buyer/],
      [stranger, ["operator", "status", operator.signer.address, "--set", "active"], /^error: Unauthorized: /],
      [buyer, ["operator", "status", operator.signer.address, "--set", "retired"], /^error: (InvalidInput|Unauthorized): /],
      [buyer, ["init", "--mint", t.deployment.mint], /^error: InvalidProgramData: /], // only the upgrade authority initializes
      [buyer, ["init", "--mint", "not-a-mint"], /^error: InvalidInput: --mint/],
      [buyer, ["init", "--mint", t.deployment.mint, "--fee-bps", "1001"], /^error: InvalidInput: --fee-bps/],
      [buyer, ["deploy", "--so", join(dir, "absent.so"), "--no-idl"], /^error: InvalidInput: .*does not exist/],
      [buyer, ["deploy", "--so", notElf, "--no-idl"], /^error: InvalidInput: .*not an ELF file/],
      [buyer, ["receipt", "verify", missing], /^error: InvalidInput: cannot read/],
      [buyer, ["localnet", "--rpc-port", "eighty"], /^error: InvalidInput: --rpc-port/],
      [buyer, ["--deployment", unknown, "vault", "check"], /^error: AccountNotFound: /],
      [buyer, ["--output", "yaml", "execution", "list"], /^error: InvalidInput: --output/],
      [buyer, ["--with-compute-unit-price", "1.5", "deposit", "1"], /^error: InvalidInput: --with-compute-unit-price/],
      [buyer, ["deposit", "-1"], /^error: InvalidAmount: /],
    ];
    const before = await snapshot();
    const failures: string[] = [];
    for (const [w, args, want] of cases) {
      const r = await arknet(w, ...args);
      const lines = r.err.split("\n");
      if (r.code === 0 || lines.length !== 1 || !want.test(r.err) || r.out !== "") {
        failures.push(`arknet ${args.join(" ")} → exit ${r.code}, stderr ${JSON.stringify(r.err)}, stdout ${JSON.stringify(r.out)}`);
      }
    }
    expect(failures, failures.join("\n")).to.deep.equal([]);
    expect(await snapshot()).to.equal(before);
  });

  it("a real process reads Anchor.toml (cluster, program id, deployment, wallet) and defaults to ~/.config/solana/id.json", async () => {
    const project = join(dir, "project");
    const home = join(dir, "home");
    mkdirSync(join(home, ".config/solana"), { recursive: true });
    mkdirSync(project);
    const defaultWallet = await wallet("default", 5_000_000n, join(home, ".config/solana/id.json"));
    const tomlWallet = await wallet("toml-wallet", 5_000_000n, join(project, "toml-wallet.json"));
    const toml = (withWallet: boolean) => [
      "[provider]", `cluster = "${t.c.rpcUrl}"`, ...(withWallet ? ['wallet = "toml-wallet.json"'] : []),
      "[programs.localnet]", `arknet_escrow = "${t.programId}"`,
      "[deployments]", `localnet = "${t.deployment.config}"`,
    ].join("\n");
    // Asynchronous: the local validator serves from this process's event loop.
    const run = (...args: string[]) => new Promise<{ status: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ["--import", TSX, MAIN, "--ws", t.c.wsUrl, "--output", "json", ...args], { cwd: project, env: { ...withoutDeploymentEnv(), HOME: home } }, (e, _out, stderr) =>
        resolve({ status: e ? (typeof e.code === "number" ? e.code : -1) : 0, stderr }));
    });

    writeFileSync(join(project, "Anchor.toml"), toml(true));
    const viaToml = await run("deposit", "1.25");
    expect(viaToml.status, viaToml.stderr).to.equal(0);
    expect((await readBalance(t.client.rpc, t.deployment, tomlWallet.signer.address))!.available).to.equal(1_250_000n);

    writeFileSync(join(project, "Anchor.toml"), toml(false));
    const viaDefault = await run("deposit", "2");
    expect(viaDefault.status, viaDefault.stderr).to.equal(0);
    expect((await readBalance(t.client.rpc, t.deployment, defaultWallet.signer.address))!.available).to.equal(2_000_000n);

    // Without Anchor.toml's program id the IDL's program (not deployed here) has no deployment.
    writeFileSync(join(project, "Anchor.toml"), `[provider]\ncluster = "${t.c.rpcUrl}"\n`);
    const noProgram = await run("execution", "list");
    expect(noProgram.status).to.equal(1);
    expect(noProgram.stderr.trim()).to.match(/^error: AccountNotFound: program \w+ has no deployment/);
  });

  it("the root Anchor.toml is real configuration: scripts.test is the README's test command, program ids are the IDL's", () => {
    const toml = findAnchorToml(REPO_ROOT)!;
    expect(toml.path).to.equal(join(REPO_ROOT, "Anchor.toml"));
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const testCommand = /^ {4}(npm test[^#\n]*?)\s+#/m.exec(readme)?.[1];
    expect(testCommand, "README's test command").to.be.a("string");
    expect(toml.scripts?.test).to.equal(testCommand);
    expect(toml.provider).to.include({ cluster: "localnet", wallet: "~/.config/solana/id.json" });
    for (const name of ["localnet", "devnet", "mainnet"]) expect(toml.programs?.[name]?.arknet_escrow, name).to.equal(PROGRAM_ID);
  });

  it("--url monikers name the Solana clusters; anything else must be an http(s) URL", () => {
    expect(resolveCluster("localnet", null)).to.deep.equal({ cluster: "localnet", url: "http://127.0.0.1:8899" });
    expect(resolveCluster("devnet", null)).to.deep.equal({ cluster: "devnet", url: "https://api.devnet.solana.com" });
    expect(resolveCluster("mainnet-beta", null)).to.deep.equal({ cluster: "mainnet-beta", url: "https://api.mainnet-beta.solana.com" });
    expect(resolveCluster(undefined, { path: "Anchor.toml", provider: { cluster: "mainnet" } }).url).to.equal("https://api.mainnet-beta.solana.com");
    expect(resolveCluster("https://rpc.example.com", null)).to.deep.equal({ cluster: "custom", url: "https://rpc.example.com" });
    expect(() => resolveCluster("ftp://x", null)).to.throw(/not http/);
  });

  it("amounts are in token units with the deployment mint's decimals (a 2-decimal mint)", async () => {
    const cents = await createMint(t.client, t.admin, 2);
    const ata = await createAssociatedTokenAccountIdempotent(t.admin, buyer.signer.address, cents, TOKEN_PROGRAM_ADDRESS);
    await sendInstructions(t.client, t.admin, [ata.instruction, getMintToInstruction({ mint: cents, token: ata.address, mintAuthority: t.admin, amount: 1_000n })]);
    const { deployment: d } = await initialize(t.client, {
      admin: t.admin, programAddress: t.programId, mint: cents, router: t.router.address,
      feeBps: 0, expiryGraceSecs: 60n, settlementWindowSecs: 30n, minDurationSecs: 1n, reviewWindowSecs: 60n,
    });
    const config = d.config;
    const deposited = await arknet(buyer, "--deployment", config, "deposit", "1.25");
    expect(deposited.code, deposited.err).to.equal(0);
    expect(deposited.out).to.include("Deposited 1.25");
    expect(d.decimals).to.equal(2);
    expect((await readBalance(t.client.rpc, d, buyer.signer.address))!.available).to.equal(125n);
    const tooPrecise = await arknet(buyer, "--deployment", config, "deposit", "0.125");
    expect(tooPrecise.code).to.equal(1);
    expect(tooPrecise.err).to.match(/^error: InvalidAmount: .*more than 2 decimals$/);
    expect(await tokenBalance(t.client.rpc, ata.address)).to.equal(875n);
  });

  it("--with-compute-unit-price puts the priority fee and the simulated compute-unit limit on the landed transaction", async () => {
    const r = await arknet(buyer, "--output", "json", "--with-compute-unit-price", "4321", "deposit", "0.5");
    expect(r.code, r.err).to.equal(0);
    const signature = JSON.parse(r.out).signature as Signature;
    const tx = await t.client.rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
    const msg = tx!.transaction.message;
    const budget = msg.instructions
      .filter((ix) => msg.accountKeys[ix.programIdIndex] === COMPUTE_BUDGET)
      .map((ix) => Buffer.from(getBase58Encoder().encode(ix.data)));
    const price = budget.find((d) => d[0] === 3);
    const limit = budget.find((d) => d[0] === 2);
    expect(price?.readBigUInt64LE(1)).to.equal(4321n);
    const consumed = Number(tx!.meta!.computeUnitsConsumed);
    expect(limit!.readUInt32LE(1)).to.be.within(consumed, Math.ceil(consumed * 1.1) + 10);
    expect(BigInt(tx!.meta!.fee)).to.equal(5000n + BigInt(Math.ceil((limit!.readUInt32LE(1) * 4321) / 1_000_000)));
  });
});

function withoutDeploymentEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ARKNET_DEPLOYMENT;
  return env;
}
