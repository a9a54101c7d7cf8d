// The connected signer for every page: a Wallet Standard wallet, or in local mode the
// development keypair wallet. Pages only see a @solana/kit TransactionSigner.
import type { TransactionSigner } from "@solana/kit";
import type { Wallet } from "@wallet-standard/base";
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { isLocal } from "../config/runtimeConfig.ts";
import { useChain } from "../chain/ChainContext.tsx";
import { createDevWallet, importDevWallet, loadDevWallet } from "./devWallet.ts";
import { connectWallet, onWalletsChanged, solanaWallets, walletSigner } from "./standardWallet.ts";

export interface WalletState {
  signer: TransactionSigner | null;
  /** "Development key" or the wallet's name. */
  label: string | null;
  available: Wallet[];
  local: boolean;
  chooseDevWallet(fresh?: boolean): Promise<void>;
  importDevKey(json: string): Promise<void>;
  connect(wallet: Wallet): Promise<void>;
  disconnect(): void;
}

const WalletCtx = createContext<WalletState | null>(null);

export function useWallet(): WalletState {
  const w = useContext(WalletCtx);
  if (!w) throw new Error("useWallet outside WalletProvider");
  return w;
}

export function WalletProvider({ children }: { children: ReactNode }) {
  const { config } = useChain();
  const local = isLocal(config);
  const [signer, setSigner] = useState<TransactionSigner | null>(null);
  const [label, setLabel] = useState<string | null>(null);
  const [available, setAvailable] = useState<Wallet[]>(() => solanaWallets(config.cluster));

  useEffect(() => onWalletsChanged(() => setAvailable(solanaWallets(config.cluster))), [config.cluster]);
  // Local mode: a dev key kept from an earlier visit is connected at once.
  useEffect(() => {
    if (!local) return;
    loadDevWallet().then((s) => {
      if (s) {
        setSigner(s);
        setLabel("Development key");
      }
    }, () => {});
  }, [local]);

  const chooseDevWallet = useCallback(async (fresh = false) => {
    const s = (!fresh && (await loadDevWallet())) || (await createDevWallet());
    setSigner(s);
    setLabel("Development key");
  }, []);
  const importDevKey = useCallback(async (json: string) => {
    setSigner(await importDevWallet(json));
    setLabel("Development key");
  }, []);
  const connect = useCallback(
    async (wallet: Wallet) => {
      const account = await connectWallet(wallet);
      setSigner(walletSigner(wallet, account, config.cluster));
      setLabel(wallet.name);
    },
    [config.cluster],
  );
  const disconnect = useCallback(() => {
    setSigner(null);
    setLabel(null);
  }, []);

  return (
    <WalletCtx.Provider value={{ signer, label, available, local, chooseDevWallet, importDevKey, connect, disconnect }}>{children}</WalletCtx.Provider>
  );
}
