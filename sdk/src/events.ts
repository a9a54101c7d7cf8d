// The program's events, decoded from transaction logs. Anchor encoding: `Program data:`
// lines carrying sha256("event:<Name>")[..8] + borsh. The decoders are generated (one
// `get<Name>EventDecoder` per IDL event, discriminator checked); only the log walking is here.
import type { Address } from "@solana/kit";
import * as generatedTypes from "./generated/types";
import { fromBase64 } from "./bytes.ts";
import { PROGRAM_ID } from "./program.ts";

export interface ProgramEvent<T = Record<string, unknown>> {
  /** IDL event name (`ExecutionFinalized`). */
  name: string;
  data: T;
}

type AnyDecoder = { decode(bytes: Uint8Array): unknown };

/** Every generated event decoder, by event name. */
const EVENT_DECODERS: ReadonlyArray<[string, AnyDecoder]> = Object.entries(generatedTypes)
  .filter(([key, value]) => /^get\w+EventDecoder$/.test(key) && typeof value === "function")
  .map(([key, value]) => [key.slice(3, -"EventDecoder".length), (value as () => AnyDecoder)()]);

/** Names of every event the program emits. */
export const EVENT_NAMES: readonly string[] = EVENT_DECODERS.map(([name]) => name);

/** The event encoded in `bytes` (discriminator + body), or null when it is none of the program's. */
export function decodeEvent(bytes: Uint8Array): ProgramEvent | null {
  for (const [name, decoder] of EVENT_DECODERS) {
    try {
      return { name, data: decoder.decode(bytes) as Record<string, unknown> };
    } catch {
      // discriminator or length mismatch: not this event
    }
  }
  return null;
}

/**
 * The program's events in `logs`, in order. Only `Program data:` lines written while
 * `programAddress` was the executing program count (a CPI'd program's data is not ours).
 */
export function decodeEvents(logs: readonly string[], programAddress: Address = PROGRAM_ID): ProgramEvent[] {
  const stack: string[] = [];
  const events: ProgramEvent[] = [];
  for (const line of logs) {
    const invoke = /^Program (\w+) invoke \[\d+\]$/.exec(line);
    if (invoke) {
      stack.push(invoke[1]);
      continue;
    }
    if (/^Program \w+ (success|failed)/.test(line)) {
      stack.pop();
      continue;
    }
    if (line.startsWith("Program data: ") && stack.at(-1) === programAddress) {
      const event = decodeEvent(fromBase64(line.slice("Program data: ".length)));
      if (event) events.push(event);
    }
  }
  return events;
}
