// One round of the demo workload. Buyers deposit and reserve executions (SDK); the router
// assigns three segments per execution, one per SKU over the three operators (settler API);
// nine GPU nodes (three operators × three SKUs) stream signed cumulative receipts; the router
// says each execution is complete once its segments ended; the settler lands it all and
// finalizes; then the operators claim what they earned (SDK).
import { associatedTokenAccount, claim, deposit, readBalance, readOperatorAt, reserve, sendInstructions, tokenBalance } from "@arknet/escrow";
import { getMintToInstruction } from "@solana-program/token";
import type { Address } from "@solana/kit";
import { runGpuNode, type NodeSegment } from "./gpuNode.ts";
import type { SettlerApi } from "./settlerApi.ts";
import { SKUS, type DemoBuyer, type DemoOperator, type DemoWorld, type Sku } from "./setup.ts";

export interface RoundInput {
  executionsPerBuyer: number;
  receipts: number;
  tickMs: number;
  api: SettlerApi;
  signal: AbortSignal;
  log(line: string): void;
  /** How long to wait for the settler to finalize everything. */
  finalizeTimeoutMs?: number;
}

export interface RoundSegment extends NodeSegment {
  operator: DemoOperator;
  price: bigint;
}

export interface RoundExecution {
  buyer: DemoBuyer;
  address: Address;
  maxBurn: bigint;
  segments: RoundSegment[];
}

export interface RoundResult {
  executions: RoundExecution[];
  /** Each buyer's available balance before the round's deposit, and the deposit. */
  buyers: { buyer: DemoBuyer; availableBefore: bigint; deposited: bigint }[];
  /** What each operator claimed and its payout account's balance before and after. */
  claims: { operator: DemoOperator; amount: bigint; destination: Address; before: bigint; after: bigint }[];
  seconds: number;
  /** From the first receipt posted to the last accepted. */
  streamSeconds: number;
}

/** Most GPU-seconds a node meters per receipt (the least is half). */
const MAX_UNITS_PER_RECEIPT = 40n;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t = (v: bigint) => (Number(v) / 1e6).toFixed(2);

/** A max burn that the round's receipts cannot reach (a refund is left), at the dearest rates. */
export function maxBurnFor(world: DemoWorld, receipts: number): bigint {
  const dearest = SKUS.reduce((sum, sku) => sum + world.operators.reduce((m, o) => (o.rates[sku] > m ? o.rates[sku] : m), 0n), 0n);
  return (BigInt(receipts) * MAX_UNITS_PER_RECEIPT * dearest * 5n) / 4n;
}

async function fundAndReserve(world: DemoWorld, buyer: DemoBuyer, count: number, maxBurn: bigint) {
  const d = world.deployment;
  const availableBefore = (await readBalance(world.client.rpc, d, buyer.signer.address))?.available ?? 0n;
  const deposited = maxBurn * BigInt(count);
  await sendInstructions(world.client, world.mintAuthority, [
    getMintToInstruction({ mint: d.mint, token: buyer.tokenAccount, mintAuthority: world.mintAuthority, amount: deposited }),
  ]);
  await deposit(world.client, d, { depositor: buyer.signer, amount: deposited });
  const executions: Address[] = [];
  for (let i = 0; i < count; i++) executions.push((await reserve(world.client, d, { buyer: buyer.signer, maxBurn, durationSecs: 3_600n })).execution);
  return { availableBefore, deposited, executions };
}

async function waitFinalized(api: SettlerApi, executions: Address[], timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let open = [...executions];
  while (open.length > 0 && !signal.aborted) {
    const states = await Promise.all(open.map((e) => api.execution(e)));
    open = open.filter((_, i) => !["finalized", "closed"].includes(states[i]!.status));
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`not finalized within ${timeoutMs / 1000} s: ${open.join(", ")}`);
    await sleep(250);
  }
}

