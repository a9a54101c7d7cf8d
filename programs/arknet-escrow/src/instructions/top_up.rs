//! `top_up(amount: u64)`: the buyer raises an open execution's max burn from available
//! balance (refused once the execution is settled).
//!
//! Accounts:
//! 0. `[signer]` buyer
//! 1. `[]` config
//! 2. `[writable]` balance
//! 3. `[writable]` execution


use crate::utils::same_address;
use crate::errors::{Error, Result};
use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{load, load_mut, Balance, Config, Execution},
    utils::{add, require_nonzero, require_not_paused, require_signer, sub, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [236, 225, 96, 9, 60, 106, 77, 208];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [buyer, config, balance, execution, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let amount = args.u64()?;
    args.finish()?;

    require_not_paused(load::<Config>(config, program_id)?)?;
    require_nonzero(amount)?;
    require_signer(buyer)?;
    let bal = load_mut::<Balance>(balance, program_id)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    if !same_address(&bal.buyer, buyer.address()) || !same_address(&e.buyer, buyer.address()) {
        return Err(EscrowError::WrongBuyer.into());
    }
    if !same_address(&bal.config, config.address()) || !same_address(&e.config, config.address()) {
        return Err(EscrowError::WrongDeployment.into());
    }
    if !e.is_open() {
        return Err(EscrowError::ExecutionSettled.into());
    }
    bal.available = sub(bal.available, amount, EscrowError::InsufficientBalance)?;
    bal.reserved = add(bal.reserved, amount)?;
    e.max_burn = add(e.max_burn, amount)?;
    events::execution_topped_up(execution.address(), amount, e.max_burn);
    Ok(())
}
