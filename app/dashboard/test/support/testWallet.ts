// A minimal Wallet Standard wallet injected into the page (as a browser extension would be):
// it registers through the standard's window events, connects one account and signs
// `solana:signTransaction` requests with WebCrypto Ed25519. `window.__testWalletReject = true`
// makes it refuse like a user pressing "Reject". Runs in the page: no imports, no closures.
export function registerTestWallet({ secret, address, chain }: { secret: number[]; address: string; chain: string }): void {
  const seed = new Uint8Array(secret.slice(0, 32));
  const publicKey = new Uint8Array(secret.slice(32));
  const w = window as unknown as { __testWalletReject?: boolean };
  const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, ...seed]);
  const keyPromise = crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  const shortvec = (b: Uint8Array, at: number): [number, number] => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const x = b[at++]!;
      n |= (x & 0x7f) << shift;
      if (!(x & 0x80)) return [n, at];
      shift += 7;
    }
  };
  const sameKey = (b: Uint8Array, at: number) => publicKey.every((x, i) => b[at + i] === x);
  async function sign(tx: Uint8Array): Promise<Uint8Array> {
    if (w.__testWalletReject) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
    const [sigCount, sigStart] = shortvec(tx, 0);
    const messageStart = sigStart + 64 * sigCount;
    const message = tx.subarray(messageStart);
    const header = message[0]! & 0x80 ? 1 : 0; // versioned messages start with a version byte
    const [, keysStart] = shortvec(message, header + 3);
    let index = -1;
    for (let i = 0; i < sigCount; i++) if (sameKey(message, keysStart + 32 * i)) index = i;
    if (index < 0) throw new Error("this wallet's account does not sign this transaction");
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, await keyPromise, new Uint8Array(message)));
    const out = tx.slice();
    out.set(signature, sigStart + 64 * index);
    return out;
  }
  const account = { address, publicKey, chains: [chain], features: ["solana:signTransaction"] };
  const wallet = {
    version: "1.0.0",
    name: "Test Wallet",
    icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
    chains: [chain],
    accounts: [account],
    features: {
      "standard:connect": { version: "1.0.0", connect: async () => ({ accounts: [account] }) },
      "standard:events": { version: "1.0.0", on: () => () => {} },
      "solana:signTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: (...inputs: { transaction: Uint8Array }[]) => Promise.all(inputs.map(async (i) => ({ signedTransaction: await sign(i.transaction) }))),
      },
    },
  };
  const callback = ({ register }: { register: (w: unknown) => void }) => register(wallet);
  window.addEventListener("wallet-standard:app-ready", (e) => callback((e as CustomEvent).detail));
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: callback }));
}
