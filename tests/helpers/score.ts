// The public operator score of docs/protocol.md ("Public score"), computed from an
// Operator account exactly as written there: integer arithmetic, each line floored.
export interface ScoreInputs {
  segments_assigned: bigint;
  segments_settled: bigint;
  executions_completed: bigint;
  rating_count: bigint;
  rating_sum: bigint;
}

export interface Score {
  reliability: bigint;
  ratings: bigint;
  jobs: bigint;
  /** Basis points, 0..10 000. */
  score: bigint;
}

export function operatorScore(op: ScoreInputs): Score {
  const reliability = (10_000n * (op.segments_settled + 1n)) / (op.segments_assigned + 2n);
  const ratings = (10_000n * (op.rating_sum - op.rating_count + 4n)) / (4n * op.rating_count + 8n);
  const jobs = (10_000n * op.executions_completed) / (op.executions_completed + 10n);
  const score = (6_000n * reliability + 2_500n * ratings + 1_500n * jobs) / 10_000n;
  return { reliability, ratings, jobs, score };
}
