// Consumed against max burn: a bar and the two amounts (a prediction display; the program decides).
import { Tokens } from "../ui/format.tsx";

export function BurnMeter({ consumed, maxBurn }: { consumed: bigint; maxBurn: bigint }) {
  const pct = maxBurn > 0n ? Number((consumed * 10_000n) / maxBurn) / 100 : 0;
  return (
    <div className="burn-meter" data-testid="burn-meter" data-consumed={consumed.toString()} data-max-burn={maxBurn.toString()}>
      <div className="bar">
        <div className="fill" style={{ width: `${Math.min(100, pct)}%` }} />
      </div>
      <span>
        <Tokens units={consumed} /> / <Tokens units={maxBurn} /> ({pct.toFixed(1)}%)
      </span>
    </div>
  );
}
