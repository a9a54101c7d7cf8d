// Every JSON-RPC method the validator answers, by group.
import type { Handler } from "../context.ts";
import { accountMethods } from "./accounts.ts";
import { clusterMethods } from "./cluster.ts";
import { faucetMethods } from "./faucet.ts";
import { tokenMethods } from "./tokens.ts";
import { transactionMethods } from "./transactions.ts";

export const methods: Record<string, Handler> = {
  ...clusterMethods,
  ...accountMethods,
  ...tokenMethods,
  ...transactionMethods,
  ...faucetMethods,
};
