// `npm run fuzz`: the conservation property of tests/fuzz/conservation.ts with a budget
// from the environment. FUZZ_RUNS sequences (default 50) of FUZZ_STEPS steps (default
// 60) from seed FUZZ_SEED (default: random, printed so a failure can be replayed).
import { fuzzConservation, newStats } from "./conservation.ts";

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${v}`);
  return n;
};

const budget = {
  runs: int("FUZZ_RUNS", 50),
  steps: int("FUZZ_STEPS", 60),
  seed: int("FUZZ_SEED", Math.floor(Math.random() * 2 ** 31)),
};
console.log(`conservation fuzz: ${budget.runs} sequences of ${budget.steps} steps, seed ${budget.seed}`);
const stats = newStats();
const started = Date.now();
let failed: unknown;
try {
  await fuzzConservation(budget, stats);
} catch (e) {
  failed = e;
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
const refused = [...stats.refused.values()].reduce((a, b) => a + b, 0);
const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ");
console.log(`ran ${stats.sequences} sequences, ${stats.steps} steps in ${secs} s: ${stats.succeeded} transactions succeeded, ${refused} refused`);
console.log(`  succeeded: ${sorted(stats.okByKind)}`);
console.log(`  refused:   ${sorted(stats.refused)}`);
if (failed) {
  console.error(failed instanceof Error ? failed.message : failed);
  console.log(`FAILED: replay with FUZZ_SEED=${budget.seed} FUZZ_RUNS=${budget.runs} FUZZ_STEPS=${budget.steps}`);
  process.exit(1);
}
console.log(`${stats.sequences} passed, 0 failed`);
