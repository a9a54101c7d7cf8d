// Cumulative net earnings per SKU over slots, as a small SVG line chart (one line per SKU).
import { formatAmount, type EarningsPoint } from "@arknet/escrow";

const COLORS = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];
const W = 520;
const H = 180;
const PAD = 36;

export function EarningsChart({ points, decimals }: { points: EarningsPoint[]; decimals: number }) {
  const series = new Map<string, { slot: bigint; total: bigint }[]>();
  for (const p of points) {
    const line = series.get(p.sku) ?? [];
    const prev = line.at(-1)?.total ?? 0n;
    line.push({ slot: p.slot, total: prev + p.charged - p.fee });
    series.set(p.sku, line);
  }
  const slots = points.map((p) => Number(p.slot));
  const minSlot = Math.min(...slots);
  const maxSlot = Math.max(...slots, minSlot + 1);
  const maxTotal = Math.max(1, ...[...series.values()].map((l) => Number(l.at(-1)!.total)));
  const x = (slot: bigint) => PAD + ((Number(slot) - minSlot) / (maxSlot - minSlot)) * (W - 2 * PAD);
  const y = (total: bigint) => H - PAD / 2 - (Number(total) / maxTotal) * (H - PAD);
  return (
    <figure className="chart" data-testid="earnings-chart">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="earnings per SKU">
        <line x1={PAD} y1={H - PAD / 2} x2={W - PAD} y2={H - PAD / 2} stroke="#999" />
        <line x1={PAD} y1={PAD / 2} x2={PAD} y2={H - PAD / 2} stroke="#999" />
        <text x={2} y={PAD / 2 + 4} fontSize="10">
          {formatAmount(BigInt(maxTotal), decimals)}
        </text>
        <text x={PAD} y={H - 2} fontSize="10">
          slot {minSlot}
        </text>
        <text x={W - PAD - 40} y={H - 2} fontSize="10">
          slot {maxSlot}
        </text>
        {[...series.entries()].map(([sku, line], i) => (
          <polyline
            key={sku}
            data-sku={sku}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={2}
            points={[{ slot: BigInt(minSlot), total: 0n }, ...line].map((p) => `${x(p.slot).toFixed(1)},${y(p.total).toFixed(1)}`).join(" ")}
          />
        ))}
      </svg>
      <figcaption>
        {[...series.entries()].map(([sku, line], i) => (
          <span key={sku} style={{ color: COLORS[i % COLORS.length] }}>
            ■ {sku}: {formatAmount(line.at(-1)!.total, decimals)}{" "}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
