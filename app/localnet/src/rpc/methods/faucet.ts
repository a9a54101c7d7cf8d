// requestAirdrop (SOL, as the real faucet) and requestTokenAirdrop (localnet only: mints the
// USDC-like token into the owner's associated token account, creating it when needed).
import { associatedTokenAddress, mintToOwnerIxs, signedLegacyTransaction, transferIx } from "../../chain/faucet.ts";
import { parseTransaction } from "../../chain/wire.ts";
import { toBase58 } from "../../chain/codec.ts";
import { RpcError } from "../errors.ts";
import { type Handler, type NodeInfo } from "../context.ts";
import { arity, config, contextSlot, pubkey, u64 } from "../params.ts";

function submitSigned(node: NodeInfo, bytes: Uint8Array): string {
  const tx = parseTransaction(bytes);
  const outcome = node.chain.submit(tx);
  if (outcome.kind === "dropped") throw new RpcError(-32603, `airdrop failed: ${outcome.error.message}`);
  if (outcome.record.err) throw new RpcError(-32603, `airdrop failed: ${outcome.record.err.message}`);
  return toBase58(tx.signatures[0]);
}

export const faucetMethods: Record<string, Handler> = {
  requestAirdrop: (p, node) => {
    arity(p, 2, 3);
    const to = pubkey(p[0]);
    const lamports = u64(p[1]);
    contextSlot(node.chain, config(p[2]));
    const { blockhash } = node.chain.blockhashFor("processed");
    return submitSigned(node, signedLegacyTransaction(node.faucet, [transferIx(node.faucet.address, to, BigInt(lamports))], blockhash));
  },
  /** params: [owner, amount in base units, { mint? }]: defaults to the USDC-like mint. */
  requestTokenAirdrop: (p, node) => {
    arity(p, 2, 3);
    const owner = pubkey(p[0]);
    const amount = u64(p[1]);
    const cfg = config(p[2]);
    const mint = cfg.mint === undefined ? node.usdcMint : pubkey(cfg.mint);
    const { blockhash } = node.chain.blockhashFor("processed");
    const { ixs } = mintToOwnerIxs(node.faucet.address, owner, mint, BigInt(amount));
    const sig = submitSigned(node, signedLegacyTransaction(node.faucet, ixs, blockhash));
    return sig;
  },
  /** Transactions submitted and the milliseconds spent executing and recording them. */
  getLocalnetStats: (p, node) => {
    arity(p, 0, 0);
    return { submitted: node.chain.stats.submitted, submitMs: node.chain.stats.submitMs };
  },
  /** The validator's well-known addresses: faucet, USDC-like mint, upgrade authority. */
  getLocalnetInfo: (p, node) => {
    arity(p, 0, 0);
    return {
      faucet: node.faucet.address,
      usdcMint: node.usdcMint,
      usdcDecimals: node.usdcDecimals,
      upgradeAuthority: node.upgradeAuthority.address,
      upgradeAuthoritySecretKey: Array.from(node.upgradeAuthority.secretKey),
    };
  },
};

export { associatedTokenAddress };
