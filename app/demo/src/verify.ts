// The end-of-round check, read back from the chain through the SDK: every execution settled
// (completed) with each segment's settled units equal to its node's last receipt and consumed
// equal to their value at the pinned rates; the program's bill and the auditor's rebuild of it
// agree; each buyer's balance got exactly the refund; each operator's claim landed in its token
// account and covers what it earned net of the fee; the vault equals the sum of liabilities.
import { deploymentAccounts, fetchDeployment, getBill, readBalance, readMaybeExecution, readOperatorAt, tokenBalance, vaultCheck, verifyBill } from "@arknet/escrow";
import type { DemoWorld } from "./setup.ts";
import type { RoundResult } from "./workload.ts";

export interface RoundCheck {
  ok: boolean;
  failures: string[];
  consumed: bigint;
  refunded: bigint;
  claimed: bigint;
  vault: bigint;
  liabilities: bigint;
}

const SETTLED = 2;
const COMPLETED = 1;

export async function verifyRound(world: DemoWorld, round: RoundResult): Promise<RoundCheck> {
  const { rpc } = world.client;
  const d = world.deployment;
  const failures: string[] = [];
  const expect = (cond: boolean, what: string) => cond || failures.push(what);
  let consumedTotal = 0n;
  let refunded = 0n;
  const consumedBy = new Map<string, bigint>();
  const earned = new Map<string, bigint>();

  for (const ex of round.executions) {
    const acc = await readMaybeExecution(rpc, ex.address, d.programAddress);
    if (!acc) {
      failures.push(`execution ${ex.address} has no account`);
      continue;
    }
    expect(acc.status === SETTLED && acc.endReason === COMPLETED, `execution ${ex.address}: status ${acc.status}, end reason ${acc.endReason} (want settled, completed)`);
    let want = 0n;
    for (const s of ex.segments) {
      const seg = acc.segments[s.segment];
      const value = s.units * s.price;
      want += value;
      const fee = (value * BigInt(d.feeBps)) / 10_000n;
      earned.set(s.operator.account, (earned.get(s.operator.account) ?? 0n) + value - fee);
      expect(seg?.operator === s.operator.account, `${ex.address}#${s.segment}: operator ${seg?.operator}, want ${s.operator.account}`);
      expect(seg?.settledUnits === s.units, `${ex.address}#${s.segment}: settled ${seg?.settledUnits} units, last receipt ${s.units}`);
      expect(seg?.charged === value, `${ex.address}#${s.segment}: charged ${seg?.charged}, want ${value}`);
    }
    expect(acc.consumed === want, `${ex.address}: consumed ${acc.consumed}, last receipts are worth ${want}`);
    consumedTotal += acc.consumed;
    consumedBy.set(ex.buyer.signer.address, (consumedBy.get(ex.buyer.signer.address) ?? 0n) + acc.consumed);
    const bill = await getBill(rpc, ex.address, d.programAddress);
    expect(bill.status === "final" && bill.refund === ex.maxBurn - acc.consumed, `${ex.address}: bill ${bill.status}, refund ${bill.refund}, want ${ex.maxBurn - acc.consumed}`);
    refunded += bill.refund;
    const audit = await verifyBill(rpc, ex.address, d.programAddress, d.feeBps);
    expect(audit.ok, `${ex.address}: the auditor's rebuilt bill differs: ${audit.mismatches.join("; ")}`);
  }

  for (const b of round.buyers) {
    const bal = await readBalance(rpc, d, b.buyer.signer.address);
    const want = b.availableBefore + b.deposited - (consumedBy.get(b.buyer.signer.address) ?? 0n);
    expect(bal?.reserved === 0n && bal?.available === want, `${b.buyer.name}: available ${bal?.available}, reserved ${bal?.reserved}; want ${want} and 0`);
  }

  let claimed = 0n;
  for (const op of world.operators) {
    const c = round.claims.find((x) => x.operator === op);
    const want = earned.get(op.account) ?? 0n;
    expect((c?.amount ?? 0n) === want, `${op.name}: claimed ${c?.amount ?? 0n}, earned ${want} net of the fee`);
    if (c) {
      expect(c.after - c.before === c.amount, `${op.name}: payout account moved ${c.after - c.before}, claimed ${c.amount}`);
      claimed += c.amount;
    }
    const acc = await readOperatorAt(rpc, op.account, d.programAddress);
    expect(acc.claimable === 0n, `${op.name}: ${acc.claimable} still claimable after the claim`);
  }

  const check = vaultCheck(await tokenBalance(rpc, d.vault), (await fetchDeployment(rpc, d.config)).data, await deploymentAccounts(rpc, d.programAddress, d.config));
  expect(check.surplus === 0n, `vault ${check.vault} ≠ liabilities ${check.liabilities}`);
  return { ok: failures.length === 0, failures, consumed: consumedTotal, refunded, claimed, vault: check.vault, liabilities: check.liabilities };
}
