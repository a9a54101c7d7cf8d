// What went wrong, in words a user can act on: the SDK's typed errors by name, a wallet's
// rejection, an unreachable RPC; anything else keeps its own message.
import { isArknetError } from "@arknet/escrow";

export interface Problem {
  kind: "insufficient-balance" | "rejected" | "rpc-down" | "program" | "input" | "other";
  title: string;
  detail: string;
}

const text = (e: unknown) => (e instanceof Error ? e.message : String(e));

function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let c: unknown = e; c && out.length < 6; c = (c as { cause?: unknown }).cause) out.push(c);
  return out;
}

export function describeProblem(e: unknown): Problem {
  const chain = causes(e);
  const all = chain.map(text).join(" ← ");
  if (isArknetError(e, "InsufficientBalance") || isArknetError(e, "InsufficientFunds") || /insufficient (balance|funds)/i.test(all)) {
    return { kind: "insufficient-balance", title: "Insufficient balance", detail: text(e) };
  }
  if (chain.some((c) => (c as { code?: unknown }).code === 4001) || /user rejected|rejected the request|request rejected|denied/i.test(all)) {
    return { kind: "rejected", title: "Signature rejected", detail: "the wallet refused to sign; nothing was sent" };
  }
  if (/failed to fetch|networkerror|fetch failed|ECONNREFUSED|HTTP error \(5\d\d\)|websocket|load failed/i.test(all)) {
    return { kind: "rpc-down", title: "RPC unreachable", detail: `the validator did not answer (${text(e)})` };
  }
  if (isArknetError(e)) return { kind: e.source === "program" ? "program" : "input", title: e.errorName, detail: text(e) };
  return { kind: "other", title: "Error", detail: all };
}
