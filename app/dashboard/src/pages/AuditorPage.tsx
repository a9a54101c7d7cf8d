// Auditor: the deployment's config, fee and router, every operator with its statistics, and
// the vault check (vault tokens against the sum of liabilities, computed by the SDK).
import { deploymentAccounts, fetchDeployment, reputationScore, tokenBalance, vaultCheck } from "@arknet/escrow";
import { useChain } from "../chain/ChainContext.tsx";
import { useAccountChanges } from "../hooks/useAccountChanges.ts";
import { useAsync } from "../hooks/useAsync.ts";
import { AddressLink, Tokens } from "../ui/format.tsx";
import { Empty, ErrorBox, Loading } from "../ui/states.tsx";

export function AuditorPage() {
  const { client, deployment, config } = useChain();
  const audit = useAsync(async () => {
    // The config is read again: its unwithdrawn fees are a liability that changes.
    const [accounts, vault, fresh] = await Promise.all([
      deploymentAccounts(client.rpc, deployment.programAddress, deployment.config),
      tokenBalance(client.rpc, deployment.vault),
      fetchDeployment(client.rpc, deployment.config),
    ]);
    return { accounts, check: vaultCheck(vault, fresh.data, accounts) };
  }, []);
  useAccountChanges(deployment.vault, audit.reload);
  const d = deployment;
  return (
    <div className="page auditor" data-testid="auditor-page">
      <section className="card">
        <h2>Deployment</h2>
        <table className="kv">
          <tbody>
            <tr><td>Cluster</td><td>{config.cluster} ({config.rpcUrl})</td></tr>
            <tr><td>Program</td><td><AddressLink address={d.programAddress} full /></td></tr>
            <tr><td>Config</td><td><AddressLink address={d.config} full /></td></tr>
            <tr><td>Mint</td><td><AddressLink address={d.mint} full /> ({d.decimals} decimals)</td></tr>
            <tr><td>Vault</td><td><AddressLink address={d.vault} full /></td></tr>
            <tr><td>Treasury</td><td><AddressLink address={d.treasury} full /></td></tr>
            <tr><td>Router</td><td><AddressLink address={d.router} full /></td></tr>
            <tr><td>Admin</td><td><AddressLink address={d.admin} full /></td></tr>
            <tr><td>Fee</td><td data-testid="fee">{(d.feeBps / 100).toFixed(2)}% ({d.feeBps} bps)</td></tr>
            <tr><td>Paused</td><td>{d.paused ? "yes" : "no"}</td></tr>
            <tr><td>Windows</td><td>grace {d.data.expiryGraceSecs.toString()} s · settlement {d.data.settlementWindowSecs.toString()} s · review {d.data.reviewWindowSecs.toString()} s · min duration {d.data.minDurationSecs.toString()} s</td></tr>
          </tbody>
        </table>
      </section>
      {audit.error ? (
        <ErrorBox error={audit.error} context="deployment accounts" onRetry={audit.reload} />
      ) : !audit.data ? (
        <Loading what="vault check" />
      ) : (
        <>
          <section className="card">
            <h2>Vault check</h2>
            <div className={`vault-check ${audit.data.check.surplus === 0n ? "ok" : "bad"}`} data-testid="vault-check" data-ok={String(audit.data.check.surplus === 0n)}>
              <div>
                Vault <Tokens units={audit.data.check.vault} testId="vault-amount" /> {audit.data.check.surplus === 0n ? "=" : "≠"} liabilities{" "}
                <Tokens units={audit.data.check.liabilities} testId="liabilities" />
              </div>
              <div className="muted">
                available <Tokens units={audit.data.check.available} /> + open executions <Tokens units={audit.data.check.openExecutions} /> + claimable{" "}
                <Tokens units={audit.data.check.claimable} /> + fees owed <Tokens units={audit.data.check.feesOwed} /> + fees unwithdrawn <Tokens units={audit.data.check.feesUnwithdrawn} />
              </div>
              {audit.data.check.surplus !== 0n ? (
                <div>
                  Difference <Tokens units={audit.data.check.surplus} />
                </div>
              ) : null}
            </div>
            <button type="button" onClick={audit.reload}>
              Re-check
            </button>
          </section>
          <section className="card">
            <h2>Operators</h2>
            {audit.data.accounts.operators.length === 0 ? (
              <Empty>No operators registered.</Empty>
            ) : (
              <table data-testid="auditor-operators">
                <thead>
                  <tr>
                    <th>Operator</th>
                    <th>Authority</th>
                    <th>Status</th>
                    <th>Assigned</th>
                    <th>Settled</th>
                    <th>Completed</th>
                    <th>Ratings</th>
                    <th>Earned</th>
                    <th>Claimable</th>
                    <th>Score</th>
                  </tr>
                </thead>
                <tbody>
                  {audit.data.accounts.operators.map((o) => (
                    <tr key={o.address}>
                      <td><AddressLink address={o.address} /></td>
                      <td><AddressLink address={o.data.authority} /></td>
                      <td>{["pending", "active", "suspended"][o.data.status] ?? o.data.status}</td>
                      <td>{o.data.segmentsAssigned.toString()}</td>
                      <td>{o.data.segmentsSettled.toString()}</td>
                      <td>{o.data.executionsCompleted.toString()}</td>
                      <td>{o.data.ratingCount.toString()}</td>
                      <td><Tokens units={o.data.totalEarned} /></td>
                      <td><Tokens units={o.data.claimable} /></td>
                      <td>{(Number(reputationScore(o.data).score) / 100).toFixed(2)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="muted">
              {audit.data.accounts.balances.length} balances · {audit.data.accounts.executions.length} execution accounts
            </p>
          </section>
        </>
      )}
    </div>
  );
}
