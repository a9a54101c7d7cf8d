// The local validator's faucet (local mode): SOL through the standard requestAirdrop and the
// deployment's token through app/localnet's requestTokenAirdrop (it mints into the owner's
// associated token account).
import type { Deployment } from "@arknet/escrow";
import type { Address } from "@solana/kit";

async function rpcCall(rpcUrl: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export async function requestLocalFunds(rpcUrl: string, owner: Address, d: Deployment): Promise<{ signature: string }> {
  await rpcCall(rpcUrl, "requestAirdrop", [owner, 2_000_000_000]);
  const signature = (await rpcCall(rpcUrl, "requestTokenAirdrop", [owner, Number(1000n * 10n ** BigInt(d.decimals)), { mint: d.mint }])) as string;
  return { signature };
}
