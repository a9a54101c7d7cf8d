// `npm start` (the demo) and `npm run bench:cu` keep running against the current program.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

const TESTS_DIR = fileURLToPath(new URL("..", import.meta.url));

function run(script: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script], {
    cwd: TESTS_DIR,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  expect(r.status, `${script} exited ${r.status}\n${r.stdout}\n${r.stderr}`).to.equal(0);
  return r.stdout;
}

describe("demo and bench scripts", () => {
  it("the demo runs the whole execution and prints the bill and the refund", () => {
    const out = run("demo/run.ts");
    expect(out).to.match(/Bill of execution #1/);
    for (const code of ["H100", "A100", "RTX5090"]) expect(out).to.include(code);
    expect(out).to.match(/refund\s+4\.840000/);
    expect(out).to.match(/6 receipts, 2 operators, 1 transaction/);
  });

  it("bench:cu measures every instruction and writes the results shape", () => {
    const file = join(mkdtempSync(join(tmpdir(), "arknet-bench-")), "cu.json");
    run("bench/cu.ts", { BENCH_OUT: file });
    const results = JSON.parse(readFileSync(file, "utf8"));
    expect(results).to.include.keys("instructions", "so_bytes", "token_program", "receipts_per_tx");
    expect(results.receipts_per_tx).to.be.at.least(6);
    const names = Object.keys(results.instructions);
    for (const name of ["initialize", "deposit", "withdraw", "reserve", "reserve_from_wallet", "top_up",
      "assign_segment", "submit_receipts_1", `submit_receipts_${results.receipts_per_tx}`, "finalize", "claim",
      "withdraw_fees", "register_operator", "set_operator_rate"]) {
      expect(names).to.include(name);
      expect(results.instructions[name]).to.be.a("number").greaterThan(0);
    }
  });
});
