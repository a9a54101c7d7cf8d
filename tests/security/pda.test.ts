// Attack class 5: wrong program-derived addresses. Config, Operator and Balance are
// checked with find_program_address (canonical bump only); an Execution's bump is an
// instruction argument and its address is proven by the system program's create, which
// needs the program's signature for exactly that PDA (docs/protocol.md, deviation 3): a
// wrong address fails the CPI (PrivilegeEscalation). A non-canonical bump may create the
// execution at another address, but only the one execution of that id, once. Accounts of
// another buyer are refused by their contents.
import { expect } from "chai";
import { AccountRole, type Address, type KeyPairSigner } from "@solana/kit";
import { expectRefused } from "../support/refusals.ts";
import { expectOk, newSalt, type Buyer } from "../support/deployment.ts";
import { fundedSigner, PROGRAM_ID } from "../support/svm.ts";
import { bumps, derivedHash, expectFailed, instructionError, onCurveBump, pdaAt, seeds, Undeployed, world, type World } from "./support.ts";
import { replaceAccount, withArgs } from "../support/mutate.ts";
import { balanceAddress, configAddress, executionAddress, getReserveInstructionDataCodec, operatorAddress, registerOperatorInstructions } from "@arknet/escrow";

describe("security: wrong PDAs", () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  describe("Config (initialize)", () => {
    it("the non-canonical config address: InvalidPda", async () => {
      const u = await Undeployed.create();
      const t = await u.tokens();
      const other = pdaAt(seeds.config(u.salt), bumps(seeds.config(u.salt)).nonCanonical)!;
      await expectRefused(u.svm, [u.config, other], "InvalidPda", async () =>
        u.send([replaceAccount(await u.initializeIx(t), u.config, other)]),
      );
    });

    it("a config address from foreign seeds (the admin's balance PDA): InvalidPda", async () => {
      const u = await Undeployed.create();
      const t = await u.tokens();
      const foreign = await balanceAddress(u.config, u.admin.address, PROGRAM_ID);
      await expectRefused(u.svm, [u.config, foreign], "InvalidPda", async () =>
        u.send([replaceAccount(await u.initializeIx(t), u.config, foreign)]),
      );
    });
  });

  describe("Operator (register_operator)", () => {
    // The authority co-signs as its own signing key.
    const register = async (authority: KeyPairSigner, operator: Address) => {
      const { instructions, operator: own } = await registerOperatorInstructions(w.d, { authority, signingKey: authority });
      return replaceAccount(instructions[0], own, operator);
    };

    it("another authority's operator address: InvalidPda", async () => {
      const attacker = await fundedSigner(w.d.svm);
      const victim = await fundedSigner(w.d.svm);
      const theirs = await operatorAddress(w.d.config, victim.address, PROGRAM_ID);
      await expectRefused(w.d.svm, [theirs], "InvalidPda", () => w.d.send(attacker, [register(attacker, theirs)]));
    });

    it("the non-canonical operator address: InvalidPda", async () => {
      const authority = await fundedSigner(w.d.svm);
      const s = seeds.operator(w.d.config, authority.address);
      const other = pdaAt(s, bumps(s).nonCanonical)!;
      await expectRefused(w.d.svm, [other], "InvalidPda", () => w.d.send(authority, [register(authority, other)]));
    });
  });

  describe("Balance (deposit creates it)", () => {
    it("the non-canonical balance address: InvalidPda", async () => {
      const buyer = await w.d.newBuyer(100n);
      const s = seeds.balance(w.d.config, buyer.wallet.address);
      const other = pdaAt(s, bumps(s).nonCanonical)!;
      await expectRefused(w.d.svm, [...w.watched, other, buyer.tokens], "InvalidPda", () =>
        w.d.send(buyer.wallet, [w.d.depositIx({ ...buyer, balance: other }, 1n)]),
      );
    });

    it("the not-yet-created balance of another buyer: InvalidPda", async () => {
      const buyer = await w.d.newBuyer(100n);
      const stranger = await fundedSigner(w.d.svm);
      const theirs = await balanceAddress(w.d.config, stranger.address, PROGRAM_ID);
      await expectRefused(w.d.svm, [...w.watched, theirs, buyer.tokens], "InvalidPda", () =>
        w.d.send(buyer.wallet, [w.d.depositIx({ ...buyer, balance: theirs }, 1n)]),
      );
    });

    it("the existing balance of another buyer: WrongBuyer", async () => {
      await expectRefused(w.d.svm, w.watched, "WrongBuyer", () =>
        w.d.send(w.attacker.wallet, [w.d.depositIx({ ...w.attacker, balance: w.buyer.balance }, 1n)]),
      );
    });
  });

  describe("Execution (reserve takes the bump)", () => {
    const escalation = instructionError(0, "PrivilegeEscalation");
    /** reserve of execution `id` for `buyer` (the SDK's), moved to any execution address and bump. */
    const reserveWith = async (buyer: Buyer, execution: Address, id: bigint, maxBurn: bigint, bump: number) => {
      const { ix, execution: canonical } = await w.d.reserveIx(buyer, id, maxBurn);
      return withArgs(replaceAccount(ix, canonical, execution), getReserveInstructionDataCodec(), { bump });
    };

    it("the canonical bump with the address of another id: the create needs that PDA's signature (PrivilegeEscalation)", async () => {
      const { ix: reserve } = await w.d.reserveIx(w.buyer, w.nextId, 1n);
      const other = (await executionAddress(w.d.config, w.buyer.wallet.address, w.nextId + 1n, PROGRAM_ID)).address;
      await expectFailed(w.d.svm, [...w.watched, other], escalation, () => w.d.send(w.buyer.wallet, [replaceAccount(reserve, reserve.accounts![4].address, other)]));
    });

    it("the same buyer and id in another deployment is another address (PrivilegeEscalation)", async () => {
      const { ix: reserve } = await w.d.reserveIx(w.buyer, w.nextId, 1n);
      const elsewhere = (await executionAddress((await configAddress(newSalt(), PROGRAM_ID))[0], w.buyer.wallet.address, w.nextId, PROGRAM_ID)).address;
      expect(elsewhere).to.not.equal(reserve.accounts![4].address);
      await expectFailed(w.d.svm, [...w.watched, elsewhere], escalation, () =>
        w.d.send(w.buyer.wallet, [replaceAccount(reserve, reserve.accounts![4].address, elsewhere)]),
      );
    });

    it("another buyer's execution seeds (PrivilegeEscalation)", async () => {
      const theirs = await executionAddress(w.d.config, w.buyer.wallet.address, 100n, PROGRAM_ID);
      // The attacker's own canonical bump: the seeds derive the attacker's address, not theirs.
      const own = await executionAddress(w.d.config, w.attacker.wallet.address, 100n, PROGRAM_ID);
      const reserve = reserveWith(w.attacker, theirs.address, 100n, 1n, own.bump);
      await expectFailed(w.d.svm, [...w.watched, theirs.address], escalation, () => w.d.send(w.attacker.wallet, [reserve]));
    });

    it("a bump that does not derive the address passed (PrivilegeEscalation)", async () => {
      const { address } = await executionAddress(w.d.config, w.buyer.wallet.address, w.nextId, PROGRAM_ID);
      const { nonCanonical } = bumps(seeds.execution(w.d.config, w.buyer.wallet.address, w.nextId));
      const reserve = reserveWith(w.buyer, address, w.nextId, 1n, nonCanonical);
      await expectFailed(w.d.svm, [...w.watched, address], escalation, () => w.d.send(w.buyer.wallet, [reserve]));
    });

    it("an on-curve bump (a hash that is not a PDA): the runtime refuses to sign for it", async () => {
      const s = seeds.execution(w.d.config, w.buyer.wallet.address, w.nextId);
      const bump = onCurveBump(s);
      const onCurve = derivedHash(s, bump);
      const reserve = reserveWith(w.buyer, onCurve, w.nextId, 1n, bump);
      const r = await expectFailed(w.d.svm, [...w.watched, onCurve], instructionError(0, "ProgramFailedToComplete"), () =>
        w.d.send(w.buyer.wallet, [reserve]),
      );
      expect(r.logs).to.include(
        `Program ${PROGRAM_ID} failed: Could not create program address with signer seeds: Provided seeds do not result in a valid address`,
      );
    });

    it("a non-canonical off-curve bump opens that one execution, once: the id is then used up", async () => {
      const s = seeds.execution(w.d.config, w.buyer.wallet.address, w.nextId);
      const { canonical, nonCanonical } = bumps(s);
      const odd = pdaAt(s, nonCanonical)!;
      const canonicalAddress = pdaAt(s, canonical)!;
      const reserveAt = (execution: Address, bump: number) => reserveWith(w.buyer, execution, w.nextId, 1_000n, bump);
      await expectOk(w.d.send(w.buyer.wallet, [reserveAt(odd, nonCanonical)]), "reserve at a non-canonical bump");
      const e = w.d.account("Execution", odd);
      expect([e.executionId, e.bump, e.maxBurn]).to.deep.equal([w.nextId, nonCanonical, 1_000n]);
      // The canonical address of the same id, and the odd one again: the id is spent.
      await expectRefused(w.d.svm, [...w.watched, odd, canonicalAddress], "ExecutionIdNotIncreasing", () =>
        w.d.send(w.buyer.wallet, [reserveAt(canonicalAddress, canonical)]),
      );
      await expectRefused(w.d.svm, [...w.watched, odd, canonicalAddress], "ExecutionIdNotIncreasing", () =>
        w.d.send(w.buyer.wallet, [reserveAt(odd, nonCanonical)]),
      );
      // It is an ordinary execution of this buyer: it finalizes back into the balance.
      await expectOk(w.d.send(w.d.router, [w.d.finalizeIx(odd, w.d.router, w.buyer)]), "finalize");
    });
  });

  describe("another buyer's accounts", () => {
    it("reserve from another buyer's balance: WrongBuyer", async () => {
      const { ix: reserve, execution } = await w.d.reserveIx(w.attacker, 1n, 1n);
      await expectRefused(w.d.svm, [...w.watched, execution], "WrongBuyer", () =>
        w.d.send(w.attacker.wallet, [replaceAccount(reserve, w.attacker.balance, w.buyer.balance)]),
      );
    });

    it("withdraw from another buyer's balance: WrongBuyer", async () => {
      await expectRefused(w.d.svm, w.watched, "WrongBuyer", async () =>
        w.d.send(w.attacker.wallet, [replaceAccount(await w.d.withdrawIx(w.attacker, 1n), w.attacker.balance, w.buyer.balance)]),
      );
    });

    it("top up another buyer's execution from one's own balance: WrongBuyer", async () => {
      await expectRefused(w.d.svm, w.watched, "WrongBuyer", () =>
        w.d.send(w.attacker.wallet, [w.d.topUpIx(w.attacker, w.execution, 1n)]),
      );
    });

    it("finalize another buyer's execution into one's own balance: WrongBuyer", async () => {
      await expectRefused(w.d.svm, w.watched, "WrongBuyer", () =>
        w.d.send(w.d.router, [w.d.finalizeIx(w.execution, w.d.router, w.attacker)]),
      );
    });
  });
});
