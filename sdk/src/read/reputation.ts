// The public operator score (docs/protocol.md, "Public score"): integer arithmetic on the
// Operator account's statistics, in basis points 0..10 000. Every line is floored on its own.

export interface OperatorStatistics {
  segmentsAssigned: bigint;
  segmentsSettled: bigint;
  executionsCompleted: bigint;
  ratingCount: bigint;
  ratingSum: bigint;
}

export interface ReputationScore {
  /** Share of assigned segments that settled a receipt (prior: 1 of 2). */
  reliability: bigint;
  /** Average stars mapped to 0..10 000 (prior: two 3-star ratings). */
  ratings: bigint;
  /** Completed executions, saturating (50% at 10). */
  jobs: bigint;
  /** 60% reliability + 25% ratings + 15% jobs. */
  score: bigint;
}

export function reputationScore(s: OperatorStatistics): ReputationScore {
  const reliability = (10_000n * (s.segmentsSettled + 1n)) / (s.segmentsAssigned + 2n);
  const ratings = (10_000n * (s.ratingSum - s.ratingCount + 4n)) / (4n * s.ratingCount + 8n);
  const jobs = (10_000n * s.executionsCompleted) / (s.executionsCompleted + 10n);
  const score = (6_000n * reliability + 2_500n * ratings + 1_500n * jobs) / 10_000n;
  return { reliability, ratings, jobs, score };
}
