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


use pinocchio::AccountView;

use crate::errors::{Error, Result};
use crate::{
    instructions::Ix,
    events,
    state::{Balance, Config},
    utils::{
        require_not_paused, require_signer,
        token::{pull_in, TokenSource, VaultAccounts},
    },
};

use super::{
    deposit::{credit, open_balance, BalanceAccounts},
    reserve::{reserve, ReserveAccounts},
};

pub const DISCRIMINATOR: [u8; 8] = [215, 141, 1, 240, 31, 143, 86, 156];

#[inline(always)]
pub fn process(ix: &Ix) -> Result {
    reserve(ix, true)
}

/// Deposits `max_burn` from `source` (the first of `token_accounts`) into the buyer's
/// balance, created if missing, and returns the balance for `reserve` to go on with.
#[inline(always)]
pub fn deposit_max_burn<'a>(
    a: &ReserveAccounts<'a>,
    c: &Config,
    balance: &'a AccountView,
    token_accounts: &'a [AccountView],
    max_burn: u64,
) -> Result<&'a mut Balance> {
    let ReserveAccounts { program_id, config, payer, buyer, system_program, .. } = *a;
    let [source, vault, mint, token_program, ..] = token_accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    require_not_paused(c)?;
    require_signer(buyer)?;
    require_signer(payer)?;
    let new_balance = BalanceAccounts { program_id, config, payer, balance, system_program };
    let bal = open_balance(&new_balance, buyer.address())?;
    let from = TokenSource { account: source, authority: buyer };
    pull_in(c, &VaultAccounts { config, vault, mint, token_program }, &from, max_burn)?;
    credit(bal, max_burn)?;
    events::deposited(buyer.address(), buyer.address(), max_burn, bal.available);
    Ok(bal)
}
