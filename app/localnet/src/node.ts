// One running validator: the chain, its slot clock, the HTTP RPC and the PubSub servers,
// and ledger persistence.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createChain, type Chain } from "./chain/chain.ts";
import { toBase58 } from "./chain/codec.ts";
import { DEV_KEYS, type Keypair } from "./chain/keys.ts";
import { genesis, loadSvm, type ProgramSpec } from "./chain/svm.ts";
import { ledgerExists, loadLedgerState, removeLedger, saveLedger } from "./ledger.ts";
import { createRpcServer } from "./rpc/http.ts";
import { attachPubsub } from "./pubsub/server.ts";
import type { NodeInfo } from "./rpc/context.ts";

export interface LocalnetOptions {
  /** HTTP JSON-RPC port (default 8899; 0 picks a free pair). PubSub listens on port + 1. */
  rpcPort?: number;
  host?: string;
  /** Ledger file: loaded at start when present (unless `reset`), saved on stop and every few seconds. */
  ledger?: string;
  reset?: boolean;
  slotMs?: number;
  /** Programs to deploy at genesis, besides the escrow. */
  programs?: ProgramSpec[];
  /** Deploy target/deploy/arknet_escrow.so at the IDL's address (default true when the file exists). */
  escrow?: boolean;
  log?: (line: string) => void;
}

export interface Localnet {
  rpcUrl: string;
  wsUrl: string;
  rpcPort: number;
  chain: Chain;
  faucet: Keypair;
  upgradeAuthority: Keypair;
  usdcMint: string;
  programs: ProgramSpec[];
  save(): void;
  stop(): Promise<void>;
}

export const USDC_DECIMALS = 6;
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The escrow program the localnet deploys by default: the IDL's address, the built .so. */
export function defaultEscrowProgram(): ProgramSpec | null {
  const idlPath = `${REPO_ROOT}idl/arknet_escrow.json`;
  const so = process.env.ARKNET_SO ?? `${REPO_ROOT}target/deploy/arknet_escrow.so`;
  if (!existsSync(idlPath) || !existsSync(so)) return null;
  return { programId: JSON.parse(readFileSync(idlPath, "utf8")).address, path: so };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Listens on `port` and `port + 1`; with port 0, on the first free pair of a random probe. */
async function listenPair(rpc: Server, ws: Server, port: number, host: string): Promise<number> {
  if (port !== 0) {
    await listen(rpc, port, host);
    await listen(ws, port + 1, host);
    return port;
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = await listen(rpc, 0, host);
    try {
      await listen(ws, p + 1, host);
      return p;
    } catch {
      await close(rpc);
    }
  }
  throw new Error("no free pair of ports found");
}

export async function startNode(opts: LocalnetOptions = {}): Promise<Localnet> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const host = opts.host ?? "127.0.0.1";
  const slotMs = opts.slotMs ?? 400;
  const upgradeAuthority = DEV_KEYS.upgradeAuthority();
  const faucet = DEV_KEYS.faucet();
  const usdcMint = DEV_KEYS.usdcMint().address;
  const programs = [...(opts.programs ?? [])];
  const escrow = opts.escrow === false ? null : defaultEscrowProgram();
  if (escrow && !programs.some((p) => p.programId === escrow.programId)) programs.unshift(escrow);
  if (opts.escrow === true && !escrow) throw new Error("the escrow program is not built: run npm run build:program");

  if (opts.ledger && opts.reset) removeLedger(opts.ledger);
  const resume = opts.ledger !== undefined && ledgerExists(opts.ledger);
  const svm = resume
    ? loadSvm(opts.ledger!)
    : genesis({
        programs,
        upgradeAuthority,
        faucet,
        usdcMint: DEV_KEYS.usdcMint(),
        usdcDecimals: USDC_DECIMALS,
        faucetLamports: 500_000_000n * 1_000_000_000n,
        unixTimestamp: BigInt(Math.floor(Date.now() / 1000)),
      });
  const state = resume
    ? loadLedgerState(opts.ledger!)
    : { genesisHash: toBase58(new Uint8Array(randomBytes(32))), slot: 0, transactionCount: 0, records: [], blockhashes: [], slotTimes: [] };
  const chain = createChain(svm, state);
  const node: NodeInfo = { chain, faucet, usdcMint, usdcDecimals: USDC_DECIMALS, upgradeAuthority };

  const rpcServer = createRpcServer(node);
  const wsServer = createHttpServer((_req, res) => res.writeHead(400).end());
  const { wss } = attachPubsub(wsServer, chain);
  const rpcPort = await listenPair(rpcServer, wsServer, opts.rpcPort ?? 8899, host);

  let dirty = false;
  chain.listeners.transaction.push(() => (dirty = true));
  const save = () => {
    if (opts.ledger) saveLedger(opts.ledger, svm, chain.exportState());
    dirty = false;
  };

  // The slot clock: one slot every slotMs, scheduled against the start time so it does not drift.
  const started = performance.now();
  let ticks = 0;
  let timer: NodeJS.Timeout;
  const tick = () => {
    ticks += 1;
    chain.advanceSlot();
    if (opts.ledger && dirty && ticks % 25 === 0) save();
    timer = setTimeout(tick, Math.max(0, started + (ticks + 1) * slotMs - performance.now()));
  };
  timer = setTimeout(tick, slotMs);

  const rpcUrl = `http://${host}:${rpcPort}`;
  const wsUrl = `ws://${host}:${rpcPort + 1}`;
  log(`arknet-localnet: JSON-RPC ${rpcUrl}  PubSub ${wsUrl}  slot ${chain.slot}${resume ? ` (resumed ${opts.ledger})` : ""}`);
  for (const p of programs) log(`  program ${p.programId}  ${p.path}`);
  log(`  upgrade authority ${upgradeAuthority.address} (dev key; the secret is in getLocalnetInfo and DEV_KEYS)`);
  log(`  faucet ${faucet.address}  USDC-like mint ${usdcMint} (${USDC_DECIMALS} decimals): requestAirdrop / requestTokenAirdrop`);

  let stopped = false;
  return {
    rpcUrl,
    wsUrl,
    rpcPort,
    chain,
    faucet,
    upgradeAuthority,
    usdcMint,
    programs,
    save,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      if (opts.ledger) save();
      for (const c of wss.clients) c.terminate();
      wss.close();
      rpcServer.closeAllConnections();
      await Promise.all([close(rpcServer), close(wsServer)]);
    },
  };
}
