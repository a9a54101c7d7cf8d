// The validators a suite runs against: the localnet always, Agave's solana-test-validator
// when it can be found (otherwise the suite says why and skips that leg). ARKNET_RPC_URL
// (with ARKNET_WS_URL) points the suite at a validator someone else runs.
import { findAgave, startAgave, startLocalnet, type RunningValidator } from "../../src/launch.ts";
import { DEV_KEYS } from "../../src/chain/keys.ts";

export interface Target {
  name: "localnet" | "solana-test-validator" | "external";
  start(): Promise<RunningValidator | null>;
  skipReason?: string;
}

export function targets(): Target[] {
  if (process.env.ARKNET_RPC_URL) {
    const rpcUrl = process.env.ARKNET_RPC_URL;
    const wsUrl = process.env.ARKNET_WS_URL ?? rpcUrl.replace(/^http/, "ws").replace(/:(\d+)/, (_m, p) => `:${Number(p) + 1}`);
    return [
      {
        name: "external",
        start: async () => ({
          kind: "localnet",
          rpcUrl,
          wsUrl,
          programs: [],
          upgradeAuthority: DEV_KEYS.upgradeAuthority(),
          faucet: DEV_KEYS.faucet(),
          usdcMint: DEV_KEYS.usdcMint().address,
          usdcDecimals: 6,
          stop: async () => {},
        }),
      },
    ];
  }
  const agave = findAgave();
  const only = process.env.ARKNET_CONFORMANCE_TARGET;
  const list: Target[] = [
    { name: "localnet", start: () => startLocalnet() },
    {
      name: "solana-test-validator",
      start: () => startAgave(),
      skipReason: "path" in agave ? undefined : agave.reason,
    },
  ];
  return only ? list.filter((t) => t.name === only) : list;
}
