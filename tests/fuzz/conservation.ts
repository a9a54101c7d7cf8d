// Conservation fuzzing: random sequences of every instruction, sent by random actors
// (most of them valid, many not) against the compiled program in LiteSVM. After every
// step the vault must hold exactly what the program's accounts say it owes
// (docs/protocol.md, "Conservation"), no execution may have consumed more than its max
// burn nor a segment more than its budget, every execution's fees must be the fee of
// each segment's total, and every buyer must be able to withdraw all that is available.
// At the end of a sequence every execution is finalized past expiry + grace by a
// stranger and closed past its review window, and every buyer, operator and the admin
// take everything out: the vault must end empty, but for tokens sent to it with plain
// token transfers (owed to nobody, and locked for good).
// Sequences run on SPL Token or Token-2022 deployments.
//
// Used by tests/security/conservation.test.ts (small fixed budget, in `npm test`) and by
// tests/fuzz/run.ts (`npm run fuzz`, budget from FUZZ_RUNS / FUZZ_STEPS / FUZZ_SEED).
import { expect } from "chai";
import fc from "fast-check";
import { AccountRole, signBytes, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import { getTransferInstruction } from "@solana-program/token";
import {
  BALANCE_DISCRIMINATOR,
  CONFIG_DISCRIMINATOR,
  EXECUTION_DISCRIMINATOR,
  OPERATOR_DISCRIMINATOR,
  RECEIPT_MESSAGE_LENGTH,
  decodeSku,
  encodeReceiptMessage,
  getBalanceDecoder,
  getConfigDecoder,
  getEd25519VerifyInstruction,
  getExecutionDecoder,
  getOperatorDecoder,
  operatorAddress,
  signReceipt,
  type PrecompileSignature,
  type ReceiptFields,
} from "@arknet/escrow";
import { Deployment, END, expectOk, type Buyer, type Operator, newSigningKey } from "../support/deployment.ts";
import { setTime, type TxResult, PROGRAM_ID } from "../support/svm.ts";
import { TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from "../support/tokens.ts";
import { simulate } from "../security/support.ts";
import { errorName } from "../support/refusals.ts";
import { signedBy } from "../support/mutate.ts";

const U64_MAX = (1n << 64n) - 1n;
const BUYERS = 3;
const SKUS = ["H100", "A100", "RTX5090"] as const;
const WALLET_TOKENS = 50_000_000n;

// ---------------------------------------------------------------------------------------
// Actions

type Pick = number; // an index, taken modulo the number of candidates
type Actor = "owner" | "stranger";

export type Action =
  | { kind: "deposit"; buyer: Pick; amount: bigint; sponsored: boolean }
  | { kind: "withdraw"; buyer: Pick; percent: number; actor: Actor; toVault: boolean }
  | { kind: "reserve"; buyer: Pick; percent: number; absolute: bigint | null; idStep: number; fromWallet: boolean; duration: bigint; cap: bigint | null }
  | { kind: "topUp"; exec: Pick; percent: number; actor: Actor }
  | { kind: "assign"; exec: Pick; op: Pick; sku: Pick; actor: "router" | "stranger"; indexSkew: number; priceSkew: number; budget: bigint }
  | { kind: "submit"; exec: Pick; receipts: { seg: Pick; units: bigint; seqStep: number; staleKey: boolean }[]; dropOperator: boolean }
  | { kind: "finalize"; exec: Pick; actor: "router" | "buyer" | "stranger"; reason: number }
  | { kind: "cancel"; exec: Pick; actor: Actor }
  | { kind: "rate"; exec: Pick; op: Pick; stars: number; actor: Actor }
  | { kind: "close"; exec: Pick; actor: Actor }
  | { kind: "warp"; secs: bigint }
  | { kind: "claim"; op: Pick; percent: number; actor: Actor }
  | { kind: "withdrawFees"; percent: number; actor: "admin" | "stranger" }
  | { kind: "setFee"; bps: number }
  | { kind: "setPaused"; paused: boolean }
  | { kind: "setTiming"; grace: bigint; window: bigint; minDuration: bigint; review: bigint }
  | { kind: "setStatus"; op: Pick; status: number }
  | { kind: "rotateKey"; op: Pick }
  | { kind: "setRate"; op: Pick; sku: Pick; price: bigint }
  | { kind: "donate"; amount: bigint }
  | { kind: "setRouter"; toStranger: boolean }
  | { kind: "proposeAdmin"; toStranger: boolean; byStranger: boolean }
  | { kind: "acceptAdmin"; byStranger: boolean }
  | { kind: "setTreasury"; toStranger: boolean }
  | { kind: "registerOperator" };

const pick = fc.nat(1_000);
const percent = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 100 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 150 }) });
const amount = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt(1n, 3_000_000n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 1n, U64_MAX, WALLET_TOKENS + 1n) },
);
/** true once in `n` draws. */
const rarely = (n: number) => fc.oneof({ weight: n - 1, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const actor = fc.oneof({ weight: 6, arbitrary: fc.constant<Actor>("owner") }, { weight: 1, arbitrary: fc.constant<Actor>("stranger") });

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("deposit" as const), buyer: pick, amount, sponsored: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), buyer: pick, percent, actor, toVault: rarely(10) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("reserve" as const),
      buyer: pick,
      percent,
      absolute: fc.option(amount, { freq: 4 }),
      idStep: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 0 }) }),
      fromWallet: fc.boolean(),
      duration: fc.oneof({ weight: 8, arbitrary: fc.bigInt(40n, 5_000n) }, { weight: 1, arbitrary: fc.constantFrom(0n, 30n * 86_400n, 30n * 86_400n + 1n) }),
      cap: fc.option(fc.bigInt(1n, 200n), { freq: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("topUp" as const), exec: pick, percent, actor }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("assign" as const),
      exec: pick,
      op: pick,
      sku: pick,
      actor: fc.oneof({ weight: 8, arbitrary: fc.constant("router" as const) }, { weight: 1, arbitrary: fc.constant("stranger" as const) }),
      indexSkew: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 1 }) }),
      // The max price the router agrees to: the rate itself, more, or (rarely) less.
      priceSkew: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 10 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: -1 }) }),
      budget: fc.oneof({ weight: 3, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.bigInt(1n, 200_000n) }),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant("submit" as const),
      exec: pick,
      receipts: fc.array(
        fc.record({
          seg: pick,
          units: fc.oneof({ weight: 8, arbitrary: fc.bigInt(1n, 20_000n) }, { weight: 1, arbitrary: fc.constantFrom(0n, U64_MAX / 2n) }),
          seqStep: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }),
          staleKey: rarely(8),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      dropOperator: rarely(12),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("finalize" as const),
      exec: pick,
      actor: fc.constantFrom("router" as const, "router" as const, "buyer" as const, "stranger" as const),
      reason: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 5, 6) }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), exec: pick, actor }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rate" as const), exec: pick, op: pick, stars: fc.integer({ min: 0, max: 6 }), actor }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("close" as const), exec: pick, actor }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("warp" as const), secs: fc.bigInt(1n, 3_000n) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("claim" as const), op: pick, percent, actor }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("withdrawFees" as const), percent, actor: fc.constantFrom("admin" as const, "admin" as const, "stranger" as const) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setFee" as const), bps: fc.integer({ min: 0, max: 1_100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setPaused" as const), paused: rarely(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("setTiming" as const),
      grace: fc.bigInt(0n, 2_000n),
      window: fc.bigInt(0n, 2_100n),
      minDuration: fc.bigInt(0n, 120n),
      review: fc.bigInt(0n, 3_000n),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setStatus" as const), op: pick, status: fc.constantFrom(1, 1, 2, 3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("rotateKey" as const), op: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setRate" as const), op: pick, sku: pick, price: fc.oneof(fc.bigInt(0n, 100n), fc.constant(U64_MAX)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("donate" as const), amount: fc.bigInt(1n, 1_000n) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setRouter" as const), toStranger: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("proposeAdmin" as const), toStranger: fc.boolean(), byStranger: rarely(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("acceptAdmin" as const), byStranger: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setTreasury" as const), toStranger: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("registerOperator" as const) }) },
);

