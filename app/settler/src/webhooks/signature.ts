// Webhook signatures: `ArkNet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// The timestamp inside the MAC lets receivers refuse replays older than their tolerance.

import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "arknet-signature";

const mac = (secret: string, t: number, body: string): string => createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

export function signWebhook(secret: string, body: string, timestampSec: number): string {
  return `t=${timestampSec},v1=${mac(secret, timestampSec, body)}`;
}

export type WebhookCheck = { ok: true; timestampSec: number } | { ok: false; reason: "malformed" | "mismatch" | "stale" };

/** For subscribers (and the tests): checks the header against the raw body received. */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  opts: { toleranceSec?: number; nowSec?: number } = {},
): WebhookCheck {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!m) return { ok: false, reason: "malformed" };
  const t = Number(m[1]);
  const expected = Buffer.from(mac(secret, t, body), "hex");
  if (!timingSafeEqual(expected, Buffer.from(m[2]!, "hex"))) return { ok: false, reason: "mismatch" };
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSec ?? 300)) return { ok: false, reason: "stale" };
  return { ok: true, timestampSec: t };
}
