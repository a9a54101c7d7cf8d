// Token buckets keyed by a string (operator key, router token, client address). A request
// takes `cost` tokens from each of its keys at once, or none: a refused flood leaves no trace.

export interface TokenBuckets {
  /** Takes the tokens, or returns the milliseconds until the first short bucket would have them. */
  take(costs: Map<string, number>): { ok: true } | { ok: false; key: string; retryAfterMs: number };
}

export function createTokenBuckets(opts: { perSecond: number; burst: number; now?: () => number; maxKeys?: number }): TokenBuckets {
  const now = opts.now ?? (() => performance.now());
  const maxKeys = opts.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const level = (key: string, t: number) => {
    const b = buckets.get(key);
    if (!b) return opts.burst;
    return Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.perSecond);
  };
  return {
    take(costs) {
      const t = now();
      for (const [key, cost] of costs) {
        const have = level(key, t);
        if (have < cost) {
          const retryAfterMs = cost > opts.burst ? Infinity : Math.ceil(((cost - have) / opts.perSecond) * 1000);
          return { ok: false, key, retryAfterMs };
        }
      }
      for (const [key, cost] of costs) {
        const tokens = level(key, t) - cost;
        buckets.delete(key); // re-insert: the map's order is least recently used first
        buckets.set(key, { tokens, at: t });
      }
      // Forget the least recently used keys beyond the cap; a forgotten key starts full again.
      while (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
      return { ok: true };
    },
  };
}
