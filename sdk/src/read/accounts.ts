// Fetching and decoding the program's accounts. `fetchX` throws AccountNotFound (with the
// address) when the account is absent or not of that type; `fetchMaybeX` returns null.
import { fetchEncodedAccount, type Address, type GetAccountInfoApi, type Rpc } from "@solana/kit";
import {
  decodeBalance,
  decodeExecution,
  decodeOperator,
  type Balance,
  type Execution,
  type Operator,
} from "../generated/accounts";
import { clientError } from "../errors.ts";
import type { Deployment } from "../deployment.ts";
import { balanceAddress, operatorAddress } from "../pdas.ts";

type Decoder<T> = (account: any) => { data: T };

async function fetchMaybe<T>(rpc: Rpc<GetAccountInfoApi>, at: Address, decode: Decoder<T>, programAddress?: Address): Promise<T | null> {
  const account = await fetchEncodedAccount(rpc, at, { commitment: "confirmed" });
  if (!account.exists) return null;
  if (programAddress && account.programAddress !== programAddress) return null;
  try {
    return decode(account).data;
  } catch {
    return null;
  }
}

async function fetchSure<T>(rpc: Rpc<GetAccountInfoApi>, at: Address, decode: Decoder<T>, what: string, programAddress?: Address): Promise<T> {
  const data = await fetchMaybe(rpc, at, decode, programAddress);
  if (!data) throw clientError("AccountNotFound", `no ${what} account at ${at}`);
  return data;
}

export const readMaybeExecution = (rpc: Rpc<GetAccountInfoApi>, at: Address, programAddress?: Address) => fetchMaybe<Execution>(rpc, at, decodeExecution, programAddress);
export const readExecution = (rpc: Rpc<GetAccountInfoApi>, at: Address, programAddress?: Address) => fetchSure<Execution>(rpc, at, decodeExecution, "execution", programAddress);
export const readMaybeOperatorAt = (rpc: Rpc<GetAccountInfoApi>, at: Address, programAddress?: Address) => fetchMaybe<Operator>(rpc, at, decodeOperator, programAddress);
export const readOperatorAt = (rpc: Rpc<GetAccountInfoApi>, at: Address, programAddress?: Address) => fetchSure<Operator>(rpc, at, decodeOperator, "operator", programAddress);

/** The Balance of `buyer` in the deployment, or null before their first deposit. */
export async function readBalance(rpc: Rpc<GetAccountInfoApi>, d: Deployment, buyer: Address): Promise<Balance | null> {
  return fetchMaybe<Balance>(rpc, await balanceAddress(d.config, buyer, d.programAddress), decodeBalance, d.programAddress);
}

/** The Operator registered by `authority` in the deployment, or null. */
export async function readOperator(rpc: Rpc<GetAccountInfoApi>, d: Deployment, authority: Address): Promise<Operator | null> {
  return fetchMaybe<Operator>(rpc, await operatorAddress(d.config, authority, d.programAddress), decodeOperator, d.programAddress);
}

/** SPL token amount of a token account (0 when absent). */
export async function tokenBalance(rpc: Rpc<GetAccountInfoApi>, tokenAccount: Address): Promise<bigint> {
  const account = await fetchEncodedAccount(rpc, tokenAccount, { commitment: "confirmed" });
  if (!account.exists || account.data.length < 72) return 0n;
  return new DataView(account.data.buffer, account.data.byteOffset).getBigUint64(64, true);
}