async function claimAll(world: DemoWorld) {
  const d = world.deployment;
  const claims: RoundResult["claims"] = [];
  await Promise.all(
    world.operators.map(async (operator) => {
      const { claimable } = await readOperatorAt(world.client.rpc, operator.account, d.programAddress);
      if (claimable === 0n) return;
      const destination = await associatedTokenAccount(operator.authority.address, d.mint, d.tokenProgram);
      const before = await tokenBalance(world.client.rpc, destination).catch(() => 0n);
      await claim(world.client, d, { authority: operator.authority, amount: claimable });
      claims.push({ operator, amount: claimable, destination, before, after: await tokenBalance(world.client.rpc, destination) });
    }),
  );
  return claims;
}

export async function runRound(world: DemoWorld, r: RoundInput): Promise<RoundResult> {
  const started = performance.now();
  const maxBurn = maxBurnFor(world, r.receipts);
  const funded = await Promise.all(world.buyers.map((b) => fundAndReserve(world, b, r.executionsPerBuyer, maxBurn)));
  r.signal.throwIfAborted();
  const executions: RoundExecution[] = funded.flatMap((f, b) => f.executions.map((address) => ({ buyer: world.buyers[b]!, address, maxBurn, segments: [] as RoundSegment[] })));
  r.log(`${world.buyers.length} buyers deposited ${t(maxBurn * BigInt(executions.length))} and reserved ${executions.length} executions (max burn ${t(maxBurn)} each)`);

  // The router's plan: segment s of execution k runs SKU s at operator (k + s) mod 3.
  const ops = world.operators;
  await Promise.all(
    executions.map(async (ex, k) => {
      for (const [s, sku] of SKUS.entries()) {
        const operator = ops[(k + s) % ops.length]!;
        await r.api.assignSegment(ex.address, { segment: s, operator: operator.account, operatorKey: operator.key.address, sku });
        ex.segments.push({ execution: ex.address, segment: s, sku, units: 0n, sequence: 0, operator, price: operator.rates[sku as Sku] });
      }
    }),
  );
  r.signal.throwIfAborted();
  r.log(`router assigned ${executions.length * SKUS.length} segments (H100, A100, RTX5090 over ${ops.map((o) => o.name).join(", ")}) through the settler`);

  const remaining = new Map(executions.map((e) => [e.address as string, e.segments.length]));
  const completions: Promise<unknown>[] = [];
  const onSegmentDone = (s: NodeSegment) => {
    const left = remaining.get(s.execution)! - 1;
    remaining.set(s.execution, left);
    if (left === 0) completions.push(r.api.complete(s.execution));
  };
  const nodes = ops.flatMap((operator) =>
    SKUS.map((sku) => ({ operator, segments: executions.flatMap((e) => e.segments.filter((s) => s.operator === operator && s.sku === sku)) })),
  );
  const streamStarted = performance.now();
  await Promise.all(
    nodes
      .filter((n) => n.segments.length > 0)
      .map((n) =>
        runGpuNode({ key: n.operator.key, segments: n.segments, receipts: r.receipts, tickMs: r.tickMs, maxUnitsPerReceipt: MAX_UNITS_PER_RECEIPT, api: r.api, signal: r.signal, onSegmentDone }),
      ),
  );
  const streamSeconds = (performance.now() - streamStarted) / 1000;
  await Promise.all(completions);
  r.signal.throwIfAborted();
  r.log(`GPU nodes streamed ${executions.length * SKUS.length * r.receipts} signed receipts; router marked ${executions.length} executions complete`);
  await waitFinalized(r.api, executions.map((e) => e.address), r.finalizeTimeoutMs ?? 120_000, r.signal);
  const claims = await claimAll(world);
  r.log(`settler finalized every execution; operators claimed ${claims.map((c) => `${c.operator.name} ${t(c.amount)}`).join(", ")}`);
  return {
    executions,
    buyers: funded.map((f, b) => ({ buyer: world.buyers[b]!, availableBefore: f.availableBefore, deposited: f.deposited })),
    claims,
    seconds: (performance.now() - started) / 1000,
    streamSeconds,
  };
}
