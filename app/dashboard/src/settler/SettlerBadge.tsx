// The settler's health in the header, polled every few seconds (absent without a settler URL).
import { useEffect, useState } from "react";
import { useChain } from "../chain/ChainContext.tsx";
import { settlerHealth } from "./settlerApi.ts";

export function SettlerBadge() {
  const { config } = useChain();
  const [health, setHealth] = useState<string | null>(null);
  useEffect(() => {
    if (config.settlerUrl === undefined) return;
    let live = true;
    const poll = () => settlerHealth(config).then((h) => live && setHealth(h));
    poll();
    const t = setInterval(poll, 5000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [config]);
  if (health === null) return null;
  return (
    <span className={`badge settler ${health === "ok" ? "ok" : "bad"}`} data-testid="settler-health" title={health}>
      settler {health === "ok" ? "ok" : "unhealthy"}
    </span>
  );
}
