// Finding a program's deployments (Config accounts) and a deployment's accounts, for tools
// that do not know the config address yet and for the vault check.
import { getBase58Decoder, type Address, type GetProgramAccountsApi, type Rpc } from "@solana/kit";
import {
  BALANCE_DISCRIMINATOR,
  CONFIG_DISCRIMINATOR,
  EXECUTION_DISCRIMINATOR,
  OPERATOR_DISCRIMINATOR,
  getBalanceDecoder,
  getConfigDecoder,
  getExecutionDecoder,
  getOperatorDecoder,
  type Balance,
  type Config,
  type Execution,
  type Operator,
} from "../generated/accounts";
import { fromBase64 } from "../bytes.ts";

type Decoder<T> = { decode(bytes: Uint8Array): T };

async function programAccounts<T>(
  rpc: Rpc<GetProgramAccountsApi>,
  programAddress: Address,
  discriminator: Uint8Array,
  decoder: Decoder<T>,
  config?: Address,
): Promise<{ address: Address; data: T }[]> {
  const filters = [
    { memcmp: { offset: 0n, bytes: getBase58Decoder().decode(discriminator), encoding: "base58" } },
    ...(config ? [{ memcmp: { offset: 8n, bytes: config, encoding: "base58" } }] : []),
  ];
  const accounts = await rpc.getProgramAccounts(programAddress, { encoding: "base64", commitment: "confirmed", filters: filters as never }).send();
  return (accounts as unknown as { pubkey: Address; account: { data: [string, string] } }[]).map((a) => ({
    address: a.pubkey,
    data: decoder.decode(fromBase64(a.account.data[0])),
  }));
}

/** Every deployment (Config account) of the program. */
export const listDeployments = (rpc: Rpc<GetProgramAccountsApi>, programAddress: Address) =>
  programAccounts<Config>(rpc, programAddress, CONFIG_DISCRIMINATOR as Uint8Array, getConfigDecoder());

/** The balances, operators and executions of one deployment (their first field is the config). */
export async function deploymentAccounts(rpc: Rpc<GetProgramAccountsApi>, programAddress: Address, config: Address) {
  const [balances, operators, executions] = await Promise.all([
    programAccounts<Balance>(rpc, programAddress, BALANCE_DISCRIMINATOR as Uint8Array, getBalanceDecoder(), config),
    programAccounts<Operator>(rpc, programAddress, OPERATOR_DISCRIMINATOR as Uint8Array, getOperatorDecoder(), config),
    programAccounts<Execution>(rpc, programAddress, EXECUTION_DISCRIMINATOR as Uint8Array, getExecutionDecoder(), config),
  ]);
  return { balances, operators, executions };
}

export interface VaultCheck {
  vault: bigint;
  liabilities: bigint;
  available: bigint;
  openExecutions: bigint;
  claimable: bigint;
  feesOwed: bigint;
  feesUnwithdrawn: bigint;
  /** vault − liabilities: 0 when conserved; positive means tokens sent to the vault directly. */
  surplus: bigint;
}

/**
 * The conservation check of docs/protocol.md: vault tokens against Σ available + Σ open
 * executions' (max burn − consumed) + Σ claimable + Σ fees owed + config fees unwithdrawn.
 */
export function vaultCheck(vault: bigint, config: Config, accounts: Awaited<ReturnType<typeof deploymentAccounts>>): VaultCheck {
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  const available = sum(accounts.balances.map((b) => b.data.available));
  const openExecutions = sum(accounts.executions.filter((e) => e.data.status === 1).map((e) => e.data.maxBurn - e.data.consumed));
  const claimable = sum(accounts.operators.map((o) => o.data.claimable));
  const feesOwed = sum(accounts.operators.map((o) => o.data.feesOwed));
  const liabilities = available + openExecutions + claimable + feesOwed + config.feesUnwithdrawn;
  return { vault, liabilities, available, openExecutions, claimable, feesOwed, feesUnwithdrawn: config.feesUnwithdrawn, surplus: vault - liabilities };
}
