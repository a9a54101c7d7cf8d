// How the pipeline judges a refused receipt against the chain: an "already done" refusal is a
// race to be read back, never a reason by itself to quarantine.
import { expect } from "chai";
import { programError, programErrorCode } from "@arknet/escrow";
import { PipelineRefusal, alreadyDoneRefusal, permanentRefusal, receiptOnChain } from "../src/pipeline/refusals.ts";

describe("pipeline refusals: a receipt against the chain", () => {
  const r = { cumulativeUnits: 643n, sequence: 16 };
  it("is settled only when the chain holds units and sequence at or above it", () => {
    expect(receiptOnChain(r, { settledUnits: 643n, lastSeq: 16 })).to.equal("settled");
    expect(receiptOnChain(r, { settledUnits: 700n, lastSeq: 17 })).to.equal("settled");
    expect(receiptOnChain(r, { settledUnits: 603n, lastSeq: 15 })).to.equal("above");
    expect(receiptOnChain(r, null)).to.equal("above");
  });
  it("is blocked when the chain holds one of the two at or above it but not the other", () => {
    expect(receiptOnChain(r, { settledUnits: 650n, lastSeq: 15 })).to.equal("blocked");
    expect(receiptOnChain(r, { settledUnits: 600n, lastSeq: 16 })).to.equal("blocked");
  });
  it("tells already-done refusals from the others", () => {
    expect(alreadyDoneRefusal(programError(programErrorCode("ReceiptNotNewer")!))).to.equal(true);
    expect(alreadyDoneRefusal(programError(programErrorCode("ExecutionSettled")!))).to.equal(true);
    expect(alreadyDoneRefusal(programError(programErrorCode("ReceiptSignerMismatch")!))).to.equal(false);
    expect(alreadyDoneRefusal(new PipelineRefusal("ReceiptNotNewer", "x"))).to.equal(false); // not the program's
    expect(permanentRefusal(new PipelineRefusal("SkuNotOffered", "x"))).to.equal(true);
  });
});
