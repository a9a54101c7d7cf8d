// Attack classes 2 and 3: accounts that look like the program's own but are not.
// 2. A byte-for-byte copy of a real Config/Operator/Balance/Execution (rewritten to
//    favour the attacker) owned by a program the attacker controls.
// 3. A real program account of another type in a slot (a Balance where an Operator is
//    expected, ...): refused by size, or, with a matching size, by discriminator.
import { AccountRole, getAddressEncoder, type Address, type Instruction, type KeyPairSigner } from "@solana/kit";
import { expectRefused } from "../support/refusals.ts";
import { expectOk } from "../support/deployment.ts";
import { SYSTEM_PROGRAM, claimInstructions, operatorAddress } from "@arknet/escrow";
import { freshAddress, patchAccount, plantCopy, world, type World } from "./support.ts";
import { signedBy, replaceAccount } from "../support/mutate.ts";
import { TOKEN_PROGRAM_ADDRESS } from "../support/tokens.ts";
import { PROGRAM_ID } from "../support/svm.ts";

const enc = getAddressEncoder();
const u64le = (v: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
};

// Byte offsets (discriminator included) of the fields the look-alikes rewrite.
/** The SDK's claim by `authority`, its own operator account swapped for `operator`. */
async function claimAt(d: World["d"], authority: KeyPairSigner, operator: Address, amount: bigint, destination: Address): Promise<Instruction> {
  const [claim] = await claimInstructions(d, { authority, amount, destination });
  return replaceAccount(claim, await operatorAddress(d.config, authority.address, PROGRAM_ID), operator);
}

const CONFIG_ADMIN = 8;
const CONFIG_TREASURY = 8 + 5 * 32;
const CONFIG_FEES_UNWITHDRAWN = 8 + 7 * 32 + 8;
const OPERATOR_AUTHORITY = 8;
const OPERATOR_SIGNING_KEY = 8 + 32;
const OPERATOR_CLAIMABLE = 8 + 64;
const BALANCE_BUYER = 8;
const BALANCE_AVAILABLE = 8 + 32;
const EXECUTION_BUYER = 8;
const EXECUTION_ROUTER = 8 + 32;
const EXECUTION_MAX_BURN = 8 + 96 + 8;
const OPERATOR_DISCRIMINATOR = [219, 31, 188, 145, 69, 139, 204, 117];

