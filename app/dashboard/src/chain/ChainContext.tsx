// The cluster the dashboard talks to: runtime config, the SDK's RPC/PubSub client and the
// deployment, loaded once at startup; a failure shows what is wrong instead of the pages.
import { createClient, websocketUrlOf, type Deployment, type SolanaClient } from "@arknet/escrow";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { loadRuntimeConfig, type RuntimeConfig } from "../config/runtimeConfig.ts";
import { ErrorBox, Loading } from "../ui/states.tsx";
import { resolveDeployment } from "./resolveDeployment.ts";

export interface Chain {
  config: RuntimeConfig;
  client: SolanaClient;
  deployment: Deployment;
}

const ChainCtx = createContext<Chain | null>(null);

export function useChain(): Chain {
  const c = useContext(ChainCtx);
  if (!c) throw new Error("useChain outside ChainProvider");
  return c;
}

export function ChainProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ chain?: Chain; error?: unknown; config?: RuntimeConfig }>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState({});
    (async () => {
      const config = await loadRuntimeConfig();
      if (live) setState({ config });
      const client = createClient(config.rpcUrl, config.wsUrl ?? websocketUrlOf(config.rpcUrl));
      const deployment = await resolveDeployment(client, config);
      if (live) setState({ config, chain: { config, client, deployment } });
    })().catch((error) => live && setState((s) => ({ ...s, error })));
    return () => {
      live = false;
    };
  }, [attempt]);
  if (state.error) {
    return (
      <main className="page">
        <ErrorBox error={state.error} context={state.config ? `cluster ${state.config.cluster} at ${state.config.rpcUrl}` : "loading config.json"} onRetry={() => setAttempt((a) => a + 1)} />
      </main>
    );
  }
  if (!state.chain) return <Loading what={state.config ? `deployment on ${state.config.cluster}` : "configuration"} />;
  return <ChainCtx.Provider value={state.chain}>{children}</ChainCtx.Provider>;
}
