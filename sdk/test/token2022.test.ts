// A Token-2022 deployment through the SDK's flows over RPC: the flows take the token program
// from the Config (the mint's owner at initialize), so deposit, reserve, settle, finalize,
// claim, fee withdrawal and withdraw all move Token-2022 tokens, with the same accounting as
// SPL Token; a refusal is the program's typed error and moves nothing.
import { expect } from "chai";
import { address, generateKeyPairSigner, type Address, type KeyPairSigner } from "@solana/kit";
import {
  assignSegment, claim, deposit, EndReason, finalize, initialize, OperatorStatus, registerOperator,
  reserve, reserveFromWallet, setOperatorStatus, submitReceipts, withdraw, withdrawFees,
} from "../src/flows/index.ts";
import { associatedTokenAccount } from "../src/flows/tokens.ts";
import { ArknetError, isArknetError } from "../src/errors.ts";
import { readBalance, readExecution, readOperator, tokenBalance } from "../src/read/accounts.ts";
import { signReceipt } from "../src/receipts/index.ts";
import { requireCluster } from "./support/cluster.ts";
import { createMint, newWallet, testDeployment, type TestDeployment } from "./support/escrow.ts";

const TOKEN_2022_PROGRAM_ADDRESS = address("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

describe("Token-2022 deployment through the SDK flows over RPC", function () {
  let t: TestDeployment; // the shared cluster and program, with this suite's Token-2022 deployment
  let buyer: { wallet: KeyPairSigner; tokenAccount: Address };
  let op: { authority: KeyPairSigner; key: KeyPairSigner; operator: Address };

  before(async function () {
    requireCluster(this);
    const shared = await testDeployment();
    const mint = await createMint(shared.client, shared.admin, 9, TOKEN_2022_PROGRAM_ADDRESS);
    const { deployment } = await initialize(shared.client, {
      admin: shared.admin,
      programAddress: shared.programId,
      mint,
      router: shared.router.address,
      feeBps: 250,
    });
    t = { ...shared, deployment };
    buyer = await newWallet(t, 1_000_000_000n);
    const authority = (await newWallet(t)).wallet;
    const key = await generateKeyPairSigner();
    const { operator } = await registerOperator(t.client, t.deployment, { authority, signingKey: key, rates: [{ sku: "H100", price: 40n }] });
    await setOperatorStatus(t.client, t.deployment, { admin: t.admin, operator, status: OperatorStatus.Active });
    op = { authority, key, operator };
  });

  const owner = async (a: Address) => (await t.client.rpc.getAccountInfo(a, { encoding: "base64", commitment: "confirmed" }).send()).value?.owner;

  it("records Token-2022 and the mint's decimals; the vault is a Token-2022 account", async () => {
    expect(t.deployment.tokenProgram).to.equal(TOKEN_2022_PROGRAM_ADDRESS);
    expect(t.deployment.decimals).to.equal(9);
    expect(await owner(t.deployment.vault)).to.equal(TOKEN_2022_PROGRAM_ADDRESS);
    expect(await owner(buyer.tokenAccount)).to.equal(TOKEN_2022_PROGRAM_ADDRESS);
  });

  it("deposits, withdraws, reserves, settles, finalizes, claims and withdraws fees in Token-2022 tokens", async () => {
    await deposit(t.client, t.deployment, { depositor: buyer.wallet, amount: 500_000n });
    await withdraw(t.client, t.deployment, { buyer: buyer.wallet, amount: 100_000n });
    expect(await tokenBalance(t.client.rpc, t.deployment.vault)).to.equal(400_000n);
    expect(await tokenBalance(t.client.rpc, buyer.tokenAccount)).to.equal(1_000_000_000n - 400_000n);

    const { execution } = await reserve(t.client, t.deployment, { buyer: buyer.wallet, maxBurn: 200_000n, durationSecs: 600n });
    await assignSegment(t.client, t.deployment, { router: t.router, execution, operator: op.operator, sku: "H100", maxPrice: 40n });
    const receipts = [];
    for (let seq = 1; seq <= 3; seq++) {
      receipts.push(await signReceipt(op.key, { execution, segment: 0, sku: "H100", cumulativeUnits: 500n * BigInt(seq), sequence: seq }));
    }
    await submitReceipts(t.client, t.deployment, { feePayer: t.router, execution, receipts });
    const consumed = 1_500n * 40n;
    expect((await readExecution(t.client.rpc, execution, t.deployment.programAddress)).consumed).to.equal(consumed);
    await finalize(t.client, t.deployment, { authority: t.router, execution, reason: EndReason.Completed });
    const balance = await readBalance(t.client.rpc, t.deployment, buyer.wallet.address);
    expect(balance).to.include({ available: 400_000n - consumed, reserved: 0n });

    const fee = (consumed * 250n) / 10_000n;
    const earned = await readOperator(t.client.rpc, t.deployment, op.authority.address);
    expect(earned).to.include({ claimable: consumed - fee, feesOwed: fee });
    await claim(t.client, t.deployment, { authority: op.authority, amount: consumed - fee });
    const payout = await associatedTokenAccount(op.authority.address, t.deployment.mint, TOKEN_2022_PROGRAM_ADDRESS);
    expect(await tokenBalance(t.client.rpc, payout)).to.equal(consumed - fee);
    await withdrawFees(t.client, t.deployment, { admin: t.admin, amount: fee, sweep: [op.operator] });
    expect(await tokenBalance(t.client.rpc, t.deployment.treasury)).to.equal(fee);
    // What is left in the vault is exactly the buyer's available balance.
    expect(await tokenBalance(t.client.rpc, t.deployment.vault)).to.equal(400_000n - consumed);
  });

  it("reserves straight from the Token-2022 wallet", async () => {
    const before = await tokenBalance(t.client.rpc, buyer.tokenAccount);
    const vaultBefore = await tokenBalance(t.client.rpc, t.deployment.vault);
    const { execution } = await reserveFromWallet(t.client, t.deployment, { buyer: buyer.wallet, maxBurn: 70_000n, durationSecs: 60n });
    expect(await tokenBalance(t.client.rpc, buyer.tokenAccount)).to.equal(before - 70_000n);
    expect(await tokenBalance(t.client.rpc, t.deployment.vault)).to.equal(vaultBefore + 70_000n);
    expect((await readExecution(t.client.rpc, execution, t.deployment.programAddress)).maxBurn).to.equal(70_000n);
  });

  it("refuses a claim above the claimable with the program's typed error; no token moves", async () => {
    const vault = await tokenBalance(t.client.rpc, t.deployment.vault);
    const err = await claim(t.client, t.deployment, { authority: op.authority, amount: 1n }).catch((e: unknown) => e);
    expect(isArknetError(err, "InsufficientClaimable"), String(err)).to.equal(true);
    expect((err as ArknetError).source).to.equal("program");
    expect(await tokenBalance(t.client.rpc, t.deployment.vault)).to.equal(vault);
  });
});
