// What every pipeline test proves at the end, over RPC through the SDK: each segment settled
// exactly its last receipt (nothing lost, nothing charged twice), every execution settled
// (or already closed after its review window), the operators' claimable and the buyer's
// refund exact, and the vault's conservation check without surplus. Plus the nodes' side:
// a POST retried until a settler answers, across one or several instances.
import { expect } from "chai";
import { deploymentAccounts, fetchDeployment, readBalance, readMaybeExecution, readOperatorAt, tokenBalance, vaultCheck } from "@arknet/escrow";
import type { Address } from "@solana/kit";
import type { SettlerStore } from "../../src/store/index.ts";
import type { TestEscrow, TestOperator } from "./escrow.ts";
import { sleep } from "./fixtures.ts";
import { signedReceipt } from "./receipts.ts";

export interface SettledRun {
  t: TestEscrow;
  executions: Address[];
  segments: number;
  opOf: (segment: number) => TestOperator;
  /** Units of each segment's last receipt. */
  lastUnits: (segment: number) => bigint;
  buyer: Address;
  deposit: bigint;
  feeBps?: bigint;
}

/** Asserts the chain holds exactly the last receipts; returns how many executions were already closed. */
export async function expectSettledExactly(r: SettledRun): Promise<number> {
  const { t } = r;
  const feeBps = r.feeBps ?? 250n;
  let consumed = 0n;
  let closed = 0;
  const earned = new Map<string, bigint>();
  for (const e of r.executions) {
    let want = 0n;
    for (let s = 0; s < r.segments; s++) {
      const cost = r.lastUnits(s) * r.opOf(s).price;
      want += cost;
      earned.set(r.opOf(s).account, (earned.get(r.opOf(s).account) ?? 0n) + cost - (cost * feeBps) / 10_000n);
    }
    consumed += want;
    const ex = await readMaybeExecution(t.client.rpc, e, t.deployment.programAddress);
    if (!ex) {
      closed++; // closed after its review window: the totals below still prove it
      continue;
    }
    expect(ex.status, `${e} settled`).to.equal(2);
    for (let s = 0; s < r.segments; s++) {
      expect(ex.segments[s]!.settledUnits, `${e} segment ${s} units`).to.equal(r.lastUnits(s));
      expect(ex.segments[s]!.charged, `${e} segment ${s} charged`).to.equal(r.lastUnits(s) * r.opOf(s).price);
    }
    expect(ex.consumed, `${e} consumed`).to.equal(want);
  }
  for (const account of earned.keys()) {
    expect((await readOperatorAt(t.client.rpc, account as Address, t.deployment.programAddress)).claimable, `${account} claimable`).to.equal(earned.get(account));
  }
  const bal = await readBalance(t.client.rpc, t.deployment, r.buyer);
  expect(bal!.reserved).to.equal(0n);
  expect(bal!.available).to.equal(r.deposit - consumed);
  const d = await fetchDeployment(t.client.rpc, t.deployment.config);
  const check = vaultCheck(await tokenBalance(t.client.rpc, d.vault), d.data, await deploymentAccounts(t.client.rpc, d.programAddress, d.config));
  expect(check.surplus).to.equal(0n);
  return closed;
}

/**
 * POSTs until a settler answers with what `ok` accepts, rotating over `bases` (a dead instance is
 * skipped like a real node would); 429 and 5xx are retried, any other refusal throws.
 */
export async function postUntil(bases: string[] | (() => string[]), path: string, body: unknown, token: string | null, ok: (status: number, text: string) => boolean): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const list = typeof bases === "function" ? bases() : bases;
    const base = list[attempt % list.length]!;
    const res = await fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (res) {
      const text = await res.text();
      if (ok(res.status, text)) return res.status;
      if (res.status < 500 && res.status !== 429) throw new Error(`${path}: ${res.status} ${text}`);
    }
    await sleep(100);
  }
}

/** A node's run over a settler's API: the segment assignments, then receipt n of every segment before n + 1, then each execution complete. */
export interface NodeRun {
  executions: string[];
  segments: number;
  receipts: number;
  opOf: (segment: number) => TestOperator;
  /** Cumulative units of receipt n of segment s. */
  units: (n: number, s: number) => bigint;
  token: string;
}

export async function assignSegments(bases: string[], r: NodeRun): Promise<void> {
  for (const e of r.executions) {
    for (let s = 0; s < r.segments; s++) {
      const op = r.opOf(s);
      await postUntil(bases, `/v1/executions/${e}/segments`, { segment: s, operator: op.account, operatorKey: op.key.address, sku: "H100" }, r.token, (st) => st === 202);
    }
  }
}

export async function postReceiptsAndComplete(bases: string[], r: NodeRun): Promise<void> {
  for (let n = 1; n <= r.receipts; n++) {
    for (const e of r.executions) {
      for (let s = 0; s < r.segments; s++) {
        const op = r.opOf(s);
        const receipt = signedReceipt({ secret: op.seed, key: op.key.address, account: op.account }, "", e, s, r.units(n, s), n);
        await postUntil(bases, "/v1/receipts", { receipts: [receipt] }, null, (st) => st === 202);
      }
    }
  }
  for (const e of r.executions) await postUntil(bases, `/v1/executions/${e}/complete`, {}, r.token, (st) => st === 202);
}

/** Waits until the settler's store shows every execution finalized (or closed). */
export async function waitFinalized(store: SettlerStore, executions: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(executions.map((e) => store.getExecution(e)));
    if (states.every((x) => x?.status === "finalized" || x?.status === "closed")) return;
    if (Date.now() > deadline) throw new Error(`not finalized in ${timeoutMs} ms: ${states.map((x) => x?.status).join(",")}`);
    await sleep(250);
  }
}
