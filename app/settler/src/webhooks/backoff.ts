// Retry schedule: base · 2^(attempt−1), capped; `jitter` (0..1) spreads retries of many
// deliveries that failed together.

export function retryDelayMs(attempt: number, opts: { baseDelayMs: number; maxDelayMs: number; jitter?: number; random?: () => number }): number {
  const exp = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const j = opts.jitter ?? 0;
  const r = opts.random ?? Math.random;
  return Math.round(exp * (1 - j + j * r()));
}
