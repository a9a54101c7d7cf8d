//! `finalize()`: closes an execution. The router may finalize at any time, the buyer once
//! it has expired, anyone once expiry + grace has passed, so a buyer always gets the
//! unused escrow back even if the router and every operator vanish. Returns
//! max burn - consumed to the buyer's available balance, moves the fee to the config,
//! emits the bill and closes the account (rent to whoever paid it). Later receipts find
//! no execution and fail.
//!
//! Accounts:
//! 0. `[signer]` authority: router, buyer or anyone (see above)
//! 1. `[writable]` config
//! 2. `[writable]` execution
//! 3. `[writable]` balance: the execution buyer's
//! 4. `[writable]` rent_payer: the execution's rent payer

use pinocchio::{
    error::ProgramError,
    sysvars::{clock::Clock, Sysvar},
    AccountView, Address, ProgramResult,
};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{load_mut, Balance, Execution},
    utils::{add, config_mut, require_signer, require_writable, sub, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [171, 61, 218, 56, 127, 115, 12, 217];

#[inline(never)]
pub fn process(ix: &Ix) -> ProgramResult {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, config, execution, balance, rent_payer, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    DataReader::new(data).finish()?;
    require_signer(authority)?;
    require_writable(rent_payer)?;
    let c = config_mut(config, program_id)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    let bal = load_mut::<Balance>(balance, program_id)?;
    if bal.buyer != e.buyer {
        return Err(EscrowError::WrongBuyer.into());
    }
    if rent_payer.address() != &e.rent_payer {
        return Err(EscrowError::InvalidRentPayer.into());
    }
    if !may_finalize(e, authority.address())? {
        return Err(EscrowError::FinalizeNotAllowed.into());
    }

    let refund = e.remaining();
    bal.available = add(bal.available, refund)?;
    bal.reserved = sub(bal.reserved, e.max_burn, EscrowError::ArithmeticOverflow)?;
    c.fees_unwithdrawn = add(c.fees_unwithdrawn, e.fees_accrued)?;
    c.total_fees = add(c.total_fees, e.fees_accrued)?;
    c.total_settled = add(c.total_settled, e.consumed)?;
    events::execution_finalized(execution.address(), e, refund, authority.address());

    close(execution, rent_payer)
}

/// Router: always. Buyer: from expiry. Anyone: from expiry + grace.
fn may_finalize(e: &Execution, signer: &Address) -> Result<bool, ProgramError> {
    if signer == &e.router {
        return Ok(true);
    }
    let now = Clock::get()?.unix_timestamp;
    if now < e.expires_at {
        return Ok(false);
    }
    if signer == &e.buyer {
        return Ok(true);
    }
    let open_to_all_at = e.expires_at.saturating_add(e.grace_secs.min(i64::MAX as u64) as i64);
    Ok(now >= open_to_all_at)
}

/// Wipes the discriminator, sends the lamports to `rent_payer` and hands the account back
/// to the system program, so it cannot be revived as an execution in the same
/// transaction.
fn close(execution: &AccountView, rent_payer: &AccountView) -> ProgramResult {
    // SAFETY: no other reference to the execution's data is used after this point.
    unsafe { (execution.data_ptr() as *mut u8).write_bytes(0, 8) };
    let mut execution = *execution;
    let mut rent_payer = *rent_payer;
    let lamports = add(rent_payer.lamports(), execution.lamports())?;
    rent_payer.set_lamports(lamports);
    execution.set_lamports(0);
    execution.close()
}
