// Wall-clock seconds, re-rendering every second: time-gated actions (finalize after expiry)
// become available without a reload.
import { useEffect, useState } from "react";

export function useNowSecs(): bigint {
  const [now, setNow] = useState(() => BigInt(Math.floor(Date.now() / 1000)));
  useEffect(() => {
    const t = setInterval(() => setNow(BigInt(Math.floor(Date.now() / 1000))), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}
