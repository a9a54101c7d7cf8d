import { expect } from "chai";
import { generateKeyPairSigner, lamports } from "@solana/kit";
import { createSvm, send, PROGRAM_ID } from "../support/svm.ts";
import { errorName } from "../support/refusals.ts";

describe("compiled program", () => {
  it("refuses an unknown instruction with UnknownInstruction", async () => {
    const payer = await generateKeyPairSigner();
    const svm = await createSvm(payer.address);
    svm.airdrop(payer.address, lamports(1_000_000_000n));
    const r = await send(svm, payer, [{ programAddress: PROGRAM_ID, accounts: [], data: new Uint8Array(8) }]);
    expect(r.ok).to.equal(false);
    expect(errorName(r.errorCode)).to.equal("UnknownInstruction");
  });
});
