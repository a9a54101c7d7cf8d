// security.txt (the solana-security-txt format): explorers and auditors find the
// contacts by searching the deployed program's bytes for the begin/end markers.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { SO_PATH } from "../support/svm.ts";

const BEGIN = "=======BEGIN SECURITY.TXT V1=======\0";
const END = "=======END SECURITY.TXT V1=======\0";

describe("security: security.txt in the deployed binary", () => {
  // The blob is a static in .rodata that the unknown-instruction path reads (see
  // programs/arknet-escrow/src/security_txt.rs): checked in whichever build ARKNET_SO names.
  it("carries the security.txt markers and contacts", () => {
    const so = readFileSync(SO_PATH).toString("latin1");
    const begin = so.indexOf(BEGIN);
    expect(begin, "begin marker").to.be.greaterThan(-1);
    const end = so.indexOf(END, begin);
    expect(end, "end marker").to.be.greaterThan(begin);
    const fields = so.slice(begin + BEGIN.length, end).split("\0");
    expect(fields).to.include.members(["name", "project_url", "contacts", "policy"]);
    expect(fields[fields.indexOf("name") + 1]).to.equal("ArkNet Escrow");
  });
});
