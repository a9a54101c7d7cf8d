// Who is signing: connect a Wallet Standard wallet, or (local mode) the development key with
// the local validator's faucet; shows the signer's SOL and token balances.
import { associatedTokenAccount, tokenBalance } from "@arknet/escrow";
import { useState } from "react";
import { useChain } from "../chain/ChainContext.tsx";
import { useAction } from "../hooks/useAction.tsx";
import { useAccountChanges } from "../hooks/useAccountChanges.ts";
import { useAsync } from "../hooks/useAsync.ts";
import { useWallet } from "../wallet/WalletContext.tsx";
import { AddressLink, Tokens } from "../ui/format.tsx";
import { requestLocalFunds } from "../wallet/localFaucet.ts";

export function WalletBar() {
  const { client, deployment, config } = useChain();
  const w = useWallet();
  const [importing, setImporting] = useState(false);
  const [secret, setSecret] = useState("");
  const ata = useAsync(async () => (w.signer ? associatedTokenAccount(w.signer.address, deployment.mint, deployment.tokenProgram) : null), [w.signer]);
  const balances = useAsync(async () => {
    if (!w.signer || !ata.data) return null;
    const [sol, tokens] = await Promise.all([client.rpc.getBalance(w.signer.address, { commitment: "confirmed" }).send(), tokenBalance(client.rpc, ata.data)]);
    return { sol: sol.value, tokens };
  }, [w.signer, ata.data, client]);
  // The faucet answers once processed; the token account's notification says when it is confirmed.
  useAccountChanges(ata.data, balances.reload);
  const action = useAction(balances.reload);

  return (
    <section className="wallet-bar" data-testid="wallet-bar">
      {w.signer ? (
        <div className="wallet-connected">
          <span>
            {w.label}: <AddressLink address={w.signer.address} />
          </span>
          {balances.data ? (
            <span className="muted">
              {(Number(balances.data.sol) / 1e9).toFixed(3)} SOL · wallet <Tokens units={balances.data.tokens} testId="wallet-tokens" /> tokens
            </span>
          ) : null}
          {w.local ? (
            <button type="button" disabled={action.busy} onClick={() => action.run("faucet", () => requestLocalFunds(config.rpcUrl, w.signer!.address, deployment))} data-testid="faucet">
              Faucet: 2 SOL + 1,000 tokens
            </button>
          ) : null}
          <button type="button" onClick={w.disconnect}>
            Disconnect
          </button>
        </div>
      ) : (
        <div className="wallet-choices">
          {w.available.map((wallet) => (
            <button key={wallet.name} type="button" onClick={() => action.run(`connect ${wallet.name}`, () => w.connect(wallet))}>
              Connect {wallet.name}
            </button>
          ))}
          {w.local ? (
            <>
              <button type="button" onClick={() => action.run("development key", () => w.chooseDevWallet())} data-testid="use-dev-wallet">
                Use development key
              </button>
              <button type="button" onClick={() => setImporting(!importing)}>
                Import key…
              </button>
            </>
          ) : null}
          {!w.local && w.available.length === 0 ? <span className="muted">No Wallet Standard wallet found: install one to sign.</span> : null}
        </div>
      )}
      {importing && !w.signer ? (
        <div className="import">
          <textarea placeholder="[12,34,…] (64 numbers, Solana CLI keypair file)" value={secret} onChange={(e) => setSecret(e.target.value)} />
          <button type="button" onClick={() => action.run("import key", () => w.importDevKey(secret))}>
            Import
          </button>
        </div>
      ) : null}
      {action.status}
    </section>
  );
}
