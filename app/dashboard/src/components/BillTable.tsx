// The SDK's bill of one execution: a row per segment (operator, SKU, units, price, tokens),
// then the fee and the refund.
import type { Bill } from "@arknet/escrow";
import { END_REASON_NAMES } from "@arknet/escrow";
import { AddressLink, Tokens } from "../ui/format.tsx";

export function BillTable({ bill }: { bill: Bill }) {
  return (
    <div className="bill" data-testid="bill" data-status={bill.status}>
      <div className="muted">
        {bill.status === "final" ? `Final bill (${END_REASON_NAMES[bill.reason ?? 0] ?? "?"})` : "Running totals (open execution)"}
      </div>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Operator</th>
            <th>SKU</th>
            <th>Units</th>
            <th>Price / unit</th>
            <th>Tokens</th>
          </tr>
        </thead>
        <tbody>
          {bill.segments.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                No segment assigned.
              </td>
            </tr>
          ) : (
            bill.segments.map((s) => (
              <tr key={s.index} data-testid="bill-segment">
                <td>{s.index}</td>
                <td>
                  <AddressLink address={s.operator} />
                </td>
                <td>{s.sku}</td>
                <td>{s.units.toString()}</td>
                <td>
                  <Tokens units={s.price} />
                </td>
                <td>
                  <Tokens units={s.charged} testId="bill-segment-tokens" />
                </td>
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={5}>Consumed (of max burn <Tokens units={bill.maxBurn} />)</td>
            <td>
              <Tokens units={bill.consumed} testId="bill-consumed" />
            </td>
          </tr>
          <tr>
            <td colSpan={5}>of which protocol fee</td>
            <td>
              <Tokens units={bill.fee} />
            </td>
          </tr>
          <tr>
            <td colSpan={5}>{bill.status === "final" ? "Refunded" : "Refund if it ended now"}</td>
            <td>
              <Tokens units={bill.refund} testId="bill-refund" />
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
