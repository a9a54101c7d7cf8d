// Confirmations pushed by signatureSubscribe, with getSignatureStatuses polling as the fallback.
// A transaction this process sends is subscribed to before its first send; its notification
// is kept until the pipeline takes it and wakes the pipeline at once. Signatures without a
// live subscription (written before a restart, by another instance, or whose subscription
// could not be made or has been silent past `pollAfterMs`) are polled, so a dropped
// subscription only delays a confirmation, never loses it.
import type { EscrowChain, SignatureOutcome } from "../chain/escrowChain.ts";

export type Outcome = SignatureOutcome & { via: "subscription" | "poll" };

export interface Confirmations {
  /** Subscribes (waiting at most `establishMs`); false when it could not, and the signature is polled. */
  watch(signature: string): Promise<boolean>;
  /**
   * Outcomes for these signatures: notified ones, else polled; `via` says which. A signature
   * with a live, recent subscription is left out (waiting for its push) unless its blockhash
   * may have expired at `blockHeight`: expiry is only ever judged on a polled status.
   */
  outcomes(rows: Array<{ signature: string; lastValidBlockHeight: bigint }>, blockHeight: bigint): Promise<Map<string, Outcome>>;
  /** The signature is final: drop its subscription and notification. */
  forget(signature: string): void;
  close(): void;
}

export function createConfirmations(
  chain: EscrowChain,
  opts: { pollAfterMs: number; establishMs: number; onNotified: (signature: string, outcome: SignatureOutcome) => void },
): Confirmations {
  const watching = new Map<string, { abort: AbortController; since: number }>();
  const notified = new Map<string, SignatureOutcome>();

  const forget = (signature: string) => {
    watching.get(signature)?.abort.abort();
    watching.delete(signature);
    notified.delete(signature);
  };

  return {
    async watch(signature) {
      const abort = new AbortController();
      const onOutcome = (o: SignatureOutcome) => {
        if (!watching.has(signature)) return;
        notified.set(signature, o);
        opts.onNotified(signature, o);
      };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("subscription not established in time")), opts.establishMs)));
      watching.set(signature, { abort, since: Date.now() });
      try {
        await Promise.race([chain.subscribe(signature, abort.signal, onOutcome), timeout]);
        return true;
      } catch {
        forget(signature);
        return false;
      } finally {
        clearTimeout(timer);
      }
    },

    async outcomes(rows, blockHeight) {
      const out = new Map<string, Outcome>();
      const poll: string[] = [];
      const now = Date.now();
      for (const row of rows) {
        const n = notified.get(row.signature);
        if (n) out.set(row.signature, { ...n, via: "subscription" });
        else {
          const w = watching.get(row.signature);
          // Subscribed and not silent for long: wait for the push; otherwise ask.
          if (!w || now - w.since >= opts.pollAfterMs || blockHeight > row.lastValidBlockHeight) poll.push(row.signature);
        }
      }
      if (poll.length > 0) for (const [sig, st] of await chain.statuses(poll)) out.set(sig, { ...st, via: "poll" });
      return out;
    },

    forget,

    close() {
      for (const sig of [...watching.keys()]) forget(sig);
    },
  };
}
