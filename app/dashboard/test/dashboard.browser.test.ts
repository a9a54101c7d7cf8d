// The dashboard in Debian's Chromium (playwright-core, headless) against the real stack: the
// settler serves the built dashboard and its /config.json, app/localnet runs the escrow .so.
// A buyer deposits, reserves, watches the burn meter move as signed receipts land through the
// settler, sees the bill and refund; the operator claims; a Wallet Standard wallet signs (and
// rejects); cancel, withdraw and finalize-after-expiry; the auditor's vault check is green, and
// red once tokens reach the vault outside the program; the RPC-down state.
// Screenshots of every page go to test-artifacts/ (gitignored).
import { expect } from "chai";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { associatedTokenAccount, decodeSku, readOperatorAt, reputationScore, sendInstructions, signReceipt, tokenBalance } from "@arknet/escrow";
import { getMintToInstruction } from "@solana-program/token";
import type { Address } from "@solana/kit";
import { ROUTER_TOKEN, knownKey, startStack, type Stack } from "./support/stack.ts";
import { registerTestWallet } from "./support/testWallet.ts";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PRICE = 2_000n; // base units per work unit (0.002 tokens at 6 decimals)
const MAX_BURN = 40_000_000n; // 40 tokens
const toBase64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

describe("dashboard in a real browser (Chromium, localnet, settler)", function () {
  this.timeout(120_000);
  let stack: Stack;
  let browser: Browser;
  let base: string;

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack(PRICE);
    base = stack.settler.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  // A failing test leaves a picture of every page it had open.
  afterEach(async function () {
    if (this.currentTest?.state !== "failed") return;
    let i = 0;
    for (const c of browser?.contexts() ?? []) for (const p of c.pages()) await p.screenshot({ path: `${ARTIFACTS}failed-${i++}.png`, fullPage: true }).catch(() => {});
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
  const units = (page: Page, testId: string) => page.getByTestId(testId).first().getAttribute("data-units").then((u) => BigInt(u ?? "-1"));
  const post = (path: string, body: unknown, auth = false) =>
    fetch(base + path, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${ROUTER_TOKEN}` } : {}) }, body: JSON.stringify(body) });
  const sendReceipt = async (execution: Address, cumulativeUnits: bigint, sequence: number) => {
    const r = await signReceipt(stack.operator.nodeSeed, { execution, segment: 0, sku: "H100", cumulativeUnits, sequence });
    const res = await post("/v1/receipts", { receipts: [{ execution, signer: r.signer, message: toBase64(r.message), signature: toBase64(r.signature) }] });
    expect(res.status, await res.text()).to.equal(202);
  };

  it("buyer: deposit, reserve, live burn meter, bill and refund", async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}/#/buyer`);
    await expect(await page.getByTestId("cluster").textContent()).to.contain("localnet");
    await page.getByText("Connect a wallet").waitFor();
    await page.getByTestId("use-dev-wallet").click();
    await page.getByTestId("faucet").click();
    await page.locator('[data-action-state="done"]', { hasText: "faucet" }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="wallet-tokens"]')?.getAttribute("data-units") === "1000000000");

    await page.getByTestId("deposit-form").locator("input").fill("100");
    await page.getByTestId("deposit-form").getByRole("button").click();
    await page.locator('[data-action-state="done"]', { hasText: "deposit" }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="available"]')?.getAttribute("data-units") === "100000000");

    // Fails closed: a reservation above the available balance is refused before signing.
    await page.getByTestId("reserve-form").locator('input[name="reserve"]').fill("150");
    await page.getByTestId("reserve-form").getByRole("button").click();
    await page.locator('[data-error-kind="insufficient-balance"]').waitFor();
    expect(await units(page, "available")).to.equal(100_000_000n);

    await page.getByTestId("reserve-form").locator('input[name="reserve"]').fill("40");
    await page.getByTestId("reserve-form").getByRole("button").click();
    await page.locator('[data-action-state="done"]', { hasText: "reserve" }).waitFor();
    const row = page.getByTestId("execution").first();
    await row.waitFor();
    const execution = (await row.getAttribute("data-address")) as Address;
    await page.waitForFunction(() => document.querySelector('[data-testid="reserved"]')?.getAttribute("data-units") === "40000000");
    expect(await units(page, "available")).to.equal(60_000_000n);
    expect(await row.getByTestId("burn-meter").getAttribute("data-consumed")).to.equal("0");
    await shot(page, "buyer-reserved");

    // The router assigns the operator through the settler; the GPU node streams receipts.
    const seg = await post(`/v1/executions/${execution}/segments`, { segment: 0, operator: stack.operator.account, operatorKey: stack.operator.nodeKey.address, sku: "H100" }, true);
    expect(seg.status, await seg.text()).to.equal(202);
    const consumedIs = (v: bigint) =>
      page.waitForFunction((want) => document.querySelector('[data-testid="execution"] [data-testid="burn-meter"]')?.getAttribute("data-consumed") === want, v.toString(), { timeout: 30_000 });
    await sendReceipt(execution, 3_000n, 1);
    await consumedIs(3_000n * PRICE);
    await shot(page, "buyer-burning");
    await sendReceipt(execution, 7_500n, 2);
    await consumedIs(7_500n * PRICE);

    // The router completes; the settler finalizes; the bill is final with the refund.
    const done = await post(`/v1/executions/${execution}/complete`, {}, true);
    expect(done.status, await done.text()).to.equal(202);
    await page.waitForFunction(() => document.querySelector('[data-testid="execution"]')?.getAttribute("data-status") === "settled", undefined, { timeout: 30_000 });
    await row.getByTestId("settler-progress").filter({ hasText: "7500 units accepted, 7500 settled" }).waitFor();
    expect(await page.getByTestId("settler-health").textContent()).to.equal("settler ok");
    await row.getByTestId("toggle-bill").click();
    const bill = row.getByTestId("bill");
    await bill.and(page.locator('[data-status="final"]')).waitFor();
    expect(await bill.getByTestId("bill-segment").count()).to.equal(1);
    const consumed = 7_500n * PRICE;
    expect(await units(page, "bill-consumed")).to.equal(consumed);
    expect(await units(page, "bill-refund")).to.equal(MAX_BURN - consumed);
    expect(await units(page, "bill-segment-tokens")).to.equal(consumed);
    await page.waitForFunction((want) => document.querySelector('[data-testid="available"]')?.getAttribute("data-units") === want, (100_000_000n - consumed).toString());
    expect(await units(page, "reserved")).to.equal(0n);

    // Rate the operator of the settled execution.
    await row.getByTestId("rate").click();
    await page.locator('[data-action-state="done"]', { hasText: "rate" }).waitFor();
    expect((await readOperatorAt(stack.escrow.client.rpc, stack.operator.account)).ratingCount).to.equal(1n);
    await shot(page, "buyer-bill");
    expect(errors).to.deep.equal([]);
  });

  it("operator: earnings chart, reputation, claim, rate card", async () => {
    const context = await browser.newContext();
    await context.addInitScript((secret) => localStorage.setItem("arknet.devWallet", secret), JSON.stringify(stack.operator.secret));
    const page = await context.newPage();
    await page.goto(`${base}/#/operator`);
    await page.getByTestId("operator-status").filter({ hasText: "active" }).waitFor();
    const before = await readOperatorAt(stack.escrow.client.rpc, stack.operator.account);
    expect(before.claimable > 0n).to.equal(true);
    expect(await units(page, "claimable")).to.equal(before.claimable);
    await page.getByTestId("earnings-chart").locator('polyline[data-sku="H100"]').waitFor();
    expect(await page.getByTestId("reputation").getAttribute("data-score")).to.equal(reputationScore(before).score.toString());
    await shot(page, "operator-before-claim");

    await page.getByTestId("claim").click();
    await page.locator('[data-action-state="done"]', { hasText: "claim" }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="claimable"]')?.getAttribute("data-units") === "0");
    expect(await units(page, "claimed")).to.equal(before.claimable);
    const ata = await associatedTokenAccount(stack.operator.authority.address, stack.escrow.deployment.mint, stack.escrow.deployment.tokenProgram);
    expect(await tokenBalance(stack.escrow.client.rpc, ata)).to.equal(before.claimable);
    await shot(page, "operator-claimed");

    // Rate card: reprice H100 and offer A100 in one transaction.
    await page.getByLabel("H100 new price").fill("0.0025");
    await page.getByLabel("new SKU", { exact: true }).fill("A100");
    await page.getByLabel("new SKU price").fill("0.0015");
    await page.getByTestId("save-rates").click();
    await page.locator('[data-action-state="done"]', { hasText: "set rates" }).waitFor();
    await page.getByTestId("rate-card").locator('tr[data-sku="A100"]').waitFor();
    const after = await readOperatorAt(stack.escrow.client.rpc, stack.operator.account);
    expect(after.rates.slice(0, after.rateCount).map((r) => [decodeSku(r.sku), r.price])).to.deep.equal([["H100", 2_500n], ["A100", 1_500n]]);
  });

  it("Wallet Standard wallet: a rejected signature sends nothing; deposit, reserve, cancel, withdraw", async () => {
    const key = await knownKey();
    const context = await browser.newContext();
    // tsx names functions through a helper the page does not have.
    await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
    await context.addInitScript(registerTestWallet, { secret: key.secret, address: key.signer.address, chain: "solana:localnet" });
    const page = await context.newPage();
    await page.goto(`${base}/#/buyer`);
    await page.getByRole("button", { name: "Connect Test Wallet" }).click();
    await page.getByTestId("wallet-bar").locator(".wallet-connected", { hasText: "Test Wallet" }).waitFor();
    await page.getByTestId("faucet").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="wallet-tokens"]')?.getAttribute("data-units") === "1000000000");

    await page.evaluate(() => ((window as unknown as { __testWalletReject: boolean }).__testWalletReject = true));
    await page.getByTestId("deposit-form").locator("input").fill("10");
    await page.getByTestId("deposit-form").getByRole("button").click();
    await page.locator('[data-error-kind="rejected"]').waitFor();
    expect(await units(page, "available")).to.equal(0n);

    await page.evaluate(() => ((window as unknown as { __testWalletReject: boolean }).__testWalletReject = false));
    await page.getByTestId("deposit-form").getByRole("button").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="available"]')?.getAttribute("data-units") === "10000000");

    await page.getByTestId("reserve-form").locator('input[name="reserve"]').fill("4");
    await page.getByTestId("reserve-form").getByRole("button").click();
    await page.getByTestId("execution").first().waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="reserved"]')?.getAttribute("data-units") === "4000000");
    await page.getByTestId("cancel").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="execution"]')?.getAttribute("data-status") === "settled");
    expect(await page.getByTestId("execution-status").first().textContent()).to.contain("cancelled");
    await page.waitForFunction(() => document.querySelector('[data-testid="available"]')?.getAttribute("data-units") === "10000000");

    await page.getByTestId("withdraw-form").locator("input").fill("10");
    await page.getByTestId("withdraw-form").getByRole("button").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="available"]')?.getAttribute("data-units") === "0");
    await page.waitForFunction(() => document.querySelector('[data-testid="wallet-tokens"]')?.getAttribute("data-units") === "1000000000");
    await shot(page, "buyer-wallet-standard");
  });

  it("buyer finalizes an expired execution: full refund of what no receipt proved", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/#/buyer`);
    await page.getByTestId("use-dev-wallet").click();
    await page.getByTestId("faucet").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="wallet-tokens"]')?.getAttribute("data-units") === "1000000000");
    await page.getByTestId("deposit-form").locator("input").fill("5");
    await page.getByTestId("deposit-form").getByRole("button").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="available"]')?.getAttribute("data-units") === "5000000");
    await page.locator('input[name="duration"]').fill("1");
    await page.getByTestId("reserve-form").locator('input[name="reserve"]').fill("5");
    await page.getByTestId("reserve-form").getByRole("button").click();
    const finalizeButton = page.getByTestId("finalize");
    await finalizeButton.waitFor();
    expect(await finalizeButton.isDisabled()).to.equal(true); // not before expiry + settlement window
    await page.waitForSelector('[data-testid="finalize"]:not([disabled])', { timeout: 10_000 });
    await finalizeButton.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="execution"]')?.getAttribute("data-status") === "settled");
    expect(await page.getByTestId("execution-status").first().textContent()).to.contain("expired");
    await page.waitForFunction(() => document.querySelector('[data-testid="available"]')?.getAttribute("data-units") === "5000000");
  });

  it("marketplace: the operator's offers with eqv/hr and reputation, sortable", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/#/marketplace`);
    const offers = page.getByTestId("offer");
    await offers.nth(1).waitFor();
    const skus = () => offers.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-sku")));
    // eqv/hr: H100 0.0025 × 3600 ÷ 1.0 = 9; A100 0.0015 × 3600 ÷ 0.5 = 10.8.
    const eqv = (sku: string) => offers.filter({ hasText: sku }).locator("td").nth(3).textContent();
    expect(await eqv("H100")).to.equal("9");
    expect(await eqv("A100")).to.equal("10.8");
    expect(await skus()).to.deep.equal(["A100", "H100"]); // by price, ascending
    await page.locator('button[data-sort="price"]').click();
    expect(await skus()).to.deep.equal(["H100", "A100"]); // descending
    await page.locator('button[data-sort="eqv"]').click();
    expect(await skus()).to.deep.equal(["H100", "A100"]); // eqv/hr ascending
    await shot(page, "marketplace");
  });

  it("auditor: config, fee, operators, and the vault check green", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/#/auditor`);
    await page.getByTestId("vault-check").waitFor();
    expect(await page.getByTestId("vault-check").getAttribute("data-ok")).to.equal("true");
    expect(await units(page, "vault-amount")).to.equal(await units(page, "liabilities"));
    expect(await units(page, "vault-amount")).to.equal(await tokenBalance(stack.escrow.client.rpc, stack.escrow.deployment.vault));
    expect(await page.getByTestId("fee").textContent()).to.contain("250 bps");
    expect(await page.getByTestId("auditor-operators").locator("tbody tr").count()).to.equal(1);
    const links = await page.locator("a.address").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links.length).to.be.greaterThan(5);
    for (const href of links) expect(href).to.match(/^https:\/\/explorer\.solana\.com\/address\/\w+\?cluster=custom&customUrl=http/);
    await shot(page, "auditor");

    // Tokens sent to the vault outside the program are not a liability: the check turns red.
    const { deployment, faucet, client } = stack.escrow;
    await sendInstructions(client, faucet, [getMintToInstruction({ mint: deployment.mint, token: deployment.vault, mintAuthority: faucet, amount: 1_000_000n })]);
    await page.getByRole("button", { name: "Re-check" }).click();
    await page.locator('[data-testid="vault-check"][data-ok="false"]').waitFor();
    expect((await units(page, "vault-amount")) - (await units(page, "liabilities"))).to.equal(1_000_000n);
    await shot(page, "auditor-vault-surplus");
  });

  it("operator registration from the browser: pending until the admin activates", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/#/operator`);
    await page.getByTestId("use-dev-wallet").click();
    await page.getByTestId("faucet").click();
    await page.locator('[data-action-state="done"]', { hasText: "faucet" }).waitFor();
    await page.getByTestId("register").click();
    await page.getByTestId("operator-status").filter({ hasText: "pending approval" }).waitFor();
    expect(await page.getByTestId("rate-card").locator("tbody tr").count()).to.equal(1); // only the new-SKU row
    await shot(page, "operator-registered");
  });

  it("shows a clear error when the RPC is down", async () => {
    const context = await browser.newContext();
    // The browser cannot reach the validator: every JSON-RPC request fails at the network.
    await context.route(stack.validator.rpcUrl.replace(/\/$/, "") + "/**", (r) => r.abort("connectionrefused"));
    await context.route(stack.validator.rpcUrl, (r) => r.abort("connectionrefused"));
    const page = await context.newPage();
    await page.goto(`${base}/#/auditor`);
    await page.locator('[data-error-kind="rpc-down"]').waitFor();
    await shot(page, "rpc-down");
  });
});