describe("security: look-alike accounts owned by another program", () => {
  let w: World;
  let attackerProgram: Address;
  before(async () => {
    w = await world();
    attackerProgram = await freshAddress();
  });

  /** A copy of `real` owned by the attacker's program, with `edit` applied to its bytes. */
  async function lookAlike(real: Address, edit: (data: Uint8Array) => void, owner = attackerProgram): Promise<Address> {
    const fake = await freshAddress();
    plantCopy(w.d.svm, real, fake, owner);
    patchAccount(w.d.svm, fake, edit);
    return fake;
  }

  it("Config: a copy naming the attacker admin and treasury cannot withdraw fees", async () => {
    const fake = await lookAlike(w.d.config, (d) => {
      d.set(enc.encode(w.attacker.wallet.address), CONFIG_ADMIN);
      d.set(enc.encode(w.attacker.tokens), CONFIG_TREASURY);
      d.set(u64le(1_000_000n), CONFIG_FEES_UNWITHDRAWN);
    });
    const steal = replaceAccount(w.d.withdrawFeesIx(1_000n, w.attacker.tokens, w.attacker.wallet), w.d.config, fake);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.attacker.wallet, [steal]));
  });

  it("Config: a copy naming the attacker admin cannot change an operator's status", async () => {
    const fake = await lookAlike(w.d.config, (d) => d.set(enc.encode(w.attacker.wallet.address), CONFIG_ADMIN));
    const activate = replaceAccount(w.d.setStatusIx(w.op, 2, w.attacker.wallet), w.d.config, fake);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.attacker.wallet, [activate]));
  });

  it("Config: a copy owned by the token program is refused too", async () => {
    const fake = await lookAlike(w.d.config, () => {}, TOKEN_PROGRAM_ADDRESS);
    const deposit = replaceAccount(await w.d.depositIx(w.attacker, 1n), w.d.config, fake);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.attacker.wallet, [deposit]));
  });

  it("Operator: a copy whose authority is the attacker cannot claim", async () => {
    const fake = await lookAlike(w.op.address, (d) => {
      d.set(enc.encode(w.attacker.wallet.address), OPERATOR_AUTHORITY);
      d.set(u64le(1_000_000n), OPERATOR_CLAIMABLE);
    });
    const claim = await claimAt(w.d, w.attacker.wallet, fake, 1_000n, w.attacker.tokens);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.attacker.wallet, [claim]));
  });

  it("Operator: a copy of an active operator cannot be assigned a segment", async () => {
    const fake = await lookAlike(w.op.address, (d) => d.set(enc.encode(w.attacker.wallet.address), OPERATOR_SIGNING_KEY));
    const assign = replaceAccount(w.d.assignIx(w.execution, 1, w.op, "H100"), w.op.address, fake);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.d.router, [assign]));
  });

  it("Operator: in submit_receipts a copy at another address is not the segment's operator", async () => {
    const fake = await lookAlike(w.op.address, () => {});
    const [pre] = await w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 2_000n, seq: 2 }]);
    await expectRefused(w.d.svm, [...w.watched, fake], "OperatorAccountMissing", () =>
      w.d.send(w.attacker.wallet, [pre, w.d.submitIx(w.execution, [fake])]),
    );
  });

  it("Balance: a copy crediting the attacker cannot be withdrawn", async () => {
    const fake = await lookAlike(w.buyer.balance, (d) => {
      d.set(enc.encode(w.attacker.wallet.address), BALANCE_BUYER);
      d.set(u64le(4_000_000n), BALANCE_AVAILABLE);
    });
    const withdraw = replaceAccount(await w.d.withdrawIx(w.attacker, 1_000_000n), w.attacker.balance, fake);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.attacker.wallet, [withdraw]));
  });

  it("Balance: a copy cannot fund a reservation", async () => {
    const fake = await lookAlike(w.attacker.balance, (d) => d.set(u64le(4_000_000n), BALANCE_AVAILABLE));
    const { ix: reserve, execution } = await w.d.reserveIx(w.attacker, 1n, 1_000_000n);
    await expectRefused(w.d.svm, [...w.watched, fake, execution], "InvalidAccountOwner", () =>
      w.d.send(w.attacker.wallet, [replaceAccount(reserve, w.attacker.balance, fake)]),
    );
  });

  it("Balance: deposit treats a foreign-owned balance as new and refuses its address", async () => {
    const fake = await lookAlike(w.attacker.balance, () => {});
    const deposit = replaceAccount(await w.d.depositIx(w.attacker, 1n), w.attacker.balance, fake);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidPda", () => w.d.send(w.attacker.wallet, [deposit]));
  });

  it("Execution: a copy with a huge max burn cannot be finalized into the balance", async () => {
    const fake = await lookAlike(w.execution, (d) => {
      d.set(enc.encode(w.attacker.wallet.address), EXECUTION_BUYER);
      d.set(enc.encode(w.attacker.wallet.address), EXECUTION_ROUTER);
      d.set(u64le(1n << 40n), EXECUTION_MAX_BURN);
    });
    const finalize = replaceAccount(await w.d.finalizeIx(w.execution, w.attacker.wallet, w.attacker, { reason: 0, operators: [] }), w.execution, fake);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.attacker.wallet, [finalize]));
  });

  it("Execution: a copy routed by the attacker cannot settle receipts or take a top-up", async () => {
    const fake = await lookAlike(w.execution, (d) => d.set(enc.encode(w.attacker.wallet.address), EXECUTION_ROUTER));
    const submit = await w.d.submitIxs(fake, [{ op: w.op, segment: 0, sku: "H100", units: 5_000n, seq: 2 }]);
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () => w.d.send(w.attacker.wallet, submit));
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () =>
      w.d.send(w.buyer.wallet, [w.d.topUpIx(w.buyer, fake, 1n)]),
    );
    await expectRefused(w.d.svm, [...w.watched, fake], "InvalidAccountOwner", () =>
      w.d.send(w.attacker.wallet, [w.d.assignIx(fake, 1, w.op, "A100", w.attacker.wallet)]),
    );
  });
});

