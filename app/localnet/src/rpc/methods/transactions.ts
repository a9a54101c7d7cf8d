// Sending, simulating and looking up transactions.
import { fromBase58, fromBase64, toBase58, toBase64 } from "../../chain/codec.ts";
import type { Chain, Commitment, SimulateResult } from "../../chain/chain.ts";
import { MAX_PRECOMPILE_SIGNATURES, PACKET_DATA_SIZE } from "../../chain/constants.ts";
import { namedTxError, type TxError } from "../../chain/errors.ts";
import { parseTransaction, sanitizeError, WireError, type WireTransaction } from "../../chain/wire.ts";
import {
  invalidParams,
  RpcError,
  SEND_TRANSACTION_PREFLIGHT_FAILURE,
  UNSUPPORTED_TRANSACTION_VERSION,
} from "../errors.ts";
import { withContext, type Handler } from "../context.ts";
import { accountEncoding, encodeAccount, encodeTransaction, TX_ENCODINGS, type TxEncoding } from "../encode.ts";
import { arity, bool, commitment, config, contextSlot, enumOf, pubkey, signature, str, typeError, u64 } from "../params.ts";

const TYPE = "solana_transaction::versioned::VersionedTransaction";
const MAX_BASE58_SIZE = 1683;
const MAX_BASE64_SIZE = 1644;

/** Decodes a wire transaction parameter with agave's size checks and messages. */
export function decodeWire(data: unknown, encodingParam: unknown): WireTransaction {
  const text = str(data);
  const encoding = enumOf(encodingParam, TX_ENCODINGS, "base58");
  if (encoding !== "base58" && encoding !== "base64")
    throw invalidParams(`unsupported encoding: ${encoding}. Supported encodings: base58, base64`);
  const max = encoding === "base58" ? MAX_BASE58_SIZE : MAX_BASE64_SIZE;
  if (text.length > max)
    throw invalidParams(`${encoding} encoded ${TYPE} too large: ${text.length} bytes (max: encoded/raw ${max}/${PACKET_DATA_SIZE})`);
  let bytes: Uint8Array;
  if (encoding === "base64") {
    const bad = [...text].findIndex((c, i) => !/[A-Za-z0-9+/=]/.test(c) || (c === "=" && i < text.length - 2));
    if (bad >= 0 || text.length % 4 !== 0)
      throw invalidParams(bad >= 0 ? `invalid base64 encoding: InvalidByte(${bad}, ${text.charCodeAt(bad)})` : `invalid base64 encoding: InvalidLength(${text.length})`);
    bytes = fromBase64(text);
  } else {
    try {
      bytes = fromBase58(text);
    } catch {
      const bad = [...text].findIndex((c) => !/[1-9A-HJ-NP-Za-km-z]/.test(c));
      throw invalidParams(`invalid base58 encoding: InvalidCharacter { character: '${text[bad]}', index: ${bad} }`);
    }
  }
  if (bytes.length > PACKET_DATA_SIZE)
    throw invalidParams(`decoded ${TYPE} too large: ${bytes.length} bytes (max: ${PACKET_DATA_SIZE} bytes)`);
  try {
    return parseTransaction(bytes);
  } catch (e) {
    if (e instanceof WireError) throw invalidParams(`failed to deserialize ${TYPE}: ${e.message}`);
    throw e;
  }
}

/** Structural checks a leader applies before anything runs ("invalid transaction: …"). */
function sanitize(chain: Chain, tx: WireTransaction): void {
  const keys = chain.resolveKeys(tx).all;
  const err = sanitizeError(tx, keys.length);
  if (err) throw invalidParams(`invalid transaction: ${namedTxError(err).message}`);
}

/**
 * The leader's limit of 8 precompile signatures per transaction. Checked once the transaction
 * has otherwise passed (agave reports a malformed precompile instruction first); not observed
 * on agave 4.2.2 yet (a 9-signature transaction did not fit 1232 bytes in our probes).
 */
function precompileLimit(chain: Chain, tx: WireTransaction): void {
  const n = chain.precompileSignatures(tx);
  if (n > MAX_PRECOMPILE_SIGNATURES)
    throw invalidParams(`invalid transaction: ${n} precompile signatures, more than the ${MAX_PRECOMPILE_SIGNATURES} a leader accepts`);
}

/**
 * A simulation result as agave shapes it: balances and loaded addresses only for a simulation
 * that executed (the preflight failure's data carries neither), fee null when it never loaded.
 */
