// npm run bench:localnet — sendTransaction throughput and confirmation latency of the
// localnet, over HTTP/WebSocket against a validator in its own process, for SPL token
// transfers and for the escrow's submit_receipts. Writes bench/results/localnet.json.
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import {
  address,
  appendTransactionMessageInstructions,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { findAssociatedTokenPda, getCreateAssociatedTokenIdempotentInstruction, getMintToInstruction, getTransferInstruction, TOKEN_PROGRAM_ADDRESS } from "@solana-program/token";
import { DEV_KEYS } from "@arknet/localnet";
import { startLocalnet } from "@arknet/localnet/launch";
import { PROGRAM_ID, ix, pubkey, sku } from "../helpers/idl.ts";
import { balancePda, configPda, executionPda, operatorPda } from "../helpers/pdas.ts";
import { ed25519Instruction, newSigningKey, signReceipt } from "../helpers/receipts.ts";
import { programDataAddress } from "../helpers/svm.ts";

const PORT = 28900;
const RPC = `http://127.0.0.1:${PORT}`;
const WS = `ws://127.0.0.1:${PORT + 1}`;
const N = Number(process.env.BENCH_N ?? 2000);
const N_RECEIPTS = Number(process.env.BENCH_RECEIPTS ?? 400);
const CONCURRENCY = 32;
const SYSTEM = address("11111111111111111111111111111111");
const SYSVAR_IX = address("Sysvar1nstructions1111111111111111111111111");
const OUT = fileURLToPath(new URL("../../bench/results/localnet.json", import.meta.url));

const rpc = createSolanaRpc(RPC);

// A keep-alive HTTP client: fetch's per-request overhead would dominate the measurement.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function raw(method: string, params: unknown[]): Promise<any> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  return new Promise((resolve, reject) => {
    const req = request(RPC, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const j = JSON.parse(Buffer.concat(chunks).toString());
        if (j.error) reject(new Error(`${method}: ${j.error.message}`));
        else resolve(j.result);
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function build(payer: KeyPairSigner, ixs: Instruction[], blockhash: any) {
  const tx = await signTransactionMessageWithSigners(
    pipe(createTransactionMessage({ version: "legacy" }), (m) => setTransactionMessageFeePayerSigner(payer, m), (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m), (m) => appendTransactionMessageInstructions(ixs, m)),
  );
  return { wire: getBase64EncodedWireTransaction(tx), signature: getSignatureFromTransaction(tx) as string };
}

async function confirmed(sig: string) {
  for (let i = 0; i < 200; i++) {
    const st = (await raw("getSignatureStatuses", [[sig]])).value[0];
    if (st && st.confirmationStatus !== "processed") {
      if (st.err) throw new Error(`${sig} failed: ${JSON.stringify(st.err)}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${sig} not confirmed`);
}

async function sendOk(payer: KeyPairSigner, ixs: Instruction[]) {
  const { value } = await rpc.getLatestBlockhash({ commitment: "processed" }).send();
  const t = await build(payer, ixs, value);
  await raw("sendTransaction", [t.wire, { encoding: "base64", preflightCommitment: "processed" }]);
  await confirmed(t.signature);
}

/** Sends `wires` one at a time, then with `CONCURRENCY` in flight; tx/s for each. */
async function throughput(wires: string[], opts: { skipPreflight: boolean; concurrent: boolean }) {
  const before = await raw("getLocalnetStats", []);
  const t0 = performance.now();
  if (!opts.concurrent) for (const w of wires) await raw("sendTransaction", [w, { encoding: "base64", skipPreflight: opts.skipPreflight, preflightCommitment: "confirmed" }]);
  else {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < wires.length) await raw("sendTransaction", [wires[next++], { encoding: "base64", skipPreflight: opts.skipPreflight, preflightCommitment: "confirmed" }]);
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = await raw("getLocalnetStats", []);
  const processingSeconds = (after.submitMs - before.submitMs) / 1000;
  return {
    transactions: wires.length,
    seconds: +seconds.toFixed(3),
    /** End to end over HTTP, client on the same 2 cores. */
    txPerSecond: Math.round(wires.length / seconds),
    /** The validator's own processing (execute, record, index, notify), excluding HTTP and JSON. */
    processingTxPerSecond: Math.round((after.submitted - before.submitted) / processingSeconds),
  };
}

/** signatureSubscribe(confirmed) latency: ms from send to notification, and slots after the processing slot. */
async function confirmLatency(wires: { wire: string; signature: string }[]) {
  const ws = new WebSocket(WS);
  await new Promise((r) => ws.once("open", r));
  const pending = new Map<number, (slot: number) => void>();
  const ids = new Map<number, (id: number) => void>();
  let reqId = 0;
  ws.on("message", (m) => {
    const msg = JSON.parse(m.toString());
    if (msg.method === "signatureNotification") pending.get(msg.params.subscription)?.(msg.params.result.context.slot);
    else if (msg.id !== undefined) ids.get(msg.id)?.(msg.result);
  });
  const ms: number[] = [];
  const slotsAfter: number[] = [];
  for (const w of wires) {
    const id = ++reqId;
    const sub = await new Promise<number>((resolve) => {
      ids.set(id, resolve);
      ws.send(JSON.stringify({ jsonrpc: "2.0", id, method: "signatureSubscribe", params: [w.signature, { commitment: "confirmed" }] }));
    });
    const notified = new Promise<number>((resolve) => pending.set(sub, resolve));
    const t0 = performance.now();
    await raw("sendTransaction", [w.wire, { encoding: "base64", skipPreflight: true }]);
    const processedSlot = (await raw("getSignatureStatuses", [[w.signature]])).value[0].slot;
    const confirmedSlot = await notified;
    ms.push(performance.now() - t0);
    slotsAfter.push(confirmedSlot - processedSlot);
  }
  ws.close();
  ms.sort((a, b) => a - b);
  const pct = (p: number) => +ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))].toFixed(1);
  return { samples: ms.length, p50Ms: pct(50), p90Ms: pct(90), maxMs: pct(100), maxSlotsAfterProcessing: Math.max(...slotsAfter) };
}

async function main() {
  // Start-up: in-process (genesis with the escrow, servers listening) and as a fresh process.
  const s0 = performance.now();
  const inProcess = await startLocalnet();
  const startInProcessMs = +(performance.now() - s0).toFixed(1);
  await inProcess.stop();
  const p0 = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../../app/localnet/src/cli.ts", import.meta.url)), "--rpc-port", String(PORT)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.on("exit", () => child.kill("SIGKILL"));
  await new Promise<void>((resolve) => child.stdout!.on("data", (d) => d.toString().includes("JSON-RPC") && resolve()));
  const startProcessMs = +(performance.now() - p0).toFixed(1);
  const faucet = await createKeyPairSignerFromBytes(DEV_KEYS.faucet().secretKey);
  const admin = await createKeyPairSignerFromBytes(DEV_KEYS.upgradeAuthority().secretKey);
  const mint = address(DEV_KEYS.usdcMint().address);

  // Token transfers: one sender per 500 transactions (distinct amounts keep signatures unique).
  const sender = await generateKeyPairSigner();
  const receiver = await generateKeyPairSigner();
  const [from] = await findAssociatedTokenPda({ owner: sender.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  const [to] = await findAssociatedTokenPda({ owner: receiver.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  await sendOk(faucet, [
    getTransferSolInstruction({ source: faucet, destination: sender.address, amount: 1_000_000_000_000n }),
    getCreateAssociatedTokenIdempotentInstruction({ payer: faucet, ata: from, owner: sender.address, mint }),
    getCreateAssociatedTokenIdempotentInstruction({ payer: faucet, ata: to, owner: receiver.address, mint }),
    getMintToInstruction({ mint, token: from, mintAuthority: faucet, amount: 1_000_000_000_000n }),
  ]);
  let amount = 1n;
  const transfers = async (n: number) => {
    const { value } = await rpc.getLatestBlockhash({ commitment: "processed" }).send();
    const out = [];
    for (let i = 0; i < n; i++) out.push(await build(sender, [getTransferInstruction({ source: from, destination: to, authority: sender, amount: amount++ })], value));
    return out;
  };
  console.log(`signing ${N * 3 + 350} token transfers…`);
  await throughput((await transfers(300)).map((t) => t.wire), { skipPreflight: true, concurrent: false }); // warm-up
  const seqSkip = await throughput((await transfers(N)).map((t) => t.wire), { skipPreflight: true, concurrent: false });
  const seqPre = await throughput((await transfers(N)).map((t) => t.wire), { skipPreflight: false, concurrent: false });
  const conc = await throughput((await transfers(N)).map((t) => t.wire), { skipPreflight: true, concurrent: true });
  const transferLatency = await confirmLatency(await transfers(50));
  console.log({ seqSkip, seqPre, conc, transferLatency });

  // submit_receipts: one execution, one operator, a newer cumulative receipt per transaction.
  const router = await generateKeyPairSigner();
  await sendOk(admin, [getTransferSolInstruction({ source: admin, destination: router.address, amount: 100_000_000_000n })]);
  const config = await configPda();
  const [vault] = await findAssociatedTokenPda({ owner: config, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  const [treasury] = await findAssociatedTokenPda({ owner: admin.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  await sendOk(admin, [
    getCreateAssociatedTokenIdempotentInstruction({ payer: admin, ata: vault, owner: config, mint }),
    getCreateAssociatedTokenIdempotentInstruction({ payer: admin, ata: treasury, owner: admin.address, mint }),
  ]);
  await sendOk(admin, [
    ix("initialize", { fee_bps: 250, expiry_grace_secs: 3600n }, {
      admin: admin.address, config, mint, vault, treasury, router: router.address, token_program: TOKEN_PROGRAM_ADDRESS,
      system_program: SYSTEM, program_data: await programDataAddress(PROGRAM_ID),
    }),
  ]);
  const opAuth = await generateKeyPairSigner();
  await sendOk(admin, [getTransferSolInstruction({ source: admin, destination: opAuth.address, amount: 10_000_000_000n })]);
  const op = { address: await operatorPda(opAuth.address), key: newSigningKey() };
  await sendOk(opAuth, [
    ix("register_operator", { signing_key: pubkey(getBase58Decoder().decode(op.key.publicKey) as Address) }, { authority: opAuth.address, operator: op.address, system_program: SYSTEM }),
    ix("set_operator_rate", { sku: sku("gpu"), price: 1n }, { authority: opAuth.address, operator: op.address }),
  ]);
  await sendOk(admin, [ix("set_operator_status", { status: 1 }, { admin: admin.address, config, operator: op.address })]);
  const buyer = await generateKeyPairSigner();
  const [buyerTokens] = await findAssociatedTokenPda({ owner: buyer.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  await sendOk(faucet, [
    getTransferSolInstruction({ source: faucet, destination: buyer.address, amount: 10_000_000_000n }),
    getCreateAssociatedTokenIdempotentInstruction({ payer: faucet, ata: buyerTokens, owner: buyer.address, mint }),
    getMintToInstruction({ mint, token: buyerTokens, mintAuthority: faucet, amount: 1_000_000_000_000n }),
  ]);
  const balance = await balancePda(buyer.address);
  await sendOk(buyer, [ix("deposit", { amount: 1_000_000_000_000n }, { depositor: buyer.address, buyer: buyer.address, config, balance, source: buyerTokens, vault, mint, token_program: TOKEN_PROGRAM_ADDRESS, system_program: SYSTEM })]);
  const { address: execution, bump } = await executionPda(buyer.address, 1n);
  await sendOk(buyer, [ix("reserve", { execution_id: 1n, max_burn: 1_000_000_000_000n, duration_secs: 86_400n, bump, price_caps: [] }, { payer: buyer.address, buyer: buyer.address, config, balance, execution, system_program: SYSTEM })]);
  await sendOk(router, [ix("assign_segment", { segment_index: 0, sku: sku("gpu") }, { router: router.address, execution, operator: op.address })]);
  let seq = 0;
  const submits = async (n: number) => {
    const { value } = await rpc.getLatestBlockhash({ commitment: "processed" }).send();
    const out = [];
    for (let i = 0; i < n; i++) {
      seq += 1;
      const r = signReceipt(op.key, { programId: PROGRAM_ID, execution, segment: 0, sku: sku("gpu"), cumulativeUnits: BigInt(seq), sequence: seq });
      out.push(await build(router, [ed25519Instruction([r]), ix("submit_receipts", {}, { execution, instructions_sysvar: SYSVAR_IX, operator: op.address })], value));
    }
    return out;
  };
  const rSeq = await throughput((await submits(N_RECEIPTS)).map((t) => t.wire), { skipPreflight: true, concurrent: false });
  const rConc = await throughput((await submits(N_RECEIPTS)).map((t) => t.wire), { skipPreflight: true, concurrent: true });
  const rLatency = await confirmLatency(await submits(30));
  const last = (await submits(1))[0];
  await raw("sendTransaction", [last.wire, { encoding: "base64", preflightCommitment: "processed" }]);
  await confirmed(last.signature);
  console.log({ rSeq, rConc, rLatency });

  const result = {
    date: new Date().toISOString(),
    machine: "2 shared cores; client and validator on the same machine, validator in its own process",
    slotMs: 400,
    startup: { inProcessMs: startInProcessMs, freshProcessMs: startProcessMs, note: "fresh process includes node and tsx loading the TypeScript" },
    tokenTransfers: {
      sequentialSkipPreflight: seqSkip,
      sequentialWithPreflight: seqPre,
      concurrent: { ...conc, inFlight: CONCURRENCY },
      signatureSubscribeConfirmed: transferLatency,
    },
    submitReceipts: {
      sequentialSkipPreflight: rSeq,
      concurrent: { ...rConc, inFlight: CONCURRENCY },
      signatureSubscribeConfirmed: rLatency,
    },
    targets: { sequentialTransfersTxPerSecond: 1000, confirmationWithinSlots: 1 },
    met: {
      sequentialTransfersProcessing: seqSkip.processingTxPerSecond >= 1000,
      sequentialTransfersEndToEnd: seqSkip.txPerSecond >= 1000,
      confirmationWithinOneSlot: transferLatency.p90Ms <= 1.1 * 400 && rLatency.p90Ms <= 1.1 * 400,
    },
  };
  mkdirSync(fileURLToPath(new URL("../../bench/results/", import.meta.url)), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
  console.log(`wrote ${OUT}`);
  child.kill("SIGKILL");
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
