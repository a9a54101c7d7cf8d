// Operator: registration status (or registering, with a receipt key made here), rate card,
// earnings per SKU over time, claim, and the reputation score with its parts.
import { claim, operatorAddress, operatorEarnings, readOperator, registerOperator } from "@arknet/escrow";
import { createKeyPairSignerFromPrivateKeyBytes, getAddressEncoder } from "@solana/kit";
import { useChain } from "../../chain/ChainContext.tsx";
import { EarningsChart } from "../../components/EarningsChart.tsx";
import { Reputation } from "../../components/Reputation.tsx";
import { useAccountChanges } from "../../hooks/useAccountChanges.ts";
import { useAction } from "../../hooks/useAction.tsx";
import { useAsync } from "../../hooks/useAsync.ts";
import { AddressLink, Tokens } from "../../ui/format.tsx";
import { Empty, ErrorBox, Loading } from "../../ui/states.tsx";
import { useWallet } from "../../wallet/WalletContext.tsx";
import { RateCardEditor } from "./RateCardEditor.tsx";

const STATUS = ["pending approval", "active", "suspended"];

export function OperatorPage() {
  const { signer } = useWallet();
  if (!signer) return <Empty>Connect the operator's wallet to see its registration and earnings.</Empty>;
  return <OperatorView key={signer.address} />;
}

function OperatorView() {
  const { client, deployment } = useChain();
  const authority = useWallet().signer!;
  const account = useAsync(() => operatorAddress(deployment.config, authority.address, deployment.programAddress), [authority.address]);
  const op = useAsync(() => readOperator(client.rpc, deployment, authority.address), [authority.address]);
  const earnings = useAsync(async () => (account.data && op.data ? operatorEarnings(client.rpc, account.data, deployment.programAddress) : []), [account.data, op.data]);
  useAccountChanges(account.data, op.reload);
  const action = useAction(op.reload);

  const register = () =>
    action.run("register", async () => {
      // The GPU node's receipt key must co-sign; its secret is kept here for the node to take.
      const seed = crypto.getRandomValues(new Uint8Array(32));
      const signingKey = await createKeyPairSignerFromPrivateKeyBytes(seed);
      const r = await registerOperator(client, deployment, { authority, signingKey });
      localStorage.setItem(`arknet.nodeKey.${authority.address}`, JSON.stringify([...seed, ...getAddressEncoder().encode(signingKey.address)]));
      return r;
    });

  if (op.error) return <ErrorBox error={op.error} context="operator account" onRetry={op.reload} />;
  if (op.data === undefined) return <Loading what="operator" />;
  const o = op.data;
  if (o === null) {
    return (
      <div className="page operator" data-testid="operator-page">
        <section className="card">
          <h2>Not registered</h2>
          <p>Registering creates the operator account with a new receipt signing key for your GPU node; the deployment's admin then activates it.</p>
          <button type="button" disabled={action.busy} onClick={register} data-testid="register">
            Register as operator
          </button>
          {action.status}
        </section>
      </div>
    );
  }
  const nodeKey = localStorage.getItem(`arknet.nodeKey.${authority.address}`);
  return (
    <div className="page operator" data-testid="operator-page">
      <section className="card">
        <h2>Registration</h2>
        <div>
          Account {account.data ? <AddressLink address={account.data} /> : null} · status{" "}
          <span className={`badge s${o.status}`} data-testid="operator-status">
            {STATUS[o.status] ?? o.status}
          </span>{" "}
          · receipt key <AddressLink address={o.signingKey} />
          {nodeKey ? (
            <a className="download" download="node-key.json" href={`data:application/json,${encodeURIComponent(nodeKey)}`}>
              {" "}
              download node key
            </a>
          ) : null}
        </div>
      </section>
      <section className="card">
        <h2>Earnings</h2>
        <div className="figures">
          <div>
            Claimable <Tokens units={o.claimable} testId="claimable" />
          </div>
          <div>
            Total earned <Tokens units={o.totalEarned} />
          </div>
          <div>
            Claimed <Tokens units={o.totalClaimed} testId="claimed" />
          </div>
        </div>
        <button type="button" disabled={action.busy || o.claimable === 0n} onClick={() => action.run("claim", () => claim(client, deployment, { authority, amount: o.claimable }))} data-testid="claim">
          Claim all
        </button>
        {action.status}
        {earnings.error ? (
          <ErrorBox error={earnings.error} context="earnings history" onRetry={earnings.reload} />
        ) : earnings.data === undefined ? (
          <Loading what="earnings history" />
        ) : earnings.data.length === 0 ? (
          <Empty>No settled receipts yet.</Empty>
        ) : (
          <EarningsChart points={earnings.data} decimals={deployment.decimals} />
        )}
      </section>
      <section className="card">
        <h2>Rate card</h2>
        <RateCardEditor operator={o} authority={authority} onSaved={op.reload} />
      </section>
      <section className="card">
        <h2>Reputation</h2>
        <Reputation stats={o} />
      </section>
    </div>
  );
}
