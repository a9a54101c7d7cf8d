// One user action (a flow sent through the SDK): pending while it runs, then its signature or
// the problem, shown next to the button that started it; `after` re-reads what it changed.
import { useState } from "react";
import { ErrorBox } from "../ui/states.tsx";
import { TxLink } from "../ui/format.tsx";

type Outcome = { state: "idle" } | { state: "pending"; what: string } | { state: "done"; what: string; signature?: string } | { state: "failed"; what: string; error: unknown };

export function useAction(after?: () => void) {
  const [outcome, setOutcome] = useState<Outcome>({ state: "idle" });
  const run = async (what: string, fn: () => Promise<{ signature?: string } | void>) => {
    setOutcome({ state: "pending", what });
    try {
      const r = await fn();
      setOutcome({ state: "done", what, signature: r?.signature });
    } catch (error) {
      setOutcome({ state: "failed", what, error });
    } finally {
      after?.();
    }
  };
  const status =
    outcome.state === "idle" ? null : outcome.state === "pending" ? (
      <div className="action pending" data-action-state="pending">
        {outcome.what}: sending…
      </div>
    ) : outcome.state === "done" ? (
      <div className="action done" data-action-state="done">
        {outcome.what}: confirmed {outcome.signature ? <TxLink signature={outcome.signature} /> : null}
      </div>
    ) : (
      <div className="action failed" data-action-state="failed">
        <ErrorBox error={outcome.error} context={outcome.what} />
      </div>
    );
  return { run, busy: outcome.state === "pending", status };
}
