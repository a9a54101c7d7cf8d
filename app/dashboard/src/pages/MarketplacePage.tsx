// Marketplace: every operator's rate per SKU, its eqv/hr projection and reputation; sortable.
import { decodeSku, deploymentAccounts, formatAmount, reputationScore } from "@arknet/escrow";
import { useState } from "react";
import { useChain } from "../chain/ChainContext.tsx";
import { useAsync } from "../hooks/useAsync.ts";
import { AddressLink, Tokens } from "../ui/format.tsx";
import { Empty, ErrorBox, Loading } from "../ui/states.tsx";
import { GPU_CLASSES, eqvPerHour } from "./gpuClasses.ts";

type Key = "sku" | "price" | "eqv" | "score" | "served";
const STATUS = ["pending", "active", "suspended"];

export function MarketplacePage() {
  const { client, deployment } = useChain();
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: "price", desc: false });
  const accounts = useAsync(() => deploymentAccounts(client.rpc, deployment.programAddress, deployment.config), []);
  if (accounts.error) return <ErrorBox error={accounts.error} context="operators" onRetry={accounts.reload} />;
  if (!accounts.data) return <Loading what="marketplace" />;
  const rows = accounts.data.operators.flatMap((o) =>
    o.data.rates
      .slice(0, o.data.rateCount)
      .filter((r) => r.price > 0n)
      .map((r) => {
        const sku = decodeSku(r.sku);
        return { operator: o.address, status: o.data.status, sku, price: r.price, served: r.unitsServed, eqv: eqvPerHour(sku, r.price), score: reputationScore(o.data).score };
      }),
  );
  const value = (r: (typeof rows)[number]) => (sort.key === "sku" ? r.sku : sort.key === "eqv" ? (r.eqv ?? Infinity) : r[sort.key]);
  rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return sort.desc ? -c : c;
  });
  const header = (key: Key, label: string) => (
    <th>
      <button type="button" className="sort" data-sort={key} onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : false })}>
        {label} {sort.key === key ? (sort.desc ? "▼" : "▲") : ""}
      </button>
    </th>
  );
  return (
    <div className="page marketplace" data-testid="marketplace-page">
      <section className="card">
        <h2>Marketplace</h2>
        {rows.length === 0 ? (
          <Empty>No operator offers a SKU yet.</Empty>
        ) : (
          <table data-testid="marketplace">
            <thead>
              <tr>
                <th>Operator</th>
                {header("sku", "SKU")}
                {header("price", "Price / unit")}
                {header("eqv", "eqv/hr")}
                {header("score", "Reputation")}
                {header("served", "Units served")}
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.operator}:${r.sku}`} data-testid="offer" data-sku={r.sku}>
                  <td>
                    <AddressLink address={r.operator} />
                  </td>
                  <td>{r.sku}</td>
                  <td>
                    <Tokens units={r.price} />
                  </td>
                  <td>{r.eqv === null ? <span className="muted">unknown class</span> : formatAmount(BigInt(Math.round(r.eqv)), deployment.decimals)}</td>
                  <td>{(Number(r.score) / 100).toFixed(2)}%</td>
                  <td>{r.served.toString()}</td>
                  <td>{STATUS[r.status] ?? r.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted">
          eqv/hr: price of one H100-equivalent hour, taking a work unit as one GPU-second and these relative throughputs:{" "}
          {GPU_CLASSES.map((c) => `${c.sku} ${c.relative}`).join(", ")}.
        </p>
      </section>
    </div>
  );
}
