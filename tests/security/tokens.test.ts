// Attack classes 6 and 13: token programs, mints and token accounts that are not the
// configured ones, and Token-2022 mints whose extensions could take, block or shrink
// escrowed tokens.
import { expect } from "chai";
import { generateKeyPairSigner, lamports, type Address } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  getFreezeAccountInstruction,
  getInitializeAccount3Instruction,
  getInitializeMint2Instruction,
  getSetAuthorityInstruction,
  AuthorityType,
} from "@solana-program/token";
import { expectRefused } from "../support/refusals.ts";
import { expectOk } from "../support/deployment.ts";
import { createMint, createTokenAccount, mintTo, TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from "../support/tokens.ts";
import { customError, expectFailed, freshAddress, patchAccount, plantCopy, Undeployed, world, type World } from "./support.ts";
import { replaceAccount } from "../support/mutate.ts";
import type { Sendable } from "../support/svm.ts";
import { EXTENSIONS, mintWithExtension, token2022Account } from "./token2022.ts";

// SPL Token's errors (Token-2022 shares them).
const MINT_MISMATCH = 3;
const OWNER_MISMATCH = 4;

describe("security: fake token program, wrong mint, wrong token accounts", () => {
  describe("at initialize", () => {
    let u: Undeployed;
    let t: Awaited<ReturnType<Undeployed["tokens"]>>;
    beforeEach(async () => {
      u = await Undeployed.create();
      t = await u.tokens();
    });
    const refuse = (name: string, tokens: Partial<typeof t>) =>
      expectRefused(u.svm, [u.config, t.vault, t.treasury], name, () => u.send([u.initializeIx({ ...t, ...tokens })]));

    it("a fake token program owning a copy of the mint: InvalidTokenProgram", async () => {
      const fakeProgram = await freshAddress();
      const fakeMint = await freshAddress();
      plantCopy(u.svm, t.mint, fakeMint, fakeProgram);
      await refuse("InvalidTokenProgram", { mint: fakeMint, tokenProgram: fakeProgram });
    });

    it("Token-2022 named for an SPL Token mint: InvalidMint", () => refuse("InvalidMint", { tokenProgram: TOKEN_2022_PROGRAM_ADDRESS }));

    it("SPL Token named for a Token-2022 mint: InvalidMint", async () => {
      const t22 = await u.tokens(TOKEN_2022_PROGRAM_ADDRESS);
      await expectRefused(u.svm, [u.config], "InvalidMint", () => u.send([u.initializeIx({ ...t22, tokenProgram: TOKEN_PROGRAM_ADDRESS })]));
    });

    it("a token account as the mint: InvalidMint", () => refuse("InvalidMint", { mint: t.treasury }));

    it("a vault of another mint: InvalidVault", async () => {
      const other = await createMint(u.svm, u.admin);
      await refuse("InvalidVault", { vault: await createTokenAccount(u.svm, u.admin, other, u.config) });
    });

    it("a vault the config PDA does not own: InvalidVault", async () => {
      await refuse("InvalidVault", { vault: await createTokenAccount(u.svm, u.admin, t.mint, u.admin.address) });
    });

    it("a vault handed to the config PDA with the creator's close authority still on it: InvalidVault", async () => {
      // Built with real instructions: SPL Token keeps the close authority when the owner
      // changes, so whoever holds it could close an empty vault and re-create the address.
      const attacker = await generateKeyPairSigner();
      const vault = await createTokenAccount(u.svm, u.admin, t.mint, u.admin.address);
      await expectOk(u.send([
        getSetAuthorityInstruction({ owned: vault, owner: u.admin, authorityType: AuthorityType.CloseAccount, newAuthority: attacker.address }),
        getSetAuthorityInstruction({ owned: vault, owner: u.admin, authorityType: AuthorityType.AccountOwner, newAuthority: u.config }),
      ]), "hand the vault over");
      await refuse("InvalidVault", { vault });
    });

    it("a vault with a delegate: InvalidVault (bytes only: SPL Token clears delegates on an owner change)", async () => {
      patchAccount(u.svm, t.vault, (d) => {
        d.set([1, 0, 0, 0], 72);
        d.set(new Uint8Array(32).fill(7), 76);
      });
      await refuse("InvalidVault", {});
    });

    it("a frozen vault (the mint's freeze authority froze it): InvalidVault", async () => {
      const mint = await generateKeyPairSigner();
      const vault = await generateKeyPairSigner();
      const rent = (n: bigint) => u.svm.minimumBalanceForRentExemption(n);
      await expectOk(u.send([
        getCreateAccountInstruction({ payer: u.admin, newAccount: mint, lamports: rent(82n), space: 82n, programAddress: TOKEN_PROGRAM_ADDRESS }),
        getInitializeMint2Instruction({ mint: mint.address, decimals: 6, mintAuthority: u.admin.address, freezeAuthority: u.admin.address }),
        getCreateAccountInstruction({ payer: u.admin, newAccount: vault, lamports: rent(165n), space: 165n, programAddress: TOKEN_PROGRAM_ADDRESS }),
        getInitializeAccount3Instruction({ account: vault.address, mint: mint.address, owner: u.config }),
        getFreezeAccountInstruction({ account: vault.address, mint: mint.address, owner: u.admin }),
      ]), "frozen vault");
      const treasury = await createTokenAccount(u.svm, u.admin, mint.address, u.admin.address);
      await expectRefused(u.svm, [u.config], "InvalidVault", () =>
        u.send([u.initializeIx({ mint: mint.address, vault: vault.address, treasury, tokenProgram: TOKEN_PROGRAM_ADDRESS })]),
      );
    });

    it("a treasury of another mint: InvalidTreasury", async () => {
      const other = await createMint(u.svm, u.admin);
      await refuse("InvalidTreasury", { treasury: await createTokenAccount(u.svm, u.admin, other, u.admin.address) });
    });

    it("the vault as the treasury: DuplicateAccount", () => refuse("DuplicateAccount", { treasury: t.vault }));
  });

  describe("in token-moving instructions", () => {
    let w: World;
    let otherMint: Address;
    let attackerOtherTokens: Address;
    before(async () => {
      w = await world();
      otherMint = await createMint(w.d.svm, w.d.admin, 6);
      attackerOtherTokens = await createTokenAccount(w.d.svm, w.d.admin, otherMint, w.attacker.wallet.address);
      await mintTo(w.d.svm, w.d.admin, otherMint, attackerOtherTokens, 1_000_000n);
    });
    const tokenProgramSlot = async (i: Sendable, program: Address) =>
      replaceAccount(await i, w.d.tokenProgram, program);

    it("a fake token program in deposit, withdraw and claim: InvalidTokenProgram", async () => {
      const fake = await freshAddress();
      await expectRefused(w.d.svm, w.watched, "InvalidTokenProgram", () =>
        w.d.send(w.attacker.wallet, [tokenProgramSlot(w.d.depositIx(w.attacker, 1n), fake)]),
      );
      await expectRefused(w.d.svm, w.watched, "InvalidTokenProgram", () =>
        w.d.send(w.buyer.wallet, [tokenProgramSlot(w.d.withdrawIx(w.buyer, 1n), fake)]),
      );
      await expectRefused(w.d.svm, w.watched, "InvalidTokenProgram", () =>
        w.d.send(w.op.authority, [tokenProgramSlot(w.d.claimIx(w.op, 1n), fake)]),
      );
    });

    it("Token-2022 where the configured mint is SPL Token: InvalidTokenProgram", async () => {
      await expectRefused(w.d.svm, w.watched, "InvalidTokenProgram", () =>
        w.d.send(w.buyer.wallet, [tokenProgramSlot(w.d.withdrawIx(w.buyer, 1n), TOKEN_2022_PROGRAM_ADDRESS)]),
      );
      await expectRefused(w.d.svm, w.watched, "InvalidTokenProgram", async () =>
        w.d.send(w.d.admin, [tokenProgramSlot(await w.d.withdrawFeesIx(1n), TOKEN_2022_PROGRAM_ADDRESS)]),
      );
    });

    it("another mint named in deposit (with a source of that mint): InvalidMint", async () => {
      const deposit = replaceAccount(await w.d.depositIx({ ...w.attacker, tokens: attackerOtherTokens }, 1n), w.d.mint, otherMint);
      await expectRefused(w.d.svm, [...w.watched, attackerOtherTokens], "InvalidMint", () => w.d.send(w.attacker.wallet, [deposit]));
    });

    it("a vault that is not the configured one, in deposit and withdraw: InvalidVault", async () => {
      const decoy = await createTokenAccount(w.d.svm, w.d.admin, w.d.mint, w.attacker.wallet.address);
      await expectRefused(w.d.svm, [...w.watched, decoy], "InvalidVault", async () =>
        w.d.send(w.attacker.wallet, [replaceAccount(await w.d.depositIx(w.attacker, 1n), w.d.vault, decoy)]),
      );
      await expectRefused(w.d.svm, [...w.watched, decoy], "InvalidVault", async () =>
        w.d.send(w.buyer.wallet, [replaceAccount(await w.d.withdrawIx(w.buyer, 1n), w.d.vault, decoy)]),
      );
    });

    it("a deposit source of another mint: the token program refuses (MintMismatch)", async () => {
      await expectFailed(w.d.svm, [...w.watched, attackerOtherTokens], customError(0, MINT_MISMATCH), () =>
        w.d.send(w.attacker.wallet, [w.d.depositIx({ ...w.attacker, tokens: attackerOtherTokens }, 1n)]),
      );
    });

    it("a deposit source the depositor does not own: the token program refuses (OwnerMismatch)", async () => {
      await expectFailed(w.d.svm, w.watched, customError(0, OWNER_MISMATCH), () =>
        w.d.send(w.attacker.wallet, [w.d.depositIx({ ...w.attacker, tokens: w.buyer.tokens }, 1n)]),
      );
    });

    it("a withdraw or claim destination of another mint: the token program refuses (MintMismatch)", async () => {
      await expectFailed(w.d.svm, [...w.watched, attackerOtherTokens], customError(0, MINT_MISMATCH), () =>
        w.d.send(w.buyer.wallet, [w.d.withdrawIx(w.buyer, 1n, attackerOtherTokens)]),
      );
      await expectFailed(w.d.svm, [...w.watched, attackerOtherTokens], customError(0, MINT_MISMATCH), () =>
        w.d.send(w.op.authority, [w.d.claimIx(w.op, 1n, attackerOtherTokens)]),
      );
    });

    it("set_treasury to an account of another mint, or to the vault: InvalidTreasury", async () => {
      await expectRefused(w.d.svm, w.watched, "InvalidTreasury", () =>
        w.d.send(w.d.admin, [w.d.setTreasuryIx(attackerOtherTokens)]),
      );
      await expectRefused(w.d.svm, w.watched, "InvalidTreasury", () =>
        w.d.send(w.d.admin, [w.d.setTreasuryIx(w.d.vault)]),
      );
    });
  });

  describe("treasury owned by another token program", () => {
    it("set_treasury to a Token-2022 account on an SPL Token deployment: InvalidTokenAccount", async () => {
      const w = await world();
      const mint22 = await createMint(w.d.svm, w.d.admin, 6, TOKEN_2022_PROGRAM_ADDRESS);
      const account22 = await createTokenAccount(w.d.svm, w.d.admin, mint22, w.d.admin.address, TOKEN_2022_PROGRAM_ADDRESS);
      await expectRefused(w.d.svm, w.watched, "InvalidTokenAccount", () =>
        w.d.send(w.d.admin, [w.d.setTreasuryIx(account22)]),
      );
    });
  });

  describe("on a Token-2022 deployment", () => {
    it("SPL Token named where the configured program is Token-2022: InvalidTokenProgram", async () => {
      const w = await world({ tokenProgram: TOKEN_2022_PROGRAM_ADDRESS });
      await expectRefused(w.d.svm, w.watched, "InvalidTokenProgram", async () =>
        w.d.send(w.buyer.wallet, [replaceAccount(await w.d.withdrawIx(w.buyer, 1n), TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS)]),
      );
      await expectRefused(w.d.svm, w.watched, "InvalidTokenProgram", async () =>
        w.d.send(w.attacker.wallet, [replaceAccount(await w.d.depositIx(w.attacker, 1n), TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS)]),
      );
    });
  });
});

describe("security: Token-2022 mint extensions at initialize", () => {
  const refused = ["transferHook", "permanentDelegate", "transferFee", "defaultFrozen", "closeAuthority", "nonTransferable"] as const;

  for (const key of refused) {
    const ext = EXTENSIONS[key];
    it(`${ext.name}: UnsupportedMintExtension`, async () => {
      const u = await Undeployed.create();
      const { mint, accountSpace } = await mintWithExtension(u.svm, u.admin, ext);
      const mintData = u.svm.getAccount(mint);
      expect(mintData.exists && new DataView(mintData.data.buffer, mintData.data.byteOffset).getUint16(166, true)).to.equal(ext.type);
      const vault = await token2022Account(u.svm, u.admin, mint, u.config, accountSpace);
      const treasury = await token2022Account(u.svm, u.admin, mint, u.admin.address, accountSpace);
      await expectRefused(u.svm, [u.config, vault, treasury], "UnsupportedMintExtension", () =>
        u.send([u.initializeIx({ mint, vault, treasury, tokenProgram: TOKEN_2022_PROGRAM_ADDRESS })]),
      );
    });
  }

  it("an extension the allow-list accepts (MetadataPointer) initializes", async () => {
    const u = await Undeployed.create();
    const { mint, accountSpace } = await mintWithExtension(u.svm, u.admin, EXTENSIONS.metadataPointer);
    const vault = await token2022Account(u.svm, u.admin, mint, u.config, accountSpace);
    const treasury = await token2022Account(u.svm, u.admin, mint, u.admin.address, accountSpace);
    await expectOk(u.send([u.initializeIx({ mint, vault, treasury, tokenProgram: TOKEN_2022_PROGRAM_ADDRESS })]), "initialize");
  });

  it("a refused extension behind an allowed one in the TLV list is still found (crafted bytes)", async () => {
    // MetadataPointer first, PermanentDelegate second: the scan must walk the whole list.
    const u = await Undeployed.create();
    const { mint, accountSpace } = await mintWithExtension(u.svm, u.admin, EXTENSIONS.metadataPointer);
    const vault = await token2022Account(u.svm, u.admin, mint, u.config, accountSpace);
    const treasury = await token2022Account(u.svm, u.admin, mint, u.admin.address, accountSpace);
    const a = u.svm.getAccount(mint);
    if (!a.exists) throw new Error("mint missing");
    const data = new Uint8Array(a.data.length + 4 + 32);
    data.set(a.data);
    data.set([12, 0, 32, 0], a.data.length);
    data.fill(9, a.data.length + 4);
    u.svm.setAccount({ ...a, data, space: BigInt(data.length), lamports: lamports(u.svm.minimumBalanceForRentExemption(BigInt(data.length))) });
    await expectRefused(u.svm, [u.config], "UnsupportedMintExtension", () =>
      u.send([u.initializeIx({ mint, vault, treasury, tokenProgram: TOKEN_2022_PROGRAM_ADDRESS })]),
    );
  });

});
