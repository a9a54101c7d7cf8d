// Slots, blockhashes, epochs, fees and node identity.
import { fromBase58, fromBase64, toBase58 } from "../../chain/codec.ts";
import { SLOTS_PER_EPOCH } from "../../chain/constants.ts";
import { parseMessage, WireError } from "../../chain/wire.ts";
import { invalidParams, RpcError } from "../errors.ts";
import { API_VERSION, withContext, type Handler } from "../context.ts";
import type { Chain } from "../../chain/chain.ts";
import { arity, config, contextSlot, commitment, pubkey, str, u64 } from "../params.ts";

const FEATURE_SET = 565236538;

/**
 * The slot whose blockhash queue answers: the finalized bank knows only blockhashes up to
 * itself; agave's confirmed bank is the newest one on a single node, so confirmed and processed
 * both know every blockhash here.
 */
const bankSlot = (chain: Chain, cfg: Record<string, any>, slot: number) => (commitment(cfg) === "finalized" ? slot : chain.slot);

export const clusterMethods: Record<string, Handler> = {
  getVersion: (p) => {
    arity(p, 0, 0);
    return { "feature-set": FEATURE_SET, "solana-core": API_VERSION };
  },
  getHealth: (p) => {
    arity(p, 0, 0);
    return "ok";
  },
  getGenesisHash: (p, { chain }) => {
    arity(p, 0, 0);
    return chain.genesisHash;
  },
  getIdentity: (p, { faucet }) => {
    arity(p, 0, 0);
    return { identity: faucet.address };
  },
  getSlot: (p, { chain }) => {
    arity(p, 0, 1);
    return contextSlot(chain, config(p[0]));
  },
  getBlockHeight: (p, { chain }) => {
    arity(p, 0, 1);
    return contextSlot(chain, config(p[0]));
  },
  getTransactionCount: (p, { chain }) => {
    arity(p, 0, 1);
    contextSlot(chain, config(p[0]));
    return chain.transactionCount;
  },
  getEpochInfo: (p, { chain }) => {
    arity(p, 0, 1);
    const slot = contextSlot(chain, config(p[0]));
    return {
      absoluteSlot: slot,
      blockHeight: slot,
      epoch: Math.floor(slot / SLOTS_PER_EPOCH),
      slotIndex: slot % SLOTS_PER_EPOCH,
      slotsInEpoch: SLOTS_PER_EPOCH,
      transactionCount: chain.transactionCount,
    };
  },
  getEpochSchedule: (p) => {
    arity(p, 0, 0);
    return { firstNormalEpoch: 0, firstNormalSlot: 0, leaderScheduleSlotOffset: SLOTS_PER_EPOCH, slotsPerEpoch: SLOTS_PER_EPOCH, warmup: false };
  },
  getBlockTime: (p, { chain }) => {
    arity(p, 1, 1);
    const slot = u64(p[0]);
    const t = chain.slotTime(slot);
    if (t === null || slot > chain.commitmentSlot("confirmed")) throw new RpcError(-32004, `Block not available for slot ${slot}`);
    return t;
  },
  getLatestBlockhash: (p, { chain }) => {
    arity(p, 0, 1);
    const cfg = config(p[0]);
    const slot = contextSlot(chain, cfg);
    const { blockhash, lastValidBlockHeight } = chain.blockhashFor(commitment(cfg));
    return withContext(slot, { blockhash, lastValidBlockHeight });
  },
  isBlockhashValid: (p, { chain }) => {
    arity(p, 1, 2);
    const hash = str(p[0]);
    let bytes: Uint8Array;
    try {
      bytes = fromBase58(hash);
    } catch {
      throw invalidParams("Invalid");
    }
    if (bytes.length !== 32) throw invalidParams("WrongSize");
    const cfg = config(p[1]);
    const slot = contextSlot(chain, cfg);
    return withContext(slot, chain.blockhashValid(hash, bankSlot(chain, cfg, slot)));
  },
  getMinimumBalanceForRentExemption: (p, { chain }) => {
    arity(p, 0, 2);
    const len = p.length ? u64(p[0], "usize") : 0;
    contextSlot(chain, config(p[1]));
    return chain.svm.minimumBalanceForRentExemption(BigInt(len));
  },
  getFeeForMessage: (p, { chain }) => {
    arity(p, 1, 2);
    const cfg = config(p[1]);
    const slot = contextSlot(chain, cfg);
    let msg;
    try {
      msg = parseMessage(fromBase64(str(p[0])));
    } catch (e) {
      if (e instanceof WireError) throw invalidParams(`failed to deserialize solana_message::versions::VersionedMessage: ${e.message}`);
      throw e;
    }
    if (!chain.blockhashValid(toBase58(msg.recentBlockhash), bankSlot(chain, cfg, slot))) return withContext(slot, null);
    const keys = msg.staticKeys.map(toBase58);
    const fee = chain.fees({ ...msg, signatures: new Array(msg.header.numRequiredSignatures).fill(new Uint8Array(64)) }, keys).fee;
    return withContext(slot, fee);
  },
  getRecentPrioritizationFees: (p, { chain }) => {
    arity(p, 0, 1);
    const list = p[0] === undefined || p[0] === null ? [] : p[0];
    if (!Array.isArray(list)) throw invalidParams("Invalid params: invalid type: map, expected a sequence.");
    if (list.length > 128) throw invalidParams("Too many inputs provided; max 128");
    const addresses = list.map((a) => pubkey(a));
    return chain.recentPrioritizationFees(addresses);
  },
};
