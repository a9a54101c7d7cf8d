// Executions this browser reserved, remembered per buyer so their bills stay reachable after
// the account is closed (the bill then comes from the transaction history).
import type { Address } from "@solana/kit";

const key = (config: string, buyer: string) => `arknet.executions.${config}.${buyer}`;

export function knownExecutions(config: Address, buyer: Address): Address[] {
  try {
    return JSON.parse(localStorage.getItem(key(config, buyer)) ?? "[]") as Address[];
  } catch {
    return [];
  }
}

export function rememberExecution(config: Address, buyer: Address, execution: Address): void {
  const all = knownExecutions(config, buyer);
  if (!all.includes(execution)) localStorage.setItem(key(config, buyer), JSON.stringify([...all, execution]));
}