// ---------------------------------------------------------------------------------------
// The world one sequence runs in

interface Exec {
  address: Address;
  buyer: number;
}

interface FuzzOperator extends Operator {
  /** Every key the operator has used, the current one last. */
  keys: KeyPairSigner[];
}

class World {
  open: Exec[] = [];
  /** Finalized or cancelled, not yet closed. */
  settled: Exec[] = [];
  closed: Exec[] = [];
  /** Tokens sent straight to the vault with a plain token transfer: owed to nobody. */
  donated = 0n;
  /** The admin and treasury now (both can be handed over to the stranger). */
  admin: KeyPairSigner;
  treasury: Address;

  private constructor(
    readonly d: Deployment,
    readonly buyers: Buyer[],
    readonly ops: FuzzOperator[],
    readonly stranger: Buyer,
    /** The stranger's Operator address, should it register. */
    readonly strangerOperator: Address,
  ) {
    this.admin = d.admin;
    this.treasury = d.treasury;
  }

  static async create(feeBps: number, token2022: boolean): Promise<World> {
    const d = await Deployment.create({ feeBps, graceSecs: 600n, tokenProgram: token2022 ? TOKEN_2022_PROGRAM_ADDRESS : TOKEN_PROGRAM_ADDRESS });
    const buyers: Buyer[] = [];
    for (let i = 0; i < BUYERS; i++) buyers.push(await d.newBuyer(WALLET_TOKENS));
    const rates: Record<string, bigint>[] = [{ H100: 40n, A100: 25n }, { H100: 35n, RTX5090: 9n }, { RTX5090: 1n }];
    const ops: FuzzOperator[] = [];
    for (const [i, r] of rates.entries()) {
      const op = await d.newOperator(r, i < 2); // the third starts pending
      ops.push({ ...op, keys: [op.key] });
    }
    const stranger = await d.newBuyer(WALLET_TOKENS);
    // Buyers start with a balance (deposits during the sequence add to it).
    for (const b of buyers) await d.deposit(b, WALLET_TOKENS / 5n);
    return new World(d, buyers, ops, stranger, await operatorAddress(d.config, stranger.wallet.address, PROGRAM_ID));
  }