function simulationValue(r: SimulateResult | null, err: TxError | null, preflight: boolean, extra: Record<string, unknown> = {}) {
  const executed = r !== null && !(r.err && LOAD_ERRORS.has(String(r.err.json)));
  const detail = executed && !preflight;
  return {
    accounts: null,
    err: err ? err.json : r?.err ? r.err.json : null,
    fee: executed ? r!.fee : null,
    innerInstructions: null,
    loadedAccountsDataSize: r ? r.loadedAccountsDataSize : 0,
    loadedAddresses: preflight ? null : { readonly: r ? r.loadedAddresses.readonly : [], writable: r ? r.loadedAddresses.writable : [] },
    logs: r ? r.logs : [],
    postBalances: detail ? r!.postBalances : null,
    postTokenBalances: detail ? r!.postTokenBalances : null,
    preBalances: detail ? r!.preBalances : null,
    preTokenBalances: detail ? r!.preTokenBalances : null,
    replacementBlockhash: null,
    returnData: r?.returnData ? { data: [toBase64(r.returnData.data), "base64"], programId: r.returnData.programId } : null,
    unitsConsumed: r ? r.computeUnits : 0,
    ...extra,
  };
}

/** Errors raised before execution: no fee, no balances. */
const LOAD_ERRORS = new Set(["SignatureFailure", "BlockhashNotFound", "AlreadyProcessed", "AccountNotFound", "InsufficientFundsForFee", "SanitizeFailure"]);

function preflightFailure(r: SimulateResult | null, err: TxError): RpcError {
  return new RpcError(SEND_TRANSACTION_PREFLIGHT_FAILURE, `Transaction simulation failed: ${err.message}`, simulationValue(r, err, true));
}

function innerJson(r: SimulateResult) {
  return r.innerInstructions.map((g) => ({
    index: g.index,
    instructions: g.instructions.map((ix) => ({ accounts: ix.accounts, data: toBase58(ix.data), programIdIndex: ix.programIdIndex, stackHeight: ix.stackHeight })),
  }));
}

