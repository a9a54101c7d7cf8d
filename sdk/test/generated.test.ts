// The committed Codama client must be exactly what `npm run generate` makes from today's IDL,
// and every program error and event of the IDL must be reachable through the SDK.
import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, IDL_PATH } from "../scripts/generate.ts";
import { ArknetError, PROGRAM_ERROR_NAMES, programError } from "../src/errors.ts";
import { EVENT_NAMES } from "../src/events.ts";

const GENERATED = fileURLToPath(new URL("../src/generated", import.meta.url));
const idl = JSON.parse(readFileSync(IDL_PATH, "utf8"));

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

describe("generated client", () => {
  it("is up to date with idl/arknet_escrow.json (run `npm run generate` when this fails)", async function () {
    this.timeout(60_000);
    const fresh = mkdtempSync(join(tmpdir(), "arknet-generated-"));
    try {
      await generate(fresh);
      const want = files(fresh);
      const have = files(GENERATED);
      expect([...have.keys()].sort()).to.deep.equal([...want.keys()].sort());
      for (const [path, text] of want) expect(have.get(path) === text, `${path} is stale`).to.equal(true);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("maps every program error code to its IDL name and message", () => {
    expect(PROGRAM_ERROR_NAMES.size).to.equal(idl.errors.length);
    for (const e of idl.errors) {
      const err = programError(e.code, { logs: ["Program log: x"] });
      expect(err).to.be.instanceOf(ArknetError);
      expect(err.errorName).to.equal(e.name);
      expect(err.message).to.equal(e.msg);
      expect(err.logs).to.deep.equal(["Program log: x"]);
    }
    expect(programError(1).errorName).to.equal("UnknownProgramError");
  });

  it("decodes every IDL event", () => {
    expect([...EVENT_NAMES].sort()).to.deep.equal(idl.events.map((e: { name: string }) => e.name).sort());
  });
});
