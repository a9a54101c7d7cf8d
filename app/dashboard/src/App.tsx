// The shell: cluster banner, wallet bar, and one page per role chosen by the URL hash
// (#/buyer, #/operator, #/marketplace, #/auditor), so a static server needs no rewrites.
import { useEffect, useState } from "react";
import { ChainProvider, useChain } from "./chain/ChainContext.tsx";
import { WalletBar } from "./components/WalletBar.tsx";
import { AuditorPage } from "./pages/AuditorPage.tsx";
import { BuyerPage } from "./pages/buyer/BuyerPage.tsx";
import { MarketplacePage } from "./pages/MarketplacePage.tsx";
import { OperatorPage } from "./pages/operator/OperatorPage.tsx";
import { SettlerBadge } from "./settler/SettlerBadge.tsx";
import { AddressLink } from "./ui/format.tsx";
import { WalletProvider } from "./wallet/WalletContext.tsx";

const PAGES = { buyer: BuyerPage, operator: OperatorPage, marketplace: MarketplacePage, auditor: AuditorPage } as const;
type PageName = keyof typeof PAGES;

function useHashPage(): PageName {
  const read = (): PageName => {
    const name = window.location.hash.replace(/^#\/?/, "");
    return name in PAGES ? (name as PageName) : "buyer";
  };
  const [page, setPage] = useState(read);
  useEffect(() => {
    const on = () => setPage(read());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return page;
}

function Shell() {
  const { config, deployment } = useChain();
  const page = useHashPage();
  const Page = PAGES[page];
  return (
    <>
      <header>
        <h1>ArkNet Escrow</h1>
        <nav>
          {(Object.keys(PAGES) as PageName[]).map((p) => (
            <a key={p} href={`#/${p}`} className={p === page ? "active" : ""} data-nav={p}>
              {p[0]!.toUpperCase() + p.slice(1)}
            </a>
          ))}
        </nav>
        <SettlerBadge />
        <span className="cluster" data-testid="cluster">
          {config.cluster} · config <AddressLink address={deployment.config} />
        </span>
      </header>
      <WalletBar />
      <main>
        <Page />
      </main>
    </>
  );
}

export function App() {
  return (
    <ChainProvider>
      <WalletProvider>
        <Shell />
      </WalletProvider>
    </ChainProvider>
  );
}
