// Loading, empty and error states, the same on every page (data-state lets tests wait on them).
import { describeProblem } from "./errors.ts";

export function Loading({ what }: { what: string }) {
  return (
    <div className="state loading" data-state="loading" role="status">
      Loading {what}…
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return (
    <div className="state empty" data-state="empty">
      {children}
    </div>
  );
}

export function ErrorBox({ error, context, onRetry }: { error: unknown; context?: string; onRetry?: () => void }) {
  const p = describeProblem(error);
  return (
    <div className={`state error error-${p.kind}`} data-state="error" data-error-kind={p.kind} role="alert">
      <strong>{p.title}</strong>
      {context ? <span className="muted"> ({context})</span> : null}
      <div className="detail">{p.detail}</div>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
