// The real stack behind the browser: app/localnet on ports of this suite's range, the escrow
// deployed and initialized through the SDK (the settler's test harness), an active operator
// whose wallet key is known (the browser imports it), and the settler serving the built
// dashboard with its pipeline on.
import { createKeyPairSignerFromPrivateKeyBytes, getAddressEncoder, airdropFactory, lamports, type KeyPairSigner, type Address } from "@solana/kit";
import { OperatorStatus, registerOperator, setOperatorStatus } from "@arknet/escrow";
import { startLocalnet, type RunningValidator } from "@arknet/localnet/launch";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { loadConfig } from "../../../settler/src/config.ts";
import { startSettler, type Settler } from "../../../settler/src/settler.ts";
import { makeEscrow, type TestEscrow } from "../../../settler/test/support/escrow.ts";

/** This suite's loopback ports (the dashboard's range). */
const PORT_LOW = 18000;
const PORT_HIGH = 18999;
export const ROUTER_TOKEN = "router-token-for-browser-tests";
export const DIST = fileURLToPath(new URL("../../dist", import.meta.url));

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });

/** A free port (and port + 1 when `pair`, for the validator's PubSub) in this suite's range. */
export async function freePort(pair = false): Promise<number> {
  const start = PORT_LOW + Math.floor(Math.random() * (PORT_HIGH - PORT_LOW));
  for (let i = 0; i < PORT_HIGH - PORT_LOW; i++) {
    const p = PORT_LOW + ((start - PORT_LOW + i) % (PORT_HIGH - PORT_LOW));
    if ((await portFree(p)) && (!pair || (await portFree(p + 1)))) return p;
  }
  throw new Error(`no free port in ${PORT_LOW}-${PORT_HIGH}`);
}

/** A signer with its Solana CLI secret key (the dev wallet's import format). */
export async function knownKey(): Promise<{ signer: KeyPairSigner; secret: number[]; seed: Uint8Array }> {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const signer = await createKeyPairSignerFromPrivateKeyBytes(seed);
  return { signer, seed, secret: [...seed, ...getAddressEncoder().encode(signer.address)] };
}

export interface Stack {
  validator: RunningValidator;
  escrow: TestEscrow;
  settler: Settler;
  operator: { authority: KeyPairSigner; secret: number[]; account: Address; nodeKey: KeyPairSigner; nodeSeed: Uint8Array; price: bigint };
  stop(): Promise<void>;
}

export async function startStack(price: bigint): Promise<Stack> {
  const validator = await startLocalnet({ rpcPort: await freePort(true), slotMs: 100 });
  const dir = mkdtempSync(join(tmpdir(), "arknet-browser-"));
  try {
    // Long review window: settled executions stay open to rating while the test looks at them.
    const escrow = await makeEscrow(validator, { reviewWindowSecs: 600n, expiryGraceSecs: 2n, settlementWindowSecs: 1n });
    const authority = await knownKey();
    const node = await knownKey();
    await airdropFactory(escrow.client)({ recipientAddress: authority.signer.address, lamports: lamports(5_000_000_000n), commitment: "confirmed" });
    const { operator } = await registerOperator(escrow.client, escrow.deployment, { authority: authority.signer, signingKey: node.signer, rates: [{ sku: "H100", price }] });
    await setOperatorStatus(escrow.client, escrow.deployment, { admin: escrow.admin, operator, status: OperatorStatus.Active });
    writeFileSync(join(dir, "router.json"), JSON.stringify([...escrow.routerSecret]));
    const settler = await startSettler(
      loadConfig([], {
        ARKNET_SETTLER_DB: join(dir, "settler.sqlite"),
        ARKNET_SETTLER_HOST: "127.0.0.1",
        ARKNET_SETTLER_PORT: String(await freePort()),
        ARKNET_SETTLER_ROUTER_TOKEN: ROUTER_TOKEN,
        ARKNET_PROGRAM_ID: escrow.deployment.programAddress,
        ARKNET_RPC_URL: validator.rpcUrl,
        ARKNET_CONFIG: escrow.deployment.config,
        ARKNET_ROUTER_KEYPAIR: join(dir, "router.json"),
        ARKNET_SETTLER_PIPELINE_INTERVAL_MS: "100",
        ARKNET_SETTLER_CRANK_INTERVAL_MS: "300",
        ARKNET_SETTLER_DASHBOARD_DIR: DIST,
        ARKNET_SETTLER_DASHBOARD_WS_URL: validator.wsUrl,
      }),
      { logger: pino({ level: process.env.SETTLER_LOG ?? "warn" }) },
    );
    return {
      validator,
      escrow,
      settler,
      operator: { authority: authority.signer, secret: authority.secret, account: operator, nodeKey: node.signer, nodeSeed: node.seed, price },
      async stop() {
        await settler.stop();
        await validator.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await validator.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