  account(name: "Config" | "Operator" | "Balance" | "Execution", at: Address): any {
    return this.d.exists(at) ? this.d.account(name, at) : null;
  }

  /**
   * An execution: mostly an open one (with `withSegments`, one that has segments when
   * there is one), sometimes a closed one (reuse attempts).
   */
  exec(p: Pick, withSegments = false): Exec | null {
    let open = this.open;
    if (withSegments) {
      const assigned = open.filter((e) => (this.account("Execution", e.address)?.segmentCount ?? 0) > 0);
      if (assigned.length > 0) open = assigned;
    }
    const done = [...this.settled, ...this.closed];
    if (open.length > 0 && (done.length === 0 || p % 8 !== 0)) return open[p % open.length];
    return done.length > 0 ? done[p % done.length] : null;
  }

  /** A settled execution mostly (rate, close), sometimes an open or closed one. */
  settledExec(p: Pick): Exec | null {
    if (this.settled.length > 0 && p % 6 !== 0) return this.settled[p % this.settled.length];
    return this.exec(p);
  }

  /** Moves `e` to the list `to` (after a finalize, cancel or close). */
  move(e: Exec, to: "settled" | "closed"): void {
    this.open = this.open.filter((x) => x !== e);
    this.settled = this.settled.filter((x) => x !== e);
    this[to].push(e);
  }

  opByAddress(a: Address): FuzzOperator | undefined {
    return this.ops.find((o) => o.address === a);
  }
}

/** `percent` of `v`; of nothing, a small amount (which will mostly be refused). */
const pct = (v: bigint, percent: number) => (v === 0n ? BigInt(percent % 3) : (v * BigInt(percent)) / 100n);

