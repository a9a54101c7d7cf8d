// SPL Token reads served from the validator's owner and mint indexes.
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../chain/constants.ts";
import { isMint, isTokenAccount, readMint, readTokenAccount, uiTokenAmount } from "../../chain/tokens.ts";
import { invalidParams } from "../errors.ts";
import { withContext, type Handler } from "../context.ts";
import { accountEncoding, dataSlice, encodeAccount } from "../encode.ts";
import { arity, commitment, config, contextSlot, pubkey, typeError } from "../params.ts";

export const tokenMethods: Record<string, Handler> = {
  getTokenAccountsByOwner: (p, { chain }) => {
    arity(p, 2, 3);
    const owner = pubkey(p[0]);
    const filter = p[1] as Record<string, unknown>;
    if (!filter || typeof filter !== "object" || Array.isArray(filter)) throw typeError(filter, "a map");
    const cfg = config(p[2]);
    const encoding = accountEncoding(cfg.encoding);
    const slice = dataSlice(cfg.dataSlice);
    const slot = contextSlot(chain, cfg);
    const c = commitment(cfg);
    let accounts = chain.tokenAccounts("owner", owner, c);
    if ("mint" in filter) {
      const mint = pubkey(filter.mint);
      const m = chain.getAccount(mint, c);
      if (!m || !isMint(m)) throw invalidParams("Invalid param: Token mint could not be unpacked");
      accounts = accounts.filter(({ account }) => readTokenAccount(account.data).mint === mint);
    } else if ("programId" in filter) {
      const program = pubkey(filter.programId);
      if (program !== TOKEN_PROGRAM && program !== TOKEN_2022_PROGRAM) throw invalidParams("Invalid param: unrecognized Token program id");
      accounts = accounts.filter(({ account }) => account.owner === program);
    } else throw invalidParams("Invalid params: unknown variant, expected `mint` or `programId`.");
    return withContext(
      slot,
      accounts.map(({ address, account }) => ({ account: encodeAccount(chain, account, encoding, slice), pubkey: address })),
    );
  },
  getTokenAccountBalance: (p, { chain }) => {
    arity(p, 1, 2);
    const address = pubkey(p[0]);
    const cfg = config(p[1]);
    const slot = contextSlot(chain, cfg);
    const a = chain.getAccount(address, commitment(cfg));
    if (!a) throw invalidParams("Invalid param: could not find account");
    if (!isTokenAccount(a)) throw invalidParams("Invalid param: not a Token account");
    const t = readTokenAccount(a.data);
    const decimals = chain.decimalsOf(t.mint);
    if (decimals === null) throw invalidParams("Invalid param: mint could not be unpacked");
    return withContext(slot, uiTokenAmount(t.amount, decimals));
  },
  getTokenSupply: (p, { chain }) => {
    arity(p, 1, 2);
    const address = pubkey(p[0]);
    const cfg = config(p[1]);
    const slot = contextSlot(chain, cfg);
    const a = chain.getAccount(address, commitment(cfg));
    if (!a || !isMint(a)) throw invalidParams("Invalid param: not a Token mint");
    const m = readMint(a.data);
    return withContext(slot, uiTokenAmount(m.supply, m.decimals));
  },
};
