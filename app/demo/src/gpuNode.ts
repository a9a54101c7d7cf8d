// A simulated GPU node: one operator's machine of one SKU, running segments of several
// executions. Each tick it meters more GPU-seconds per segment, signs the new cumulative
// receipts with the operator's node key (the SDK's signReceipt) and posts them to the settler
// in one request, retrying as a real node would when the settler asks it to slow down or is busy.
import { signReceipt, type SignedReceipt } from "@arknet/escrow";
import type { Address, KeyPairSigner } from "@solana/kit";
import { SettlerHttpError, type SettlerApi } from "./settlerApi.ts";

export interface NodeSegment {
  execution: Address;
  segment: number;
  sku: string;
  /** The newest cumulative units and sequence this node has had accepted. */
  units: bigint;
  sequence: number;
}

export interface GpuNodeInput {
  key: KeyPairSigner;
  segments: NodeSegment[];
  receipts: number;
  tickMs: number;
  /** GPU-seconds metered per segment per receipt, at most. */
  maxUnitsPerReceipt: bigint;
  api: SettlerApi;
  signal: AbortSignal;
  /** Called once per segment after its last receipt was accepted. */
  onSegmentDone(s: NodeSegment): void;
}

/** Waits `ms`, or less when `signal` aborts (the listener goes with the timer). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

async function post(api: SettlerApi, receipts: SignedReceipt[], signal: AbortSignal): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await api.postReceipts(receipts);
      return;
    } catch (e) {
      const retriable = e instanceof SettlerHttpError ? e.status === 429 || e.status === 503 : !signal.aborted;
      if (!retriable || attempt >= 20 || signal.aborted) throw e;
      await sleep(Math.min(2_000, 100 * attempt), signal);
    }
  }
}

export async function runGpuNode(n: GpuNodeInput): Promise<void> {
  const min = n.maxUnitsPerReceipt / 2n;
  for (let r = 1; r <= n.receipts && !n.signal.aborted; r++) {
    const next = n.segments.map((s) => ({
      ...s,
      units: s.units + min + BigInt(Math.floor(Math.random() * Number(n.maxUnitsPerReceipt - min + 1n))),
      sequence: s.sequence + 1,
    }));
    const receipts = await Promise.all(
      next.map((s) => signReceipt(n.key, { execution: s.execution, segment: s.segment, sku: s.sku, cumulativeUnits: s.units, sequence: s.sequence })),
    );
    await post(n.api, receipts, n.signal);
    next.forEach((s, i) => Object.assign(n.segments[i]!, { units: s.units, sequence: s.sequence }));
    if (r === n.receipts) for (const s of n.segments) n.onSegmentDone(s);
    else await sleep(n.tickMs, n.signal);
  }
}
