// Token amounts in token units with the mint's decimals, and addresses that link to the explorer.
import { formatAmount } from "@arknet/escrow";
import { explorerUrl } from "../chain/explorer.ts";
import { useChain } from "../chain/ChainContext.tsx";

export function Tokens({ units, testId }: { units: bigint; testId?: string }) {
  const { deployment } = useChain();
  return (
    <span className="tokens" data-testid={testId} data-units={units.toString()}>
      {formatAmount(units, deployment.decimals)}
    </span>
  );
}

export const short = (a: string) => `${a.slice(0, 4)}…${a.slice(-4)}`;

export function AddressLink({ address, full }: { address: string; full?: boolean }) {
  const { config } = useChain();
  return (
    <a className="address" href={explorerUrl(config, "address", address)} target="_blank" rel="noreferrer" title={address} data-address={address}>
      {full ? address : short(address)}
    </a>
  );
}

export function TxLink({ signature }: { signature: string }) {
  const { config } = useChain();
  return (
    <a className="address" href={explorerUrl(config, "tx", signature)} target="_blank" rel="noreferrer" title={signature}>
      {short(signature)}
    </a>
  );
}
