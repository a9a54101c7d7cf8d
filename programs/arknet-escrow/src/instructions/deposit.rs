//! `deposit(amount: u64)`: tokens from any wallet into a buyer's balance (sponsored
//! funding is allowed; only the buyer can withdraw or reserve them). Creates the
//! balance on first use.
//!
//! Accounts:
//! 0. `[signer, writable]` depositor: token authority of `source`; pays rent of a new balance
//! 1. `[]` buyer
//! 2. `[]` config: read only, so deposits never wait on a deployment-wide lock
//! 3. `[writable]` balance: PDA `["balance", config, buyer]`
//! 4. `[writable]` source: token account of the mint
//! 5. `[writable]` vault
//! 6. `[]` mint
//! 7. `[]` token_program
//! 8. `[]` system_program

use crate::utils::{owner_of, same_address};
use pinocchio::address::address_eq;
use crate::errors::{Error, Result};
use crate::math::sat_add;
use pinocchio::{cpi::Signer, instruction::seeds, AccountView, Address};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{init_account, load, load_mut, Balance, Config, ProgramAccount},
    utils::{
        add,
        cpi::{create_program_account, NewAccount},
        require_nonzero, require_not_paused, require_signer, require_system_program, require_writable,
        token::{pull_in, TokenSource, VaultAccounts},
        DataReader,
    },
};

pub const DISCRIMINATOR: [u8; 8] = [242, 35, 198, 137, 82, 225, 242, 182];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [depositor, buyer, config, balance, source, vault, mint, token_program, system_program, ..] = accounts
    else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let amount = args.u64()?;
    args.finish()?;

    let c = load::<Config>(config, program_id)?;
    require_not_paused(c)?;
    require_nonzero(amount)?;
    require_signer(depositor)?;
    let new_balance = BalanceAccounts { program_id, config, payer: depositor, balance, system_program };
    let bal = open_balance(&new_balance, buyer.address())?;
    let from = TokenSource { account: source, authority: depositor };
    pull_in(c, &VaultAccounts { config, vault, mint, token_program }, &from, amount)?;
    credit(bal, amount)?;
    events::deposited(buyer.address(), depositor.address(), amount, bal.available);
    Ok(())
}

/// A balance to open, and who pays its rent if it must be created.
pub struct BalanceAccounts<'a> {
    pub program_id: &'a Address,
    pub config: &'a AccountView,
    pub payer: &'a AccountView,
    pub balance: &'a AccountView,
    pub system_program: &'a AccountView,
}

/// The buyer's balance of this deployment, created (rent paid by `payer`) if it does not
/// exist yet.
#[inline(always)]
pub fn open_balance<'a>(accounts: &BalanceAccounts<'a>, buyer: &Address) -> Result<&'a mut Balance> {
    if !address_eq(owner_of(accounts.balance), accounts.program_id) {
        create_balance(accounts, buyer)?;
    }
    let bal = load_mut::<Balance>(accounts.balance, accounts.program_id)?;
    if !address_eq(&bal.buyer, buyer) {
        return Err(EscrowError::WrongBuyer.into());
    }
    if !address_eq(&bal.config, accounts.config.address()) {
        return Err(EscrowError::WrongDeployment.into());
    }
    Ok(bal)
}

/// Creates the buyer's balance. Out of line (it returns nothing): deposit and
/// reserve_from_wallet share one copy.
#[inline(never)]
fn create_balance(accounts: &BalanceAccounts, buyer: &Address) -> Result {
    let BalanceAccounts { program_id, config, payer, balance, system_program } = *accounts;
    let config = config.address();
    require_writable(balance)?;
    require_system_program(system_program)?;
    let (expected, bump) =
        Address::find_program_address(&[Balance::SEED, config.as_ref(), buyer.as_ref()], program_id);
    if !same_address(balance.address(), &expected) {
        return Err(EscrowError::InvalidPda.into());
    }
    let bump_seed = [bump];
    let balance_seeds = seeds!(Balance::SEED, config.as_ref(), buyer.as_ref(), &bump_seed);
    create_program_account(
        &NewAccount { payer, account: balance, space: Balance::LEN, owner: program_id },
        &[Signer::from(&balance_seeds)],
    )?;
    let bal = init_account::<Balance>(balance, program_id)?;
    bal.config = *config;
    bal.buyer = *buyer;
    bal.bump = bump;
    Ok(())
}

/// Books a deposit that has reached the vault. The statistic saturates: no counter can
/// ever refuse money.
#[inline(always)]
pub fn credit(bal: &mut Balance, amount: u64) -> Result {
    bal.available = add(bal.available, amount)?;
    bal.total_deposited = sat_add(bal.total_deposited, amount);
    Ok(())
}
