// The public score and its parts (docs/protocol.md "Public score"), computed by the SDK.
import { reputationScore, type OperatorStatistics } from "@arknet/escrow";

const pct = (bps: bigint) => `${(Number(bps) / 100).toFixed(2)}%`;

export function Reputation({ stats }: { stats: OperatorStatistics }) {
  const r = reputationScore(stats);
  return (
    <div className="reputation" data-testid="reputation" data-score={r.score.toString()}>
      <div className="score">Score {pct(r.score)}</div>
      <table>
        <tbody>
          <tr>
            <td>Reliability (60%)</td>
            <td>{pct(r.reliability)}</td>
            <td className="muted">
              (settled {stats.segmentsSettled.toString()} + 1) / (assigned {stats.segmentsAssigned.toString()} + 2)
            </td>
          </tr>
          <tr>
            <td>Ratings (25%)</td>
            <td>{pct(r.ratings)}</td>
            <td className="muted">
              (Σ stars {stats.ratingSum.toString()} − {stats.ratingCount.toString()} ratings + 4) / (4 × {stats.ratingCount.toString()} + 8)
            </td>
          </tr>
          <tr>
            <td>Jobs (15%)</td>
            <td>{pct(r.jobs)}</td>
            <td className="muted">
              completed {stats.executionsCompleted.toString()} / (completed + 10)
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
