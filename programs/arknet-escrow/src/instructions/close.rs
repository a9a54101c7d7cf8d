//! `close()`: closes a settled execution and returns its rent to whoever paid it. The
//! buyer may close at any time after settlement (ending its review window early);
//! anyone may once the review window has passed.
//!
//! Accounts:
//! 0. `[signer]` authority: the buyer, or anyone after the review window
//! 1. `[writable]` execution
//! 2. `[writable]` rent_payer: the execution's rent payer

use crate::utils::same_address;
use crate::errors::{Error, Result};
use pinocchio::{
    sysvars::{clock::Clock, Sysvar},
    AccountView,
};

use crate::{
    errors::EscrowError,
    events,
    instructions::Ix,
    state::{load_mut, Execution},
    utils::{add, require_signer, require_writable, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [98, 165, 201, 177, 108, 65, 206, 96];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, execution, rent_payer, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    DataReader::new(data).finish()?;
    require_signer(authority)?;
    require_writable(rent_payer)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    if e.is_open() {
        return Err(EscrowError::ExecutionNotSettled.into());
    }
    if !same_address(rent_payer.address(), &e.rent_payer) {
        return Err(EscrowError::InvalidRentPayer.into());
    }
    if !same_address(authority.address(), &e.buyer) {
        let now = Clock::get()?.unix_timestamp;
        let window = e.review_window_secs.min(i64::MAX as u64) as i64;
        if now < e.settled_at.saturating_add(window) {
            return Err(EscrowError::CloseNotAllowed.into());
        }
    }
    let lamports = execution.lamports();
    close_account(execution, rent_payer)?;
    events::execution_closed(execution.address(), rent_payer.address(), lamports);
    Ok(())
}

/// Wipes the discriminator, sends the lamports to `rent_payer` and hands the account back
/// to the system program, so it cannot be revived as an execution in the same
/// transaction.
fn close_account(execution: &AccountView, rent_payer: &AccountView) -> Result {
    // SAFETY: no other reference to the execution's data is used after this point.
    unsafe { (execution.data_ptr() as *mut u8).write_bytes(0, 8) };
    let mut execution = *execution;
    let mut rent_payer = *rent_payer;
    let lamports = add(rent_payer.lamports(), execution.lamports())?;
    rent_payer.set_lamports(lamports);
    execution.set_lamports(0);
    Ok(execution.close()?)
}
