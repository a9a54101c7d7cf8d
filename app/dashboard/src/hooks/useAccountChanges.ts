// Calls `onChange` whenever the account at `address` changes, through the validator's PubSub
// `accountSubscribe`; the caller re-reads it through the SDK (which does the decoding).
import type { Address } from "@solana/kit";
import { useEffect, useRef } from "react";
import { useChain } from "../chain/ChainContext.tsx";

export function useAccountChanges(address: Address | null | undefined, onChange: () => void): void {
  const { client } = useChain();
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    if (!address) return;
    const abort = new AbortController();
    (async () => {
      const notifications = await client.rpcSubscriptions
        .accountNotifications(address, { commitment: "confirmed", encoding: "base64" })
        .subscribe({ abortSignal: abort.signal });
      for await (const _ of notifications) callback.current();
    })().catch(() => {
      // Subscription lost (validator restarted, page left): the next reload re-reads anyway.
    });
    return () => abort.abort();
  }, [client, address]);
}
