// Any Wallet Standard wallet (browser extensions register themselves through
// @wallet-standard/app) as a @solana/kit transaction signer: the SDK's flows build and send,
// the wallet only signs (`solana:signTransaction`), and may modify what it signs.
import { SolanaSignTransaction, type SolanaSignTransactionFeature } from "@solana/wallet-standard-features";
import { getWallets } from "@wallet-standard/app";
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import { StandardConnect, type StandardConnectFeature } from "@wallet-standard/features";
import {
  address,
  getTransactionDecoder,
  getTransactionEncoder,
  type Transaction,
  type TransactionModifyingSigner,
  type TransactionWithLifetime,
  type TransactionWithinSizeLimit,
} from "@solana/kit";
import type { ClusterName } from "../config/runtimeConfig.ts";

/** The Wallet Standard chain id of a cluster. */
export function chainId(cluster: ClusterName): `solana:${string}` {
  return cluster === "mainnet-beta" ? "solana:mainnet" : cluster === "custom" ? "solana:localnet" : `solana:${cluster}`;
}

/** Wallets that can connect and sign Solana transactions on `cluster`. */
export function solanaWallets(cluster: ClusterName): Wallet[] {
  const chain = chainId(cluster);
  return getWallets()
    .get()
    .filter((w) => StandardConnect in w.features && SolanaSignTransaction in w.features && (w.chains.length === 0 || w.chains.includes(chain)));
}

/** Calls back whenever a wallet registers or unregisters. */
export function onWalletsChanged(cb: () => void): () => void {
  const api = getWallets();
  const offA = api.on("register", cb);
  const offB = api.on("unregister", cb);
  return () => {
    offA();
    offB();
  };
}

export async function connectWallet(wallet: Wallet): Promise<WalletAccount> {
  const { accounts } = await (wallet.features as StandardConnectFeature)[StandardConnect].connect();
  const account = accounts[0];
  if (!account) throw new Error(`${wallet.name} returned no account`);
  return account;
}

export function walletSigner(wallet: Wallet, account: WalletAccount, cluster: ClusterName): TransactionModifyingSigner {
  const feature = (wallet.features as SolanaSignTransactionFeature)[SolanaSignTransaction];
  const encoder = getTransactionEncoder();
  const decoder = getTransactionDecoder();
  return {
    address: address(account.address),
    async modifyAndSignTransactions(transactions) {
      const outputs = await feature.signTransaction(
        ...transactions.map((t) => ({ account, chain: chainId(cluster), transaction: new Uint8Array(encoder.encode(t)) })),
      );
      return outputs.map((o, i) => {
        const signed = decoder.decode(o.signedTransaction) as Transaction;
        const lifetime = (transactions[i] as Partial<TransactionWithLifetime>).lifetimeConstraint;
        return { ...signed, lifetimeConstraint: lifetime } as Transaction & TransactionWithinSizeLimit & TransactionWithLifetime;
      });
    },
  };
}
