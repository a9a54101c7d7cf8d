// A token amount input with its submit button; parses with the mint's decimals (SDK's parseAmount)
// so a malformed or too-precise amount is refused before anything is signed.
import { parseAmount } from "@arknet/escrow";
import { useState, type ReactNode } from "react";
import { useChain } from "../chain/ChainContext.tsx";

export function AmountForm({ label, name, disabled, onSubmit, children }: { label: string; name: string; disabled?: boolean; onSubmit: (units: bigint) => void; children?: ReactNode }) {
  const { deployment } = useChain();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="amount-form"
      data-testid={`${name}-form`}
      onSubmit={(ev) => {
        ev.preventDefault();
        try {
          const units = parseAmount(text, deployment.decimals, label.toLowerCase());
          if (units === 0n) throw new Error(`${label.toLowerCase()} must be greater than zero`);
          setProblem(null);
          onSubmit(units);
        } catch (e) {
          setProblem((e as Error).message);
        }
      }}
    >
      <label>
        {label} <input name={name} inputMode="decimal" placeholder="0.00" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {children}
      <button type="submit" disabled={disabled}>
        {label}
      </button>
      {problem ? (
        <span className="state error" data-state="error" data-error-kind="input">
          {problem}
        </span>
      ) : null}
    </form>
  );
}
