// Records every JSON-RPC exchange a client makes (through kit's transport or web3.js's fetch),
// labelled by the test that made it, so the diff test can compare both validators call by call.
export interface Exchange {
  test: string;
  method: string;
  request: unknown;
  response: unknown;
}

export const recordings = new Map<string, Exchange[]>();
import { currentTestName } from "./recorder-name.ts";

function record(target: string, request: any, response: any) {
  const list = recordings.get(target) ?? [];
  recordings.set(target, list);
  const reqs = Array.isArray(request) ? request : [request];
  const ress = Array.isArray(response) ? response : [response];
  reqs.forEach((r, i) => list.push({ test: currentTestName(), method: r?.method ?? "?", request: r, response: ress[i] }));
}

/** A fetch that records JSON-RPC bodies and responses for `target`. */
export function recordingFetch(target: string): typeof fetch {
  return async (input: any, init?: any) => {
    const res = await fetch(input, init);
    const text = await res.clone().text();
    try {
      record(target, JSON.parse(String(init?.body ?? "null")), JSON.parse(text));
    } catch {
      record(target, { method: "(raw)" }, { status: res.status, body: text.slice(0, 200) });
    }
    return res;
  };
}
