// The API docs build: typedoc renders the package's entry points without a warning (the
// rendered HTML goes to docs/api with `npm run docs`; here nothing is written).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { USE_AGAVE } from "./support/cluster.ts";

describe("API docs (typedoc)", function () {
  before(function () {
    if (USE_AGAVE) this.skip(); // no validator involved: once per `npm test` is enough
  });

  it("build from the entry points with warnings treated as errors", function () {
    this.timeout(120_000);
    const typedoc = join(dirname(createRequire(import.meta.url).resolve("typedoc/package.json")), "bin/typedoc");
    const sdk = fileURLToPath(new URL("..", import.meta.url));
    const r = spawnSync(process.execPath, [typedoc, "--emit", "none", "--treatWarningsAsErrors"], { cwd: sdk, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
  });
});