function minimumConfirmed(c: Commitment): Commitment {
  if (c === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
  return c;
}

/** sendTransaction: decode, sanitize, preflight (unless skipped), then execute in the current slot. */
function sendTransaction(p: unknown[], chain: Chain): string {
  arity(p, 1, 2);
  const cfg = config(p[1]);
  const tx = decodeWire(p[0], cfg.encoding);
  const skipPreflight = bool(cfg.skipPreflight, false);
  if (cfg.maxRetries !== undefined && cfg.maxRetries !== null) u64(cfg.maxRetries, "usize");
  const preflight = commitment({ commitment: cfg.preflightCommitment });
  contextSlot(chain, cfg, preflight);
  sanitize(chain, tx);
  const sig = toBase58(tx.signatures[0]);
  if (!skipPreflight) {
    const hash = toBase58(tx.recentBlockhash);
    if (chain.transaction(sig)) throw preflightFailure(null, namedTxError("AlreadyProcessed"));
    const sim = chain.simulate(tx, { sigVerify: true });
    // agave simulates on the preflight commitment's bank (finalized by default), which does
    // not know blockhashes newer than itself; at processed and confirmed both see the newest.
    const bankSlot = preflight === "finalized" ? chain.commitmentSlot("finalized") : chain.slot;
    if (!chain.blockhashValid(hash, bankSlot)) throw preflightFailure(null, namedTxError("BlockhashNotFound"));
    if (sim.err) throw preflightFailure(sim, sim.err);
  }
  precompileLimit(chain, tx);
  chain.submit(tx);
  return sig;
}

export const transactionMethods: Record<string, Handler> = {
  sendTransaction: (p, { chain }) => {
    const t0 = performance.now();
    try {
      return sendTransaction(p, chain);
    } finally {
      chain.stats.submitted += 1;
      chain.stats.submitMs += performance.now() - t0;
    }
  },
  simulateTransaction: (p, { chain }) => {
    arity(p, 1, 2);
    const cfg = config(p[1]);
    const tx = decodeWire(p[0], cfg.encoding);
    const sigVerify = bool(cfg.sigVerify, false);
    const replace = bool(cfg.replaceRecentBlockhash, false);
    if (sigVerify && replace) throw invalidParams("sigVerify may not be used with replaceRecentBlockhash");
    const slot = contextSlot(chain, cfg);
    sanitize(chain, tx);
    let bytes = tx.bytes;
    let replacement: { blockhash: string; lastValidBlockHeight: number } | null = null;
    if (replace) {
      const latest = chain.blockhashFor("processed");
      replacement = { blockhash: latest.blockhash, lastValidBlockHeight: latest.lastValidBlockHeight };
      bytes = Uint8Array.from(tx.bytes);
      bytes.set(fromBase58(latest.blockhash), tx.blockhashOffset);
    } else if (!chain.blockhashValid(toBase58(tx.recentBlockhash), commitment(cfg) === "finalized" ? slot : chain.slot)) {
      return withContext(slot, simulationValue(null, namedTxError("BlockhashNotFound"), false));
    }
    if (!replace && chain.transaction(toBase58(tx.signatures[0])) && sigVerify)
      return withContext(slot, simulationValue(null, namedTxError("AlreadyProcessed"), false));
    const sim = chain.simulate(tx, { sigVerify, bytes });
    let accounts: unknown = null;
    if (cfg.accounts !== undefined && cfg.accounts !== null) {
      const ac = config(cfg.accounts);
      if (!Array.isArray(ac.addresses)) throw invalidParams("Invalid params: missing field `addresses`.");
      const encoding = accountEncoding(ac.encoding, "base64");
      if (encoding === "binary" || encoding === "base58") throw invalidParams("base58 encoding not supported");
      const addresses = ac.addresses.map((a: unknown) => pubkey(a));
      accounts = addresses.map((a: string) => {
        const acct = sim.accounts.has(a) ? sim.accounts.get(a)! : chain.getAccount(a, "processed");
        return acct ? encodeAccount(chain, acct, encoding) : null;
      });
    }
    const inner = bool(cfg.innerInstructions, false);
    return withContext(
      slot,
      simulationValue(sim, null, false, {
        accounts,
        innerInstructions: inner ? innerJson(sim) : null,
        replacementBlockhash: replacement,
      }),
    );
  },
  getSignatureStatuses: (p, { chain }) => {
    arity(p, 1, 2);
    if (!Array.isArray(p[0])) throw typeError(p[0], "a sequence");
    if (p[0].length > 256) throw invalidParams("Too many inputs provided; max 256");
    const sigs = p[0].map(signature);
    const search = bool(config(p[1]).searchTransactionHistory, false);
    return withContext(
      chain.slot,
      sigs.map((s) => {
        const st = chain.signatureStatus(s, search);
        if (!st) return null;
        const err = st.record.err ? st.record.err.json : null;
        return {
          confirmationStatus: st.status,
          confirmations: st.confirmations,
          err,
          slot: st.record.slot,
          status: err ? { Err: err } : { Ok: null },
        };
      }),
    );
  },
  getTransaction: (p, { chain }) => {
    arity(p, 1, 2);
    const sig = signature(p[0]);
    const cfg = typeof p[1] === "string" ? { encoding: p[1] } : config(p[1]);
    const encoding = enumOf<TxEncoding>(cfg.encoding, TX_ENCODINGS, "json");
    const c = minimumConfirmed(commitment(cfg));
    const slot = contextSlot(chain, cfg, c);
    const r = chain.transaction(sig);
    if (!r || r.slot > slot) return null;
    const max = cfg.maxSupportedTransactionVersion;
    if (max !== undefined && max !== null && (typeof max !== "number" || !Number.isInteger(max))) throw typeError(max, "u8");
    if (r.version === 0 && (max === undefined || max === null))
      throw new RpcError(
        UNSUPPORTED_TRANSACTION_VERSION,
        'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
      );
    return encodeTransaction(r, encoding, max !== undefined && max !== null);
  },
  getSignaturesForAddress: (p, { chain }) => {
    arity(p, 1, 2);
    const address = pubkey(p[0]);
    const cfg = config(p[1]);
    const limit = cfg.limit === undefined || cfg.limit === null ? 1000 : u64(cfg.limit, "usize");
    if (limit < 1 || limit > 1000) throw invalidParams("Invalid limit; max 1000");
    const before = cfg.before === undefined || cfg.before === null ? undefined : signature(cfg.before);
    const until = cfg.until === undefined || cfg.until === null ? undefined : signature(cfg.until);
    const c = minimumConfirmed(commitment(cfg));
    contextSlot(chain, cfg, c);
    return chain.signaturesForAddress(address, c, { before, until, limit }).map((r) => ({
      blockTime: r.blockTime,
      confirmationStatus: chain.confirmationStatus(r.slot),
      err: r.err ? r.err.json : null,
      memo: null,
      signature: r.signature,
      slot: r.slot,
      transactionIndex: r.index,
    }));
  },
};