/** The instructions of `action` and who signs and pays, or null when it has no target. */
async function build(w: World, a: Action): Promise<{ payer: KeyPairSigner; ixs: Instruction[]; onOk?: () => void } | null> {
  const { d } = w;
  switch (a.kind) {
    case "deposit": {
      const buyer = w.buyers[a.buyer % BUYERS];
      return a.sponsored
        ? { payer: w.stranger.wallet, ixs: [await d.depositIx(buyer, a.amount, w.stranger)] }
        : { payer: buyer.wallet, ixs: [await d.depositIx(buyer, a.amount)] };
    }
    case "withdraw": {
      const buyer = w.buyers[a.buyer % BUYERS];
      const available = w.account("Balance", buyer.balance)?.available ?? 1n;
      const amount = pct(available, a.percent);
      if (a.actor === "stranger") {
        return { payer: w.stranger.wallet, ixs: [await d.withdrawIx({ ...buyer, wallet: w.stranger.wallet }, amount, w.stranger.tokens)] };
      }
      return { payer: buyer.wallet, ixs: [await d.withdrawIx(buyer, amount, a.toVault ? d.vault : buyer.tokens)] };
    }
    case "reserve":
      return null; // async: see buildAsync
    case "topUp": {
      const e = w.exec(a.exec);
      if (!e) return null;
      const buyer = w.buyers[e.buyer];
      const available = w.account("Balance", buyer.balance)?.available ?? 0n;
      const wallet = a.actor === "owner" ? buyer.wallet : w.stranger.wallet;
      return { payer: wallet, ixs: [await d.topUpIx({ ...buyer, wallet }, e.address, pct(available, a.percent))] };
    }
    case "assign": {
      const e = w.exec(a.exec);
      if (!e) return null;
      const count = w.account("Execution", e.address)?.segmentCount ?? 0;
      const router = a.actor === "router" ? d.router : w.stranger.wallet;
      const op = w.ops[a.op % w.ops.length];
      // Mostly a SKU the operator offers, sometimes any.
      const card = w.account("Operator", op.address);
      const offered: string[] = card ? card.rates.slice(0, card.rateCount).map((r: { sku: ArrayLike<number> }) => decodeSku(r.sku)) : [];
      const code = offered.length > 0 && a.sku % 6 !== 0 ? offered[a.sku % offered.length] : SKUS[a.sku % SKUS.length];
      const rate: bigint = card?.rates.find((r: { sku: ArrayLike<number> }) => decodeSku(r.sku) === code)?.price ?? 0n;
      const skewed = rate + BigInt(a.priceSkew);
      const maxPrice = skewed < 0n ? 0n : skewed > U64_MAX ? U64_MAX : skewed;
      return {
        payer: router,
        ixs: [d.assignIx(e.address, Math.max(0, count + a.indexSkew), op, code, router, { maxPrice, budget: a.budget })],
      };
    }
    case "submit": {
      const e = w.exec(a.exec, true);
      if (!e) return null;
      const ex = w.account("Execution", e.address);
      const segs: { settledUnits: bigint; lastSeq: number; operator: Address; sku: ArrayLike<number> }[] = ex ? ex.segments.slice(0, ex.segmentCount) : [];
      const local = segs.map((s) => ({ units: s.settledUnits, seq: BigInt(s.lastSeq) }));
      const operators = new Set<Address>();
      const receipts = a.receipts.map((r) => {
        const seg = segs.length === 0 ? 0 : r.seg % (segs.length + (r.seg % 7 === 0 ? 1 : 0));
        const s = segs[seg];
        const op = s ? w.opByAddress(s.operator)! : w.ops[0];
        const key = r.staleKey && op.keys.length > 1 ? op.keys[0] : op.keys[op.keys.length - 1];
        const base = local[seg] ?? { units: 0n, seq: 0n };
        const units = base.units + r.units > U64_MAX ? U64_MAX : base.units + r.units;
        const seq = Number(base.seq) + r.seqStep;
        if (local[seg]) local[seg] = { units, seq: BigInt(seq) };
        operators.add(op.address);
        return signAnySequence(key, { execution: e.address, segment: seg, sku: s ? decodeSku(s.sku) : "H100", cumulativeUnits: units, sequence: seq });
      });
      const list = [...operators];
      if (a.dropOperator && list.length > 0) list.pop();
      const submit = d.submitIx(e.address, list.length > 0 ? list : [w.ops[2].address]);
      return { payer: w.stranger.wallet, ixs: [getEd25519VerifyInstruction(await Promise.all(receipts)), submit] };
    }
    case "finalize": {
      const e = w.exec(a.exec);
      if (!e) return null;
      const buyer = w.buyers[e.buyer];
      const who = a.actor === "router" ? d.router : a.actor === "buyer" ? buyer.wallet : w.stranger.wallet;
      // Non-routers mostly give the one reason they may (expired).
      const reason = a.actor !== "router" && a.reason !== 0 && a.reason !== 6 ? END.expired : a.reason;
      return { payer: who, ixs: [await d.finalizeIx(e.address, who, buyer, { reason })], onOk: () => w.move(e, "settled") };
    }
    case "cancel": {
      const e = w.exec(a.exec);
      if (!e) return null;
      const buyer = w.buyers[e.buyer];
      const wallet = a.actor === "owner" ? buyer.wallet : w.stranger.wallet;
      return { payer: wallet, ixs: [await d.cancelIx(e.address, { ...buyer, wallet })], onOk: () => w.move(e, "settled") };
    }
    case "rate": {
      const e = w.settledExec(a.exec);
      if (!e) return null;
      const buyer = w.buyers[e.buyer];
      const wallet = a.actor === "owner" ? buyer.wallet : w.stranger.wallet;
      // Mostly an operator of the execution.
      const ex = w.account("Execution", e.address);
      const mine: Address[] = ex ? ex.segments.slice(0, ex.segmentCount).map((s: { operator: Address }) => s.operator) : [];
      const operator = mine.length > 0 && a.op % 4 !== 0 ? mine[a.op % mine.length] : w.ops[a.op % w.ops.length].address;
      return { payer: wallet, ixs: [d.rateIx(e.address, { ...buyer, wallet }, operator, a.stars)] };
    }
    case "close": {
      const e = w.settledExec(a.exec);
      if (!e) return null;
      const buyer = w.buyers[e.buyer];
      const wallet = a.actor === "owner" ? buyer.wallet : w.stranger.wallet;
      const rentPayer = w.account("Execution", e.address)?.rentPayer ?? buyer.wallet.address;
      return { payer: wallet, ixs: [d.closeIx(e.address, wallet, rentPayer)], onOk: () => w.move(e, "closed") };
    }
    case "warp":
      setTime(d.svm, d.svm.getClock().unixTimestamp + a.secs);
      return { payer: d.admin, ixs: [] };
    case "claim": {
      // Mostly an operator that has earned something, when there is one.
      const earning = w.ops.filter((o) => (w.account("Operator", o.address)?.claimable ?? 0n) > 0n);
      const candidates = earning.length > 0 && a.op % 5 !== 0 ? earning : w.ops;
      const op = candidates[a.op % candidates.length];
      const claimable = w.account("Operator", op.address)?.claimable ?? 0n;
      const amount = pct(claimable, a.percent);
      if (a.actor === "stranger") {
        return { payer: w.stranger.wallet, ixs: [await d.claimIx({ ...op, authority: w.stranger.wallet }, amount, w.stranger.tokens)] };
      }
      return { payer: op.authority, ixs: [await d.claimIx(op, amount)] };
    }
    case "withdrawFees": {
      // Sweeps the operators' fees owed (all of them, or some) first.
      const owed = w.ops.reduce((n, o) => n + (w.account("Operator", o.address)?.feesOwed ?? 0n), 0n);
      const swept = a.percent % 2 === 0 ? w.ops : w.ops.slice(0, 1);
      const fees = w.account("Config", d.config)!.feesUnwithdrawn + (a.percent % 2 === 0 ? owed : 0n);
      const admin = a.actor === "admin" ? w.admin : w.stranger.wallet;
      const to = a.actor === "admin" ? w.treasury : w.stranger.tokens;
      return { payer: admin, ixs: [d.withdrawFeesIx(pct(fees, a.percent), to, admin, swept.map((o) => o.address))] };
    }
    case "setFee":
      return { payer: w.admin, ixs: [d.setFeeIx(a.bps, w.admin)] };
    case "setPaused":
      return { payer: w.admin, ixs: [d.setPausedIx(a.paused, w.admin)] };
    case "setTiming": {
      const timing = { expiryGraceSecs: a.grace, settlementWindowSecs: a.window, minDurationSecs: a.minDuration, reviewWindowSecs: a.review };
      return { payer: w.admin, ixs: [d.setTimingIx(timing, w.admin)] };
    }
    case "setStatus":
      const op = w.ops[a.op % w.ops.length];
      return {
        payer: w.admin,
        ixs: [d.setStatusIx(op, a.status, w.admin)],
      };
    case "rotateKey": {
      const op = w.ops[a.op % w.ops.length];
      const key = await newSigningKey();
      return { payer: op.authority, ixs: [await d.rotateIx(op, key)], onOk: () => op.keys.push(key) };
    }
    case "setRouter": {
      const router = a.toStranger ? w.stranger.wallet.address : d.router.address;
      return { payer: w.admin, ixs: [d.setRouterIx(router, w.admin)] };
    }
    case "proposeAdmin": {
      const proposer = a.byStranger ? w.stranger.wallet : w.admin;
      const next = a.toStranger ? w.stranger.wallet : d.admin;
      return { payer: proposer, ixs: [d.proposeAdminIx(next.address, proposer)] };
    }
    case "acceptAdmin": {
      const signer = a.byStranger ? w.stranger.wallet : d.admin;
      return {
        payer: signer,
        ixs: [d.acceptAdminIx(signer)],
        onOk: () => (w.admin = signer),
      };
    }
    case "setTreasury": {
      const treasury = a.toStranger ? w.stranger.tokens : d.treasury;
      return { payer: w.admin, ixs: [d.setTreasuryIx(treasury, w.admin)], onOk: () => (w.treasury = treasury) };
    }
    case "registerOperator": {
      const key = await newSigningKey();
      const authority = w.stranger.wallet;
      const op: FuzzOperator = { authority, address: w.strangerOperator, key, keys: [key], payout: w.stranger.tokens };
      return { payer: authority, ixs: [await d.registerIx(op)], onOk: () => w.ops.push(op) };
    }
    case "donate": {
      const transfer = getTransferInstruction(
        { source: w.stranger.tokens, destination: d.vault, authority: w.stranger.wallet, amount: a.amount },
        { programAddress: d.tokenProgram as typeof TOKEN_PROGRAM_ADDRESS },
      );
      return { payer: w.stranger.wallet, ixs: [transfer], onOk: () => (w.donated += a.amount) };
    }
    case "setRate": {
      const op = w.ops[a.op % w.ops.length];
      return { payer: op.authority, ixs: [await d.setRateIx(op, SKUS[a.sku % SKUS.length], a.price)] };
    }
  }
}

