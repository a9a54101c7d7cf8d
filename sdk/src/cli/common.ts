// Argument parsing shared by the commands: amounts in token units, SKU=PRICE rates, ids.
import type { Address } from "@solana/kit";
import { clientError } from "../errors.ts";
import { encodeSku } from "../receipts/sku.ts";
import { formatAmount, parseAmount } from "./amounts.ts";
import { parseAddress } from "./settings.ts";

export { parseAddress };

/** `SKU=PRICE` pairs, the price in token units per work unit. */
export function parseRates(pairs: string[], decimals: number, what = "--rate"): { sku: string; price: bigint }[] {
  return pairs.map((pair) => {
    const eq = pair.indexOf("=");
    if (eq < 1) throw clientError("InvalidInput", `${what}: "${pair}" is not SKU=PRICE`);
    const sku = pair.slice(0, eq);
    encodeSku(sku);
    return { sku, price: parseAmount(pair.slice(eq + 1), decimals, `${what} ${sku}`) };
  });
}

export function parseInteger(text: string, what: string, min = 0n, max = (1n << 64n) - 1n): bigint {
  if (!/^\d+$/.test(text)) throw clientError("InvalidInput", `${what}: "${text}" is not a whole number`);
  const v = BigInt(text);
  if (v < min || v > max) throw clientError("InvalidInput", `${what}: ${text} is out of range ${min}..${max}`);
  return v;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export const tokens = (units: bigint, decimals: number) => formatAmount(units, decimals);

export function shortAddress(a: Address): string {
  return `${a.slice(0, 4)}…${a.slice(-4)}`;
}
