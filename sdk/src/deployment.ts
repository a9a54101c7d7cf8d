// A deployment (one Config: one mint, one vault) as every flow needs it, read once.
import { fetchEncodedAccount, type Address, type Rpc, type GetAccountInfoApi } from "@solana/kit";
import { decodeConfig, type Config } from "./generated/accounts";
import { clientError } from "./errors.ts";

export interface Deployment {
  /** The escrow program that owns the config. */
  programAddress: Address;
  config: Address;
  mint: Address;
  vault: Address;
  treasury: Address;
  tokenProgram: Address;
  router: Address;
  admin: Address;
  decimals: number;
  feeBps: number;
  paused: boolean;
  /** The whole decoded Config account. */
  data: Config;
}

/**
 * The accounts of a deployment an instruction builder puts in its slots (a `Deployment` read
 * with `fetchDeployment`, or the addresses of one being created).
 */
export type DeploymentAccounts = Pick<Deployment, "programAddress" | "config" | "mint" | "vault" | "treasury" | "tokenProgram">;

/** Reads the Config at `config`; throws AccountNotFound / InvalidAccount when it is not one. */
export async function fetchDeployment(rpc: Rpc<GetAccountInfoApi>, config: Address): Promise<Deployment> {
  const account = await fetchEncodedAccount(rpc, config, { commitment: "confirmed" });
  if (!account.exists) throw clientError("AccountNotFound", `no deployment config at ${config}`);
  let data: Config;
  try {
    data = decodeConfig(account).data;
  } catch {
    throw clientError("InvalidAccount", `${config} is not an escrow Config account`);
  }
  return {
    programAddress: account.programAddress,
    config,
    mint: data.mint,
    vault: data.vault,
    treasury: data.treasury,
    tokenProgram: data.tokenProgram,
    router: data.router,
    admin: data.admin,
    decimals: data.decimals,
    feeBps: data.feeBps,
    paused: data.paused !== 0,
    data,
  };
}
