// A whole execution through the SDK for read-side tests: one buyer, two operators, receipts,
// finalize(completed). Returns everything a test needs to check reads against.
import { generateKeyPairSigner, type Address, type KeyPairSigner } from "@solana/kit";
import { assignSegment, deposit, EndReason, finalize, OperatorStatus, registerOperator, reserve, setOperatorStatus, submitReceipts } from "../../src/flows/index.ts";
import { signReceipt } from "../../src/receipts/index.ts";
import { newWallet, type TestDeployment } from "./escrow.ts";

export interface FinishedExecution {
  buyer: KeyPairSigner;
  execution: Address;
  operators: { authority: KeyPairSigner; key: KeyPairSigner; operator: Address }[];
  /** Units and price per segment, as settled. */
  segments: { units: bigint; price: bigint; sku: string }[];
  maxBurn: bigint;
}

export async function runExecution(t: TestDeployment, opts: { finalize?: boolean; budget?: bigint } = {}): Promise<FinishedExecution> {
  const buyer = (await newWallet(t, 50_000_000n)).wallet;
  const operators = [];
  for (const [sku, price] of [["H100", 1_240n], ["RTX5090", 610n]] as const) {
    const authority = (await newWallet(t)).wallet;
    const key = await generateKeyPairSigner();
    const { operator } = await registerOperator(t.client, t.deployment, { authority, signingKey: key, rates: [{ sku, price }] });
    await setOperatorStatus(t.client, t.deployment, { admin: t.admin, operator, status: OperatorStatus.Active });
    operators.push({ authority, key, operator });
  }
  const maxBurn = 20_000_000n;
  await deposit(t.client, t.deployment, { depositor: buyer, amount: 30_000_000n });
  const { execution } = await reserve(t.client, t.deployment, { buyer, maxBurn, durationSecs: 600n });
  await assignSegment(t.client, t.deployment, { router: t.router, execution, operator: operators[0].operator, sku: "H100", maxPrice: 2_000n });
  await assignSegment(t.client, t.deployment, { router: t.router, execution, operator: operators[1].operator, sku: "RTX5090", maxPrice: 1_000n, budget: opts.budget ?? 0n });
  const receipts = [];
  for (let seq = 1; seq <= 3; seq++) {
    receipts.push(await signReceipt(operators[0].key, { execution, segment: 0, sku: "H100", cumulativeUnits: 1_000n * BigInt(seq), sequence: seq }));
    receipts.push(await signReceipt(operators[1].key, { execution, segment: 1, sku: "RTX5090", cumulativeUnits: 1_000n * BigInt(seq), sequence: seq }));
  }
  await submitReceipts(t.client, t.deployment, { feePayer: t.router, execution, receipts });
  if (opts.finalize !== false) await finalize(t.client, t.deployment, { authority: t.router, execution, reason: EndReason.Completed });
  return { buyer, execution, operators, maxBurn, segments: [{ units: 3_000n, price: 1_240n, sku: "H100" }, { units: 3_000n, price: 610n, sku: "RTX5090" }] };
}
