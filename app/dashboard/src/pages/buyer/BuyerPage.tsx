// Buyer: balance (available / reserved), deposit, withdraw, reserve with a max burn, and the
// executions with their live burn meters and bills.
import { balanceAddress, deposit, listExecutions, readBalance, reserve, withdraw } from "@arknet/escrow";
import type { Address } from "@solana/kit";
import { useState } from "react";
import { useChain } from "../../chain/ChainContext.tsx";
import { AmountForm } from "../../components/AmountForm.tsx";
import { useAccountChanges } from "../../hooks/useAccountChanges.ts";
import { useAction } from "../../hooks/useAction.tsx";
import { useAsync } from "../../hooks/useAsync.ts";
import { Tokens } from "../../ui/format.tsx";
import { Empty, ErrorBox, Loading } from "../../ui/states.tsx";
import { useWallet } from "../../wallet/WalletContext.tsx";
import { ExecutionRow } from "./ExecutionRow.tsx";
import { knownExecutions, rememberExecution } from "./knownExecutions.ts";

export function BuyerPage() {
  const { signer } = useWallet();
  if (!signer) return <Empty>Connect a wallet to see your balance and executions.</Empty>;
  return <BuyerView key={signer.address} />;
}

function BuyerView() {
  const { client, deployment } = useChain();
  const buyer = useWallet().signer!;
  const [duration, setDuration] = useState("3600");
  const balance = useAsync(() => readBalance(client.rpc, deployment, buyer.address), [buyer.address]);
  const balancePda = useAsync(() => balanceAddress(deployment.config, buyer.address, deployment.programAddress), [buyer.address]);
  const executions = useAsync(async () => {
    const open = (await listExecutions(client.rpc, deployment.programAddress, { buyer: buyer.address, config: deployment.config })).map((e) => e.address);
    const known = knownExecutions(deployment.config, buyer.address);
    return [...new Set<Address>([...open, ...known])].reverse();
  }, [buyer.address]);
  useAccountChanges(balancePda.data, balance.reload);
  const refresh = () => {
    balance.reload();
    executions.reload();
  };
  const action = useAction(refresh);

  return (
    <div className="page buyer" data-testid="buyer-page">
      <section className="card">
        <h2>Balance</h2>
        {balance.error ? (
          <ErrorBox error={balance.error} context="balance" onRetry={balance.reload} />
        ) : balance.data === undefined ? (
          <Loading what="balance" />
        ) : (
          <div className="figures">
            <div>
              Available <Tokens units={balance.data?.available ?? 0n} testId="available" />
            </div>
            <div>
              Reserved <Tokens units={balance.data?.reserved ?? 0n} testId="reserved" />
            </div>
            {balance.data === null ? <Empty>No balance yet: deposit to create it.</Empty> : null}
          </div>
        )}
        <AmountForm label="Deposit" name="deposit" disabled={action.busy} onSubmit={(amount) => action.run("deposit", () => deposit(client, deployment, { depositor: buyer, amount }))} />
        <AmountForm label="Withdraw" name="withdraw" disabled={action.busy} onSubmit={(amount) => action.run("withdraw", () => withdraw(client, deployment, { buyer, amount }))} />
        <AmountForm
          label="Reserve"
          name="reserve"
          disabled={action.busy}
          onSubmit={(maxBurn) =>
            action.run("reserve", async () => {
              const r = await reserve(client, deployment, { buyer, maxBurn, durationSecs: BigInt(duration || "0") });
              rememberExecution(deployment.config, buyer.address, r.execution);
              return r;
            })
          }
        >
          <label>
            for <input name="duration" inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value.replace(/\D/g, ""))} size={6} /> s (max burn above)
          </label>
        </AmountForm>
        {action.status}
      </section>
      <section className="card">
        <h2>Executions</h2>
        {executions.error ? (
          <ErrorBox error={executions.error} context="executions" onRetry={executions.reload} />
        ) : executions.data === undefined ? (
          <Loading what="executions" />
        ) : executions.data.length === 0 ? (
          <Empty>No executions: reserve one above.</Empty>
        ) : (
          executions.data.map((a) => <ExecutionRow key={a} address={a} buyer={buyer} onChanged={balance.reload} />)
        )}
      </section>
    </div>
  );
}
