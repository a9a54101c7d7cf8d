// Crash test: the real settler process is killed with SIGKILL at random moments (at least 20
// times; ARKNET_CRASH_KILLS for the soak) while GPU nodes stream receipts and the pipeline
// assigns, settles, finalizes and closes on the localnet over RPC; it is restarted each time
// on the same SQLite file. At the end no receipt answered 202 is lost (on-chain settled units
// equal each segment's last receipt), none is charged twice (consumed, claimable and refunds
// exact), every execution is finalized, and the vault's conservation check holds.
import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningValidator } from "@arknet/localnet/launch";
import { openStore } from "../src/store/index.ts";
import { makeBuyer, makeEscrow, makeOperator, type TestEscrow, type TestOperator } from "./support/escrow.ts";
import { sleep } from "./support/fixtures.ts";
import { freePort } from "./support/ports.ts";
import { signedReceipt } from "./support/receipts.ts";
import { expectSettledExactly, postUntil as post, waitFinalized } from "./support/settlement.ts";
import { kill9, startSettlerProcess } from "./support/settlerProcess.ts";
import { VALIDATORS, startTestValidator, unavailable } from "./support/validators.ts";

const TOKEN = "crash-test-router-token-0123";
const KILLS = Number(process.env.ARKNET_CRASH_KILLS ?? 20);
const EXECUTIONS = Number(process.env.ARKNET_CRASH_EXECUTIONS ?? 4);
const SEGMENTS = 2;
const RECEIPTS = Number(process.env.ARKNET_CRASH_RECEIPTS ?? 10);
const MAX_BURN = 1_000_000n;
const DEPOSIT = 20_000_000n;

for (const kind of VALIDATORS) describe(`pipeline crash test (SIGKILL the settler, ${kind} over RPC, SQLite file)`, function () {
  // Agave's 400 ms slots make each restart's catch-up slower: 117 s for 20 kills at load ~3.6.
  this.timeout(Number(process.env.ARKNET_CRASH_TIMEOUT_MS ?? (kind === "solana-test-validator" ? 420_000 : 240_000)));
  let v: RunningValidator;
  let t: TestEscrow;
  let dir: string;
  let child: ChildProcess | null = null;

  before(async function () {
    const why = unavailable(kind);
    if (why) {
      console.log(`      ${why}`);
      return this.skip();
    }
    v = await startTestValidator(kind);
    t = await makeEscrow(v);
    dir = mkdtempSync(join(tmpdir(), "settler-crash-"));
    writeFileSync(join(dir, "router.json"), JSON.stringify([...t.routerSecret]));
  });
  after(async () => {
    if (child) await kill9(child);
    await v?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`loses nothing and charges nothing twice over ${KILLS} kills`, async () => {
    const ops = [await makeOperator(t, 3n), await makeOperator(t, 5n)];
    const opOf = (s: number): TestOperator => ops[s % ops.length]!;
    const { buyer, executions } = await makeBuyer(t, DEPOSIT, Array(EXECUTIONS).fill(MAX_BURN));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const start = () =>
      startSettlerProcess({
        db: join(dir, "settler.sqlite"),
        port,
        token: TOKEN,
        programId: t.deployment.programAddress,
        rpcUrl: v.rpcUrl,
        config: t.deployment.config,
        routerKeypair: join(dir, "router.json"),
        // One instance name across restarts: the restarted process takes its own leases back at once.
        env: { ARKNET_SETTLER_INSTANCE: "crash-test", ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100", ARKNET_SETTLER_CRANK_INTERVAL_MS: "300", ARKNET_SETTLER_REBROADCAST_MS: "400" },
      });
    child = await start();

    const postUntil = (path: string, body: unknown, auth: boolean, ok: (status: number, text: string) => boolean) => post([base], path, body, auth ? TOKEN : null, ok);

    let kills = 0;
    let streaming = true;
    const killer = (async () => {
      while (kills < KILLS || streaming) {
        await sleep(300 + Math.random() * 900);
        await kill9(child!);
        kills++;
        child = await start();
      }
    })();

    const units = (n: number, s: number) => BigInt(50 * n + 3 * s);
    const nodes = executions.flatMap((e) =>
      Array.from({ length: SEGMENTS }, async (_, s) => {
        await postUntil(`/v1/executions/${e}/segments`, { segment: s, operator: opOf(s).account, operatorKey: opOf(s).key.address, sku: "H100" }, true, (st) => st === 202);
        for (let n = 1; n <= RECEIPTS; n++) {
          const op = opOf(s);
          const r = signedReceipt({ secret: op.seed, key: op.key.address, account: op.account }, "", e, s, units(n, s), n);
          // 409 "already settled on-chain" answers a retry of a receipt that landed meanwhile.
          await postUntil("/v1/receipts", { receipts: [r] }, false, (st, text) => st === 202 || (st === 409 && text.includes("already settled")));
          await sleep(50 + Math.random() * 100);
        }
      }),
    );
    await Promise.all(nodes);
    for (const e of executions) await postUntil(`/v1/executions/${e}/complete`, {}, true, (st) => st === 202);
    streaming = false;
    await killer;
    expect(kills).to.be.at.least(KILLS);

    const store = await openStore(join(dir, "settler.sqlite"));
    try {
      await waitFinalized(store, executions, 150_000);
      const confirmed = await store.listOutbox(["confirmed"]);
      console.log(`      (${kills} kills; ${confirmed.length} transactions confirmed, ${(await store.listOutbox(["failed", "expired"])).length} failed or expired)`);
    } finally {
      await store.close();
    }

    await expectSettledExactly({ t, executions, segments: SEGMENTS, opOf, lastUnits: (s) => units(RECEIPTS, s), buyer: buyer.address, deposit: DEPOSIT });
  });
});
