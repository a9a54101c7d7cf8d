// The operator's rate card: price per work unit per SKU, with units and tokens served; edits
// (price 0 withdraws a SKU) are sent together through the SDK's setRates.
import { decodeSku, formatAmount, parseAmount, setRates, type Operator, type RateCardEntry } from "@arknet/escrow";
import type { TransactionSigner } from "@solana/kit";
import { useState } from "react";
import { useChain } from "../../chain/ChainContext.tsx";
import { useAction } from "../../hooks/useAction.tsx";
import { Tokens } from "../../ui/format.tsx";

export function RateCardEditor({ operator, authority, onSaved }: { operator: Operator; authority: TransactionSigner; onSaved: () => void }) {
  const { client, deployment } = useChain();
  const lines = operator.rates.slice(0, operator.rateCount);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [newSku, setNewSku] = useState("");
  const [newPrice, setNewPrice] = useState("");
  const action = useAction(() => {
    setEdits({});
    setNewSku("");
    setNewPrice("");
    onSaved();
  });
  const save = () =>
    action.run("set rates", () => {
      const rates: RateCardEntry[] = Object.entries(edits).map(([sku, text]) => ({ sku, price: parseAmount(text, deployment.decimals, `${sku} price`) }));
      if (newSku.trim()) rates.push({ sku: newSku.trim(), price: parseAmount(newPrice, deployment.decimals, `${newSku} price`) });
      return setRates(client, deployment, { authority, rates });
    });
  return (
    <div className="rate-card" data-testid="rate-card">
      <table>
        <thead>
          <tr>
            <th>SKU</th>
            <th>Price / unit</th>
            <th>Units served</th>
            <th>Tokens served</th>
            <th>New price</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((r) => {
            const sku = decodeSku(r.sku);
            return (
              <tr key={sku} data-sku={sku}>
                <td>{sku}</td>
                <td>{r.price === 0n ? <span className="muted">withdrawn</span> : <Tokens units={r.price} />}</td>
                <td>{r.unitsServed.toString()}</td>
                <td>
                  <Tokens units={r.tokensServed} />
                </td>
                <td>
                  <input aria-label={`${sku} new price`} placeholder={formatAmount(r.price, deployment.decimals)} value={edits[sku] ?? ""} onChange={(e) => setEdits({ ...edits, [sku]: e.target.value })} size={8} />
                </td>
              </tr>
            );
          })}
          <tr>
            <td>
              <input aria-label="new SKU" placeholder="new SKU" value={newSku} maxLength={8} onChange={(e) => setNewSku(e.target.value)} size={8} />
            </td>
            <td colSpan={3} className="muted">
              up to 8 lines; price 0 withdraws a SKU
            </td>
            <td>
              <input aria-label="new SKU price" placeholder="price" value={newPrice} onChange={(e) => setNewPrice(e.target.value)} size={8} />
            </td>
          </tr>
        </tbody>
      </table>
      <button type="button" disabled={action.busy || (Object.keys(edits).length === 0 && !newSku.trim())} onClick={save} data-testid="save-rates">
        Save rates
      </button>
      {action.status}
    </div>
  );
}
