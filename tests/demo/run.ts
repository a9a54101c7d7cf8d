// `npm start`: one whole GPU execution against the compiled escrow program in LiteSVM,
// told for humans. A buyer deposits and reserves a max burn; the router splits the job
// over two operators and three SKUs at prices it agreed; the operators' nodes stream
// signed cumulative receipts; the router finalizes as completed (bill + refund in one
// instruction); the buyer rates the operators and closes the bill; operators claim.
// Every number printed is read back from the program's accounts or events.
import type { Address } from "@solana/kit";
import { END, Deployment, expectOk, type Buyer, type Operator } from "../support/deployment.ts";
import { programComputeUnits, type TxResult } from "../support/svm.ts";
import { decodeSku } from "@arknet/escrow";
import { programEvents } from "../support/events.ts";

const DECIMALS = 6;
const FEE_BPS = 250;
/** Prices in token base units (6 decimals) per work unit, a GPU-second here. */
const PRICES = { H100: 800n, A100: 500n, RTX5090: 200n };

const fmt = (base: bigint) => {
  const unit = 10n ** BigInt(DECIMALS);
  const frac = (base % unit).toString().padStart(DECIMALS, "0");
  return `${(base / unit).toString()}.${frac}`;
};
const short = (a: Address) => `${a.slice(0, 4)}…${a.slice(-4)}`;
const txInfo = (r: TxResult) => `[${programComputeUnits(r)} CU, ${r.size} bytes]`;
const event = (r: TxResult, name: string) => programEvents(r).find((e) => e.name === name)!.data;

