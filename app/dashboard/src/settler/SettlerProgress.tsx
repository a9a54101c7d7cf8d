// Per segment, the newest receipt the settler accepted and whether it has landed on chain.
import type { SettlerExecution } from "./settlerApi.ts";

export function SettlerProgress({ view }: { view: SettlerExecution | null }) {
  if (!view) return <div className="muted settler-progress">settler: not routed through this settler</div>;
  return (
    <div className="muted settler-progress" data-testid="settler-progress">
      settler ({view.status}):{" "}
      {view.segments.length === 0
        ? "no segment yet"
        : view.segments.map((s) => (
            <span key={s.segment} data-segment={s.segment} data-pending={String(s.receipt?.pending ?? false)}>
              #{s.segment} {s.sku} {s.receipt ? `${s.receipt.cumulativeUnits} units accepted, ${s.receipt.settledUnits} settled${s.receipt.pending ? " (pending)" : ""}` : s.landed ? "assigned" : "assigning…"}{" "}
            </span>
          ))}
    </div>
  );
}
