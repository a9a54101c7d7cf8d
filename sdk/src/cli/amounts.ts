// Token amounts as people write them ("12.5") ↔ base units (12_500_000n for 6 decimals).
import { clientError } from "../errors.ts";

/** Base units of `text` for a mint with `decimals`; refuses negative, malformed or too-precise amounts. */
export function parseAmount(text: string, decimals: number, what = "amount"): bigint {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim().replace(/_/g, ""));
  if (!m) throw clientError("InvalidAmount", `${what}: "${text}" is not a token amount`);
  const frac = m[2] ?? "";
  if (frac.length > decimals) throw clientError("InvalidAmount", `${what}: "${text}" has more than ${decimals} decimals`);
  const value = BigInt(m[1]) * 10n ** BigInt(decimals) + BigInt((frac + "0".repeat(decimals)).slice(0, decimals) || "0");
  if (value >= 1n << 64n) throw clientError("InvalidAmount", `${what}: "${text}" is too large`);
  return value;
}

/** `units` in token units with grouping ("1,240.5"). */
export function formatAmount(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = decimals > 0 ? (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "") : "";
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}
