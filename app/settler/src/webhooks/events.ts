// Events the settler publishes to webhook subscribers. The pipeline emits them when a
// settlement confirms, an execution is finalized (bill) and a refund lands.

import { randomUUID } from "node:crypto";
import type { SettlerStore } from "../store/index.ts";

export const EVENT_TYPES = ["settlement", "bill", "refund"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Stores the event's deliveries durably; the worker sends them. Returns the event id. */
export async function emitEvent(store: SettlerStore, type: EventType, payload: Record<string, unknown>, id: string = randomUUID()): Promise<string> {
  await store.enqueueEvent({ id, type, payload, createdAt: Date.now() });
  return id;
}
