// Attack class 10: anyone can send lamports to a PDA before the program creates it. A
// plain CreateAccount would then fail ("already in use") and the victim could never
// open their balance, operator, execution or the deployment's config. The program tops
// the account up to rent exemption, allocates and assigns it instead.
import { expect } from "chai";
import type { LiteSVM } from "litesvm";
import type { Address } from "@solana/kit";
import { expectOk } from "../support/deployment.ts";
import { fundedSigner, PROGRAM_ID } from "../support/svm.ts";
import { transferLamports, Undeployed, world, type World } from "./support.ts";
import { balanceAddress, executionAddress, operatorAddress, registerOperatorInstructions } from "@arknet/escrow";

const LEN = { Config: 8 + 304, Operator: 8 + 432, Balance: 8 + 112 };

/** The account exists, belongs to the program, has `len` bytes and is rent exempt. */
function expectCreated(svm: LiteSVM, at: Address, prefunded: bigint, len?: number) {
  const a = svm.getAccount(at);
  if (!a.exists) throw new Error(`${at} was not created`);
  expect(a.programAddress).to.equal(PROGRAM_ID);
  if (len !== undefined) expect(a.data.length).to.equal(len);
  const rent = svm.minimumBalanceForRentExemption(BigInt(a.data.length));
  expect(a.lamports).to.equal(prefunded > rent ? prefunded : rent);
}

describe("security: pre-funding a future PDA with lamports", () => {
  let w: World;
  before(async () => {
    w = await world();
  });

  // The least a system transfer may leave in a new account (rent exemption of 0 bytes,
  // below the program account's rent), and more than any program account's rent.
  for (const [label, prefund] of [["the rent of an empty account", 890_880n], ["5 SOL", 5_000_000_000n]] as const) {
    describe(`with ${label}`, () => {
      it("Balance: the first deposit still creates it", async () => {
        const buyer = await w.d.newBuyer(1_000n);
        await expectOk(w.d.send(w.attacker.wallet, [transferLamports(w.attacker.wallet, await balanceAddress(w.d.config, buyer.wallet.address, PROGRAM_ID), prefund)]));
        await w.d.deposit(buyer, 1_000n);
        expectCreated(w.d.svm, buyer.balance, prefund, LEN.Balance);
        expect(w.d.account("Balance", buyer.balance).available).to.equal(1_000n);
      });

      it("Operator: registration still creates it", async () => {
        const authority = await fundedSigner(w.d.svm);
        const operator = await operatorAddress(w.d.config, authority.address, PROGRAM_ID);
        await expectOk(w.d.send(w.attacker.wallet, [transferLamports(w.attacker.wallet, operator, prefund)]));
        // The authority co-signs as its own signing key.
        const { instructions } = await registerOperatorInstructions(w.d, { authority, signingKey: authority });
        await expectOk(w.d.send(authority, instructions), "register");
        expectCreated(w.d.svm, operator, prefund, LEN.Operator);
        expect(w.d.account("Operator", operator).authority).to.equal(authority.address);
      });

      it("Execution: the reservation still creates it", async () => {
        const id = w.nextId++;
        const { address } = await executionAddress(w.d.config, w.buyer.wallet.address, id, PROGRAM_ID);
        await expectOk(w.d.send(w.attacker.wallet, [transferLamports(w.attacker.wallet, address, prefund)]));
        await w.d.reserve(w.buyer, id, 1_000n);
        expectCreated(w.d.svm, address, prefund);
        expect(w.d.account("Execution", address).executionId).to.equal(id);
      });

      it("Config: initialize still creates it", async () => {
        const u = await Undeployed.create();
        const t = await u.tokens();
        const attacker = await fundedSigner(u.svm);
        await expectOk(u.send([transferLamports(attacker, u.config, prefund)], attacker));
        await expectOk(u.send([u.initializeIx(t)]), "initialize");
        expectCreated(u.svm, u.config, prefund, LEN.Config);
      });
    });
  }
});
