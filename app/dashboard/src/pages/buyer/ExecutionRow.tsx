// One execution of the buyer: live burn meter (account subscription → SDK re-read), status,
// the bill, and the actions the program allows now (cancel, finalize after expiry, rate).
import { END_REASON_NAMES, EndReason, cancel, finalize, getBill, rate, readMaybeExecution } from "@arknet/escrow";
import type { Address, TransactionSigner } from "@solana/kit";
import { useState } from "react";
import { useChain } from "../../chain/ChainContext.tsx";
import { BillTable } from "../../components/BillTable.tsx";
import { BurnMeter } from "../../components/BurnMeter.tsx";
import { useAccountChanges } from "../../hooks/useAccountChanges.ts";
import { useAction } from "../../hooks/useAction.tsx";
import { useAsync } from "../../hooks/useAsync.ts";
import { useNowSecs } from "../../hooks/useNow.ts";
import { settlerExecution } from "../../settler/settlerApi.ts";
import { SettlerProgress } from "../../settler/SettlerProgress.tsx";
import { AddressLink } from "../../ui/format.tsx";
import { ErrorBox, Loading } from "../../ui/states.tsx";

const STATUS = ["?", "open", "settled"];

export function ExecutionRow({ address, buyer, onChanged }: { address: Address; buyer: TransactionSigner; onChanged: () => void }) {
  const { client, deployment, config } = useChain();
  const [showBill, setShowBill] = useState(false);
  const ex = useAsync(() => readMaybeExecution(client.rpc, address, deployment.programAddress), [address]);
  const bill = useAsync(async () => (showBill || ex.data === null ? getBill(client.rpc, address, deployment.programAddress) : null), [address, showBill, ex.data]);
  const settler = useAsync(async () => (config.settlerUrl === undefined ? undefined : settlerExecution(config, address)), [address, ex.data]);
  useAccountChanges(address, () => {
    ex.reload();
    onChanged();
  });
  const action = useAction(() => {
    ex.reload();
    onChanged();
  });
  const [stars, setStars] = useState(5);
  const now = useNowSecs();

  if (ex.error) return <ErrorBox error={ex.error} context={`execution ${address}`} onRetry={ex.reload} />;
  if (ex.data === undefined) return <Loading what="execution" />;
  const e = ex.data;
  const status = e ? STATUS[e.status] : "closed";
  const paidOperators = e ? [...new Map(e.segments.slice(0, e.segmentCount).filter((s) => s.charged > 0n).map((s) => [s.operator, s.rating])).entries()] : [];

  return (
    <div className="execution" data-testid="execution" data-address={address} data-status={status}>
      <div className="execution-head">
        <AddressLink address={address} />
        {e ? <span>#{e.executionId.toString()}</span> : null}
        <span className={`badge ${status}`} data-testid="execution-status">
          {status}
          {e && e.status === 2 ? ` (${END_REASON_NAMES[e.endReason] ?? e.endReason})` : ""}
        </span>
        {e ? <span className="muted">expires {new Date(Number(e.expiresAt) * 1000).toLocaleTimeString()}</span> : null}
      </div>
      {e ? <BurnMeter consumed={e.consumed} maxBurn={e.maxBurn} /> : null}
      {settler.data !== undefined && !settler.error ? <SettlerProgress view={settler.data} /> : null}
      <div className="actions">
        <button type="button" onClick={() => setShowBill(!showBill)} data-testid="toggle-bill">
          {showBill ? "Hide bill" : "Bill"}
        </button>
        {e && e.status === 1 && e.segmentCount === 0 ? (
          <button type="button" disabled={action.busy} onClick={() => action.run("cancel", () => cancel(client, deployment, { buyer, execution: address }))} data-testid="cancel">
            Cancel (full refund)
          </button>
        ) : null}
        {e && e.status === 1 ? (
          <button
            type="button"
            disabled={action.busy || now < e.expiresAt + e.settlementWindowSecs}
            title={`allowed from ${new Date(Number(e.expiresAt + e.settlementWindowSecs) * 1000).toLocaleTimeString()}`}
            onClick={() => action.run("finalize", () => finalize(client, deployment, { authority: buyer, execution: address, reason: EndReason.Expired }))}
            data-testid="finalize"
          >
            Finalize (expired)
          </button>
        ) : null}
        {e && e.status === 2
          ? paidOperators.map(([operator, rating]) =>
              rating > 0 ? (
                <span key={operator} className="muted">
                  rated <AddressLink address={operator} /> {rating}★
                </span>
              ) : (
                <span key={operator} className="rate">
                  <select value={stars} onChange={(ev) => setStars(Number(ev.target.value))} aria-label="stars">
                    {[5, 4, 3, 2, 1].map((n) => (
                      <option key={n} value={n}>
                        {n}★
                      </option>
                    ))}
                  </select>
                  <button type="button" disabled={action.busy} onClick={() => action.run("rate", () => rate(client, deployment, { buyer, execution: address, operator, stars }))} data-testid="rate">
                    Rate <AddressLink address={operator} />
                  </button>
                </span>
              ),
            )
          : null}
      </div>
      {action.status}
      {showBill || !e ? bill.error ? <ErrorBox error={bill.error} context="bill" onRetry={bill.reload} /> : bill.data ? <BillTable bill={bill.data} /> : <Loading what="bill" /> : null}
    </div>
  );
}
