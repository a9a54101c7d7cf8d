// Listing a buyer's executions that still have an account (open, or settled and not closed).
import { getBase58Decoder, type Address, type GetProgramAccountsApi, type Rpc } from "@solana/kit";
import { EXECUTION_DISCRIMINATOR, getExecutionDecoder, type Execution } from "../generated/accounts";
import { fromBase64 } from "../bytes.ts";

export interface ExecutionEntry {
  address: Address;
  data: Execution;
}

/** Executions of `buyer` (in `config`'s deployment when given), by execution id. */
export async function listExecutions(
  rpc: Rpc<GetProgramAccountsApi>,
  programAddress: Address,
  filter: { buyer: Address; config?: Address },
): Promise<ExecutionEntry[]> {
  const b58 = getBase58Decoder();
  const filters = [
    { memcmp: { offset: 0n, bytes: b58.decode(EXECUTION_DISCRIMINATOR), encoding: "base58" } },
    { memcmp: { offset: 40n, bytes: filter.buyer, encoding: "base58" } },
    ...(filter.config ? [{ memcmp: { offset: 8n, bytes: filter.config, encoding: "base58" } }] : []),
  ];
  const accounts = await rpc.getProgramAccounts(programAddress, { encoding: "base64", commitment: "confirmed", filters: filters as never }).send();
  const decoder = getExecutionDecoder();
  return (accounts as unknown as { pubkey: Address; account: { data: [string, string] } }[])
    .map((a) => ({ address: a.pubkey, data: decoder.decode(fromBase64(a.account.data[0])) }))
    .sort((x, y) => (x.data.executionId < y.data.executionId ? -1 : 1));
}
