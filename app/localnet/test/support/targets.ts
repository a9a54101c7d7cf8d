// The validators a suite runs against: the localnet always, Agave's solana-test-validator
// when it can be found (otherwise the suite says why and skips that leg). ARKNET_RPC_URL
// (with ARKNET_WS_URL) points the suite at a validator someone else runs.
import { findAgave, startAgave, startLocalnet, type RunningValidator } from "../../src/launch.ts";
import { DEV_KEYS } from "../../src/chain/keys.ts";
import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

export function onPath(cmd: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((d) => {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const cachedAgave = () => {
  try {
    accessSync(join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "arknet", "solana-test-validator-4.2.2"), constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

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
  // The shared launcher unpacks a zstd-compressed binary on first use.
  const zstdMissing = "path" in agave && agave.path.includes("shared") && !onPath("zstd") && !cachedAgave();
  const only = process.env.ARKNET_CONFORMANCE_TARGET;
  const list: Target[] = [
    { name: "localnet", start: () => startLocalnet() },
    {
      name: "solana-test-validator",
      start: () => startAgave(),
      skipReason: !("path" in agave) ? agave.reason : zstdMissing ? `${agave.path} needs zstd to unpack (apt-get install zstd)` : undefined,
    },
  ];
  return only ? list.filter((t) => t.name === only) : list;
}
