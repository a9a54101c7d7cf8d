// arknet receipt sign|verify: an operator signs the canonical receipt message offline; anyone
// verifies a receipt file. Receipt files are JSON: fields, signer, signature (base64).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { clientError } from "../errors.ts";
import { encodeReceiptMessage } from "../receipts/message.ts";
import { signReceipt, verifyReceipt, type SignedReceipt } from "../receipts/sign.ts";
import { parseAddress, parseInteger } from "./common.ts";
import type { ContextOf } from "./main.ts";
import { emit } from "./output.ts";
import { readKeypairFile } from "./settings.ts";

export function receiptToJson(r: SignedReceipt) {
  return {
    fields: { ...r.fields, cumulativeUnits: r.fields.cumulativeUnits.toString() },
    signer: r.signer,
    signature: Buffer.from(r.signature).toString("base64"),
    message: Buffer.from(r.message).toString("base64"),
  };
}

export function receiptFromJson(text: string): SignedReceipt {
  let j: any;
  try {
    j = JSON.parse(text);
  } catch {
    throw clientError("InvalidReceipt", "the receipt is not JSON");
  }
  const f = j?.fields;
  if (!f || typeof j.signature !== "string" || typeof j.signer !== "string") throw clientError("InvalidReceipt", "a receipt has fields, signer and signature");
  const fields = {
    execution: parseAddress(String(f.execution), "execution"),
    segment: Number(f.segment),
    sku: String(f.sku),
    cumulativeUnits: parseInteger(String(f.cumulativeUnits), "cumulativeUnits"),
    sequence: Number(f.sequence),
  };
  return { fields, signer: parseAddress(j.signer, "signer"), signature: Uint8Array.from(Buffer.from(j.signature, "base64")), message: encodeReceiptMessage(fields) };
}

export function registerReceipt(program: Command, context: ContextOf): void {
  const rc = program.command("receipt").description("operator receipts: sign and verify");

  rc.command("sign")
    .description("sign a cumulative receipt with the receipt key (prints the receipt JSON)")
    .requiredOption("--execution <ADDRESS>", "execution account")
    .requiredOption("--segment <N>", "segment index")
    .requiredOption("--sku <SKU>", "SKU of the segment")
    .requiredOption("--units <N>", "cumulative work units")
    .requiredOption("--sequence <N>", "sequence number, from 1")
    .option("--signing-key <KEYPAIR_FILE>", "receipt signing keypair (default: --keypair)")
    .action(async (o) => {
      const ctx = context();
      const fields = {
        execution: parseAddress(o.execution, "--execution"),
        segment: Number(parseInteger(o.segment, "--segment", 0n, 255n)),
        sku: o.sku as string,
        cumulativeUnits: parseInteger(o.units, "--units"),
        sequence: Number(parseInteger(o.sequence, "--sequence", 1n, 0xffffffffn)),
      };
      const key = o.signingKey ? await readKeypairFile(o.signingKey) : await ctx.signer();
      const r = await signReceipt(key, fields);
      ctx.io.out(JSON.stringify(receiptToJson(r), null, ctx.json ? 2 : undefined));
    });

  rc.command("verify")
    .description("verify a receipt file (- for stdin); exits 1 when the signature is bad")
    .argument("<FILE>", "receipt JSON file")
    .option("--signer <ADDRESS>", "the receipt key it must be signed by")
    .action(async (file: string, o) => {
      const ctx = context();
      let text: string;
      try {
        text = readFileSync(file === "-" ? 0 : file, "utf8");
      } catch {
        throw clientError("InvalidInput", `cannot read ${file}`);
      }
      const receipt = receiptFromJson(text);
      const signer = o.signer ? parseAddress(o.signer, "--signer") : undefined;
      const ok = await verifyReceipt(receipt, signer);
      if (!ok) throw clientError("InvalidSignature", `the receipt is not signed by ${signer ?? receipt.signer}`);
      emit(ctx, { ok, signer: receipt.signer }, `valid receipt signed by ${receipt.signer}`);
    });
}