async function main() {
  console.log("ArkNet Escrow: one pay-per-execution GPU job, end to end (LiteSVM, compiled program)\n");

  const d = await Deployment.create({ feeBps: FEE_BPS, decimals: DECIMALS });
  console.log(`Deployment  config ${short(d.config)}, vault ${short(d.vault)}, protocol fee ${FEE_BPS / 100}%`);
  const alpha = await d.newOperator({ H100: PRICES.H100, A100: PRICES.A100 });
  const beta = await d.newOperator({ RTX5090: PRICES.RTX5090 });
  const names = new Map<Address, string>([[alpha.address, "alpha"], [beta.address, "beta"]]);
  console.log(`Operator    alpha ${short(alpha.address)}: H100 ${fmt(PRICES.H100)}/s, A100 ${fmt(PRICES.A100)}/s (active)`);
  console.log(`Operator    beta  ${short(beta.address)}: RTX5090 ${fmt(PRICES.RTX5090)}/s (active)`);

  const buyer: Buyer = await d.newBuyer(100_000_000n);
  console.log(`Buyer       ${short(buyer.wallet.address)} holds ${fmt(d.tokens(buyer.tokens))} tokens\n`);

  // 1. Deposit and reserve.
  const dep = await d.deposit(buyer, 25_000_000n);
  console.log(`1. deposit       ${fmt(25_000_000n)} into the escrow ${txInfo(dep)}`);
  const maxBurn = 10_000_000n;
  const { execution, result: res } = await d.reserve(buyer, 1n, maxBurn, {
    durationSecs: 6n * 3600n,
    priceCaps: [
      { sku: "H100", maxPrice: 1_000n },
      { sku: "A100", maxPrice: 600n },
      { sku: "RTX5090", maxPrice: 250n },
    ],
  });
  const bal = () => d.account("Balance", buyer.balance);
  console.log(
    `2. reserve       execution #1 ${short(execution)}: max burn ${fmt(maxBurn)}, price caps H100 ≤ 0.001000, ` +
      `A100 ≤ 0.000600, RTX5090 ≤ 0.000250 ${txInfo(res)}`,
  );
  console.log(`                 buyer balance: available ${fmt(bal().available)}, reserved ${fmt(bal().reserved)}`);

  // 2. The router assigns three segments over two operators and three SKUs.
  const plan: [Operator, string][] = [[alpha, "H100"], [alpha, "A100"], [beta, "RTX5090"]];
  for (const [i, [op, code]] of plan.entries()) {
    const agreed = PRICES[code as keyof typeof PRICES];
    const r = await d.assign(execution, i, op, code, { maxPrice: agreed });
    const ev = event(r, "SegmentAssigned");
    console.log(
      `3. assign        segment ${i}: ${names.get(op.address)} on ${code}, price pinned at ${fmt(ev.price)}/s ` +
        `(agreed max ${fmt(agreed)}) ${txInfo(r)}`,
    );
  }

  // 3. Nodes stream cumulative receipts; anyone may submit them (the router does here).
  const seqs = [0, 0, 0];
  const r = (segment: number, units: bigint) => ({
    op: plan[segment][0],
    segment,
    sku: plan[segment][1],
    units,
    seq: ++seqs[segment],
  });
  const streams = [
    { label: "after 10 minutes", receipts: [r(0, 600n), r(2, 600n)] },
    { label: "after 45 minutes (6 receipts, 2 operators, 1 transaction)", receipts: [
      r(0, 1_800n), r(0, 2_700n), r(1, 1_200n), r(1, 2_400n), r(2, 2_700n), r(2, 4_500n),
    ] },
    { label: "after 60 minutes", receipts: [r(0, 3_600n), r(2, 5_400n)] },
  ];
  console.log();
  const settledUnits = [0n, 0n, 0n];
  for (const s of streams) {
    const tx = await expectOk(d.send(d.router, await d.submitIxs(execution, s.receipts)), "submit receipts");
    const ev = event(tx, "ReceiptsSettled");
    console.log(`4. receipts      ${s.label} ${txInfo(tx)}`);
    for (const [i, settled] of ev.receipts.entries()) {
      const spec = s.receipts[i];
      const increase = settled.cumulativeUnits - settledUnits[settled.segmentIndex];
      settledUnits[settled.segmentIndex] = settled.cumulativeUnits;
      console.log(
        `                   seg ${settled.segmentIndex} ${spec.sku.padEnd(7)} #${settled.sequence}  cumulative ` +
          `${String(settled.cumulativeUnits).padStart(5)} s  +${String(increase).padStart(4)} s  ` +
          `charged ${fmt(settled.cost)} (fee ${fmt(settled.fee)})${settled.capped ? "  CAPPED" : ""}`,
      );
    }
    console.log(`                 consumed ${fmt(ev.consumed)} of ${fmt(maxBurn)}`);
  }

  // 4. Finalize: the bill, the fee and the refund, in one instruction.
  const fin = await expectOk(d.send(d.router, [d.finalizeIx(execution, d.router, buyer, { reason: END.completed })]), "finalize");
  const bill = event(fin, "ExecutionFinalized");
  console.log(`\n5. finalize      by the router, completed ${txInfo(fin)}\n`);
  console.log("   Bill of execution #1");
  console.log("   seg  operator  SKU      price/s    seconds     charged");
  const perSku = new Map<string, { units: bigint; charged: bigint }>();
  for (const [i, s] of bill.segments.entries()) {
    const code = decodeSku(s.sku);
    console.log(
      `   ${String(i).padEnd(3)}  ${names.get(s.operator)!.padEnd(8)}  ${code.padEnd(7)}  ${fmt(s.price)}  ` +
        `${String(s.units).padStart(7)}  ${fmt(s.charged).padStart(10)}`,
    );
    const t = perSku.get(code) ?? { units: 0n, charged: 0n };
    perSku.set(code, { units: t.units + s.units, charged: t.charged + s.charged });
  }
  console.log("\n   per SKU");
  for (const [code, t] of perSku) console.log(`   ${code.padEnd(8)} ${String(t.units).padStart(6)} s  ${fmt(t.charged).padStart(10)}`);
  console.log(`\n   max burn  ${fmt(bill.maxBurn).padStart(10)}`);
  console.log(`   consumed  ${fmt(bill.consumed).padStart(10)}   (of which protocol fee ${fmt(bill.fee)})`);
  console.log(`   refund    ${fmt(bill.refund).padStart(10)}   back in the buyer's available balance`);
  console.log(`   buyer balance now: available ${fmt(bal().available)}, reserved ${fmt(bal().reserved)}\n`);
  checkVault(d, buyer, [alpha, beta]);

  // 5. The buyer rates the operators it paid, then closes the bill (rent back to it).
  console.log();
  for (const [op, stars] of [[alpha, 5], [beta, 4]] as [Operator, number][]) {
    const rt = await expectOk(d.send(buyer.wallet, [d.rateIx(execution, buyer, op, stars)]), "rate");
    console.log(`6. rate          ${names.get(op.address)}: ${"*".repeat(stars)} ${txInfo(rt)}`);
  }
  const cl = await expectOk(d.send(buyer.wallet, [d.closeIx(execution, buyer.wallet, buyer.wallet.address)]), "close");
  console.log(`7. close         the bill's account; its rent goes back to the buyer ${txInfo(cl)}`);
  for (const op of [alpha, beta]) {
    const o = d.account("Operator", op.address);
    console.log(
      `                 ${names.get(op.address)!.padEnd(5)} segments ${o.segmentsSettled}/${o.segmentsAssigned} settled, ` +
        `${o.executionsCompleted} completed, rating ${o.ratingSum}/${o.ratingCount}`,
    );
  }

  // 5. Operators claim their earnings; the admin sweeps fees to the treasury.
  console.log();
  for (const op of [alpha, beta]) {
    const amount = d.account("Operator", op.address).claimable as bigint;
    const c = await expectOk(d.send(op.authority, [d.claimIx(op, amount)]), "claim");
    console.log(`8. claim         ${names.get(op.address)} receives ${fmt(amount)} (its wallet now holds ${fmt(d.tokens(op.payout))}) ${txInfo(c)}`);
  }
  const fees = [alpha, beta].reduce((n, op) => n + (d.account("Operator", op.address).feesOwed as bigint), 0n);
  const wf = await expectOk(d.send(d.admin, [d.withdrawFeesIx(fees, d.treasury, d.admin, [alpha.address, beta.address])]), "withdraw fees");
  console.log(`9. withdraw_fees ${fmt(fees)} swept from the operators to the treasury ${txInfo(wf)}`);
  const w = await expectOk(d.send(buyer.wallet, [d.withdrawIx(buyer, bal().available)]), "withdraw");
  console.log(`10. withdraw     the buyer takes its ${fmt(event(w, "Withdrawn").amount)} back ${txInfo(w)}`);
  checkVault(d, buyer, [alpha, beta]);

  const seconds = bill.segments.reduce((n: bigint, s: { units: bigint }) => n + s.units, 0n);
  console.log(`\nThe buyer paid ${fmt(100_000_000n - d.tokens(buyer.tokens))} for ${seconds} GPU-seconds on three SKUs.`);
}

/** The vault holds exactly what the accounts owe: buyer balance, operators' claimable, fees. */
function checkVault(d: Deployment, buyer: Buyer, ops: Operator[]) {
  const available = d.account("Balance", buyer.balance).available as bigint;
  const claimable = ops.reduce((n, op) => n + (d.account("Operator", op.address).claimable as bigint), 0n);
  const owed = ops.reduce((n, op) => n + (d.account("Operator", op.address).feesOwed as bigint), 0n);
  const fees = (d.account("Config", d.config).feesUnwithdrawn as bigint) + owed;
  const vault = d.tokens(d.vault);
  console.log(
    `                 vault ${fmt(vault)} = buyer available ${fmt(available)} + claimable ${fmt(claimable)} + fees ${fmt(fees)}`,
  );
  if (vault !== available + claimable + fees) throw new Error("vault and accounts disagree");
}

await main();