describe("security: account type confusion", () => {
  let w: World;
  before(async () => {
    w = await world();
  });

  it("the buyer's Balance as the Operator of a claim (authority at the same offset)", async () => {
    // Balance.buyer sits where Operator.authority does: only the size and type checks stop it.
    const claim = await claimAt(w.d, w.buyer.wallet, w.buyer.balance, 1n, w.buyer.tokens);
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () => w.d.send(w.buyer.wallet, [claim]));
  });

  it("an Operator as the Balance of a withdraw", async () => {
    const withdraw = replaceAccount(await w.d.withdrawIx(w.buyer, 1n), w.buyer.balance, w.op.address);
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () => w.d.send(w.buyer.wallet, [withdraw]));
  });

  it("a Balance as the Config of a deposit", async () => {
    const deposit = replaceAccount(await w.d.depositIx(w.attacker, 1n), w.d.config, w.buyer.balance);
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () => w.d.send(w.attacker.wallet, [deposit]));
  });

  it("an Operator as the Execution of submit_receipts", async () => {
    const [pre] = await w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 2_000n, seq: 2 }]);
    const submit = w.d.submitIx(w.op.address, [w.op.address]);
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () => w.d.send(w.attacker.wallet, [pre, submit]));
  });

  it("an Execution as the Operator of assign_segment", async () => {
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () =>
      w.d.send(w.d.router, [replaceAccount(w.d.assignIx(w.execution, 1, w.op, "A100"), w.op.address, w.execution)]),
    );
  });

  it("the Config as the Balance of finalize, the Config as its Execution", async () => {
    const finalize = await w.d.finalizeIx(w.execution, w.d.router, w.buyer);
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () =>
      w.d.send(w.d.router, [replaceAccount(finalize, w.buyer.balance, w.d.config)]),
    );
    const asExecution = { ...finalize, accounts: finalize.accounts!.map((m, i) => (i === 1 ? { address: w.d.config, role: m.role } : m)) };
    await expectRefused(w.d.svm, w.watched, "InvalidAccountData", () => w.d.send(w.d.router, [asExecution]));
  });

  it("same size, other discriminator: InvalidAccountType (only reachable by rewriting program-owned bytes)", async () => {
    // No instruction can produce such an account; the check backs up the size check.
    const original = w.d.svm.getAccount(w.attacker.balance);
    patchAccount(w.d.svm, w.attacker.balance, (d) => d.set(OPERATOR_DISCRIMINATOR, 0));
    try {
      await expectRefused(w.d.svm, w.watched, "InvalidAccountType", () => w.d.send(w.attacker.wallet, [w.d.withdrawIx(w.attacker, 1n)]));
    } finally {
      if (original.exists) w.d.svm.setAccount(original);
    }
  });
});

describe("security: written accounts passed read-only, fake system program", () => {
  let w: World;
  before(async () => {
    w = await world();
  });
  /** `instruction` with account slot `index` passed read-only. */
  const readOnly = (instruction: Instruction, index: number): Instruction => ({
    ...instruction,
    accounts: instruction.accounts!.map((m, i) => (i === index ? { address: m.address, role: AccountRole.READONLY } : m)),
  });

  it("withdraw with the balance read-only, finalize with the execution or balance read-only: AccountNotWritable", async () => {
    await expectRefused(w.d.svm, w.watched, "AccountNotWritable", async () => w.d.send(w.buyer.wallet, [readOnly(await w.d.withdrawIx(w.buyer, 1n), 2)]));
    for (const slot of [1, 2]) {
      await expectRefused(w.d.svm, w.watched, "AccountNotWritable", async () =>
        w.d.send(w.d.router, [readOnly(await w.d.finalizeIx(w.execution, w.d.router, w.buyer), slot)]),
      );
    }
  });

  it("submit_receipts with the operator or the execution read-only: AccountNotWritable", async () => {
    const [pre, submit] = await w.d.submitIxs(w.execution, [{ op: w.op, segment: 0, sku: "H100", units: 2_000n, seq: 2 }]);
    for (const slot of [0, 2]) {
      await expectRefused(w.d.svm, w.watched, "AccountNotWritable", () => w.d.send(w.attacker.wallet, [pre, readOnly(submit, slot)]));
    }
  });

  it("claim with the operator read-only: AccountNotWritable", () =>
    expectRefused(w.d.svm, w.watched, "AccountNotWritable", async () => w.d.send(w.op.authority, [readOnly(await w.d.claimIx(w.op, 1n), 2)])));

  it("assign_segment with the operator read-only, close with the rent payer read-only: AccountNotWritable", async () => {
    await expectRefused(w.d.svm, w.watched, "AccountNotWritable", () =>
      w.d.send(w.d.router, [readOnly(w.d.assignIx(w.execution, 1, w.op, "A100"), 2)]),
    );
    const { execution } = await w.d.reserve(w.buyer, w.nextId++, 1n);
    await expectOk(w.d.send(w.buyer.wallet, [w.d.cancelIx(execution, w.buyer)]), "cancel");
    // Another fee payer: the buyer (its own rent payer) signs read-only.
    const close = signedBy(readOnly(w.d.closeIx(execution, w.buyer.wallet, w.buyer.wallet.address), 2), w.buyer.wallet);
    await expectRefused(w.d.svm, [...w.watched, execution], "AccountNotWritable", () => w.d.send(w.attacker.wallet, [close]));
  });

  it("a fake system program where an account is created: InvalidSystemProgram", async () => {
    const fake = await freshAddress();
    const newcomer = await w.d.newBuyer(10n);
    const deposit = replaceAccount(await w.d.depositIx(newcomer, 1n), SYSTEM_PROGRAM, fake);
    await expectRefused(w.d.svm, [...w.watched, newcomer.balance], "InvalidSystemProgram", () => w.d.send(newcomer.wallet, [deposit]));
    const { ix: reserve, execution } = await w.d.reserveIx(w.buyer, w.nextId, 1n);
    await expectRefused(w.d.svm, [...w.watched, execution], "InvalidSystemProgram", () =>
      w.d.send(w.buyer.wallet, [replaceAccount(reserve, SYSTEM_PROGRAM, fake)]),
    );
  });
});
