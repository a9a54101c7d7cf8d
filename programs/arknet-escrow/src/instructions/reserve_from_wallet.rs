//! `reserve_from_wallet(...)`: the arguments of `reserve`; deposits exactly the max burn
//! from the buyer's token account and reserves it, in one instruction.
//!
//! Accounts:
//! 0. `[signer, writable]` payer: execution rent (and a new balance's rent)
//! 1. `[signer]` buyer: token authority of `source`
//! 2. `[]` config
//! 3. `[writable]` balance: the buyer's, created if missing
//! 4. `[writable]` execution
//! 5. `[writable]` source: the buyer's token account
//! 6. `[writable]` vault
//! 7. `[]` mint
//! 8. `[]` token_program
//! 9. `[]` system_program


use crate::errors::{Error, Result};
use crate::{
    instructions::Ix,
    events,
    state::{load, Config, Execution},
    utils::{
        require_not_paused, require_signer,
        token::{pull_in, TokenSource, VaultAccounts},
    },
};

use super::{
    deposit::{credit, open_balance, BalanceAccounts},
    reserve::{open_execution, ReserveAccounts, ReserveArgs},
};

pub const DISCRIMINATOR: [u8; 8] = [215, 141, 1, 240, 31, 143, 86, 156];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [payer, buyer, config, balance, execution, source, vault, mint, token_program, system_program, ..] =
        accounts
    else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let args = ReserveArgs::parse(data)?;
    let c = load::<Config>(config, program_id)?;
    require_not_paused(c)?;
    require_signer(buyer)?;
    require_signer(payer)?;
    let new_balance = BalanceAccounts { program_id, config, payer, balance, system_program };
    let bal = open_balance(&new_balance, buyer.address())?;
    let from = TokenSource { account: source, authority: buyer };
    pull_in(c, &VaultAccounts { config, vault, mint, token_program }, &from, args.max_burn)?;
    credit(bal, args.max_burn)?;
    events::deposited(buyer.address(), buyer.address(), args.max_burn, bal.available);
    let ctx = ReserveAccounts { program_id, config, payer, buyer, execution, system_program };
    open_execution(&ctx, c, bal, &args)?;
    let e = load::<Execution>(execution, program_id)?;
    events::execution_reserved(execution.address(), e, true);
    Ok(())
}