async function buildReserve(w: World, a: Extract<Action, { kind: "reserve" }>) {
  const buyerIndex = a.buyer % BUYERS;
  const buyer = w.buyers[buyerIndex];
  const last: bigint = w.account("Balance", buyer.balance)?.lastExecutionId ?? 0n;
  const id = last + BigInt(a.idStep) < 0n ? 0n : last + BigInt(a.idStep);
  const priceCaps = a.cap === null ? [] : [{ sku: "H100", maxPrice: a.cap }];
  const available: bigint = w.account("Balance", buyer.balance)?.available ?? 0n;
  const maxBurn = a.absolute ?? (a.fromWallet ? pct(1_000_000n, a.percent) : pct(available, a.percent));
  const built = a.fromWallet
    ? await w.d.reserveFromWalletIx(buyer, id, maxBurn, { durationSecs: a.duration })
    : await w.d.reserveIx(buyer, id, maxBurn, { durationSecs: a.duration, priceCaps });
  return {
    payer: buyer.wallet,
    ixs: [built.ix],
    onOk: () => w.open.push({ address: built.execution, buyer: buyerIndex }),
  };
}

// ---------------------------------------------------------------------------------------
// Invariants

/** Failures that no input may cause: the program crashing, looping or corrupting memory. */
function expectOrderlyRefusal(r: TxResult, a: Action): void {
  if (r.ok || r.errorCode !== undefined) return;
  throw new Error(`${a.kind} failed without a program error: ${r.error}\n${r.logs.join("\n")}`);
}

const fee = (amount: bigint, bps: number) => (amount * BigInt(bps)) / 10_000n;

export function checkConservation(w: World): void {
  const { d } = w;
  const owed = { available: 0n, escrowed: 0n, claimable: 0n, fees: 0n };
  const reservedByBuyer = new Map<string, bigint>();
  const balances: any[] = [];
  for (const acc of d.svm.getProgramAccounts(PROGRAM_ID)) {
    const data = new Uint8Array(acc.data);
    const disc = Buffer.from(data.subarray(0, 8)).toString("hex");
    const name = DISCRIMINATORS[disc];
    if (!name) throw new Error(`program account ${acc.address} with unknown discriminator ${disc}`);
    const a: any = DECODERS[name].decode(data);
    if (name === "Balance") {
      owed.available += a.available;
      balances.push(a);
    } else if (name === "Operator") {
      owed.claimable += a.claimable;
      owed.fees += a.feesOwed;
    } else if (name === "Config") owed.fees += a.feesUnwithdrawn;
    else {
      expect(a.consumed <= a.maxBurn, `execution ${acc.address} consumed ${a.consumed} > max burn ${a.maxBurn}`).to.equal(true);
      const segments = a.segments.slice(0, a.segmentCount);
      const charged = segments.reduce((s: bigint, g: any) => s + g.charged, 0n);
      expect(charged, "segments' charges add up to consumed").to.equal(a.consumed);
      for (const g of segments) {
        if (g.budget > 0n) expect(g.charged <= g.budget, `segment charged ${g.charged} > budget ${g.budget}`).to.equal(true);
      }
      // The fee is the fee of each segment's total, however its receipts split it.
      const feeOfTotals = segments.reduce((s: bigint, g: any) => s + fee(g.charged, a.feeBps), 0n);
      expect(a.feesAccrued, "fees accrued = Σ fee_of(segment charged)").to.equal(feeOfTotals);
      if (a.status === 1) {
        owed.escrowed += (a.maxBurn as bigint) - (a.consumed as bigint);
        reservedByBuyer.set(a.buyer, (reservedByBuyer.get(a.buyer) ?? 0n) + a.maxBurn);
      } else {
        expect(a.status).to.equal(2);
        expect([1, 2, 3, 4, 5]).to.include(a.endReason);
      }
    }
  }
  for (const b of balances) expect(b.reserved, `buyer ${b.buyer} reserved`).to.equal(reservedByBuyer.get(b.buyer) ?? 0n);
  const total = owed.available + owed.escrowed + owed.claimable + owed.fees + w.donated;
  expect(d.tokens(d.vault), `vault (donated ${w.donated}) vs ${JSON.stringify(owed, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`).to.equal(total);
}

/** Account type by discriminator (hex), and the SDK's decoder of each. */
const hex = (bytes: ArrayLike<number>) => Buffer.from(Uint8Array.from(bytes)).toString("hex");
const DISCRIMINATORS: Record<string, "Config" | "Operator" | "Balance" | "Execution"> = {
  [hex(CONFIG_DISCRIMINATOR)]: "Config",
  [hex(OPERATOR_DISCRIMINATOR)]: "Operator",
  [hex(BALANCE_DISCRIMINATOR)]: "Balance",
  [hex(EXECUTION_DISCRIMINATOR)]: "Execution",
};
const DECODERS = { Config: getConfigDecoder(), Operator: getOperatorDecoder(), Balance: getBalanceDecoder(), Execution: getExecutionDecoder() };

/**
 * `fields` signed by `key`. The SDK refuses to sign sequence 0, which the fuzzer sends on
 * purpose: that one is the SDK's message for sequence 1 with the sequence (the last u32)
 * zeroed, signed as raw bytes, for the program to refuse.
 */
async function signAnySequence(key: KeyPairSigner, fields: ReceiptFields): Promise<PrecompileSignature> {
  if (fields.sequence >= 1) return signReceipt(key, fields);
  const message = encodeReceiptMessage({ ...fields, sequence: 1 });
  new DataView(message.buffer).setUint32(RECEIPT_MESSAGE_LENGTH - 4, 0, true);
  return { signer: key.address, message, signature: new Uint8Array(await signBytes(key.keyPair.privateKey, message)) };
}

/** Every buyer could withdraw everything available right now (simulated, nothing committed). */
async function checkWithdrawable(w: World): Promise<void> {
  for (const b of w.buyers) {
    const available = w.account("Balance", b.balance)?.available ?? 0n;
    if (available === 0n) continue;
    const r = await simulate(w.d.svm, b.wallet, [await w.d.withdrawIx(b, available)]);
    expect(r.ok, `buyer cannot withdraw ${available}: ${r.error}\n${r.logs.join("\n")}`).to.equal(true);
  }
}

/**
 * Past every expiry + grace, a stranger finalizes all; past every review window, a
 * stranger closes every settled execution (rent to its payer); then everyone takes
 * everything out.
 */
async function drain(w: World): Promise<void> {
  const { d } = w;
  let latest = d.svm.getClock().unixTimestamp;
  for (const e of w.open) {
    const ex = w.account("Execution", e.address);
    if (ex && ex.expiresAt + BigInt(ex.graceSecs) > latest) latest = ex.expiresAt + BigInt(ex.graceSecs);
  }
  setTime(d.svm, latest);
  for (const e of [...w.open]) {
    const ex = w.account("Execution", e.address);
    if (!ex) continue;
    await expectOk(d.send(w.stranger.wallet, [d.finalizeIx(e.address, w.stranger.wallet, w.buyers[e.buyer])]), "finalize after grace");
    w.move(e, "settled");
    checkConservation(w);
  }
  for (const e of w.settled) {
    const ex = w.account("Execution", e.address)!;
    const at = ex.settledAt + BigInt(ex.reviewWindowSecs);
    if (at > d.svm.getClock().unixTimestamp) setTime(d.svm, at);
  }
  for (const e of [...w.settled]) {
    const ex = w.account("Execution", e.address)!;
    const lamports = (a: Address) => {
      const acc = d.svm.getAccount(a);
      return acc.exists ? acc.lamports : 0n;
    };
    const payerBefore = lamports(ex.rentPayer);
    const rent = lamports(e.address);
    await expectOk(d.send(w.stranger.wallet, [d.closeIx(e.address, w.stranger.wallet, ex.rentPayer)]), "close after the review window");
    // The stranger pays the fee: unless it is the rent payer itself, the payer gets the rent exactly.
    if (ex.rentPayer !== w.stranger.wallet.address) expect(lamports(ex.rentPayer) - payerBefore, "rent back to its payer").to.equal(rent);
    w.move(e, "closed");
  }
  checkConservation(w);
  for (const b of w.buyers) {
    const available = w.account("Balance", b.balance)?.available ?? 0n;
    if (available > 0n) await expectOk(d.send(b.wallet, [d.withdrawIx(b, available)]), "final withdraw");
  }
  for (const op of w.ops) {
    const claimable = w.account("Operator", op.address)!.claimable;
    if (claimable > 0n) await expectOk(d.send(op.authority, [d.claimIx(op, claimable)]), "final claim");
  }
  const fees = w.account("Config", d.config)!.feesUnwithdrawn + w.ops.reduce((n, o) => n + w.account("Operator", o.address)!.feesOwed, 0n);
  if (fees > 0n) {
    await expectOk(d.send(w.admin, [d.withdrawFeesIx(fees, w.treasury, w.admin, w.ops.map((o) => o.address))]), "final fee withdrawal");
  }
  checkConservation(w);
  // Only direct transfers into the vault are left: no instruction can pay them out.
  expect(d.tokens(d.vault), "vault after everyone took everything out").to.equal(w.donated);
}

// ---------------------------------------------------------------------------------------
// The property

export interface FuzzStats {
  sequences: number;
  steps: number;
  succeeded: number;
  /** Successful transactions by action kind. */
  okByKind: Map<string, number>;
  /** Refusals by error name. */
  refused: Map<string, number>;
}

export function newStats(): FuzzStats {
  return { sequences: 0, steps: 0, succeeded: 0, okByKind: new Map(), refused: new Map() };
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

async function runSequence(feeBps: number, token2022: boolean, actions: Action[], stats: FuzzStats): Promise<void> {
  const w = await World.create(feeBps, token2022);
  stats.sequences++;
  for (const a of actions) {
    const built = a.kind === "reserve" ? await buildReserve(w, a) : await build(w, a);
    stats.steps++;
    if (built && built.ixs.length > 0) {
      const r = await w.d.send(built.payer, built.ixs.map((i) => withSigners(i, w)));
      expectOrderlyRefusal(r, a);
      if (r.ok) {
        stats.succeeded++;
        bump(stats.okByKind, a.kind);
        built.onOk?.();
      } else {
        bump(stats.refused, errorName(r.errorCode) ?? `token program error ${r.errorCode}`);
        if (process.env.FUZZ_DEBUG) bump(stats.refused, `${a.kind}:${errorName(r.errorCode) ?? r.errorCode}`);
      }
    }
    checkConservation(w);
    await checkWithdrawable(w);
  }
  await drain(w);
}

/** Adds the signers an instruction's accounts need beyond the fee payer. */
function withSigners(i: Instruction, w: World): Instruction {
  const wallets = [w.d.admin, w.d.router, w.stranger.wallet, ...w.buyers.map((b) => b.wallet), ...w.ops.map((o) => o.authority)];
  const needed = (i.accounts ?? [])
    .filter((m) => m.role === AccountRole.READONLY_SIGNER || m.role === AccountRole.WRITABLE_SIGNER)
    .map((m) => wallets.find((s) => s.address === m.address))
    .filter((s): s is KeyPairSigner => s !== undefined);
  return needed.length > 0 ? signedBy(i, ...needed) : i;
}

export interface FuzzBudget {
  runs: number;
  steps: number;
  seed: number;
}

/** Runs the conservation property; throws (with fast-check's counterexample) on a violation. */
export async function fuzzConservation(budget: FuzzBudget, stats: FuzzStats = newStats()): Promise<FuzzStats> {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 1_000 }),
      fc.boolean(),
      fc.array(actionArb, { minLength: budget.steps, maxLength: budget.steps }),
      (feeBps, token2022, actions) => runSequence(feeBps, token2022, actions, stats),
    ),
    { seed: budget.seed, numRuns: budget.runs, endOnFailure: true },
  );
  return stats;
}

