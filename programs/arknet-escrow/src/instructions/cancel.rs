//! `cancel()`: the buyer ends an execution that has no segment assigned yet, at any time
//! (no operator can have worked on it; covers a router that lost its key). The whole
//! max burn goes back to the buyer's balance; the execution is settled with reason 5
//! (cancelled) and can be closed at once.
//!
//! Accounts:
//! 0. `[signer]` buyer
//! 1. `[writable]` execution
//! 2. `[writable]` balance: the buyer's

use crate::utils::same_address;
use crate::errors::{Error, Result};
use pinocchio::{
    sysvars::{clock::Clock, Sysvar},
    };

use crate::{
    errors::EscrowError,
    instructions::Ix,
    state::{load_mut, Balance, Execution},
    utils::{require_signer, DataReader},
};

use super::finalize::{settle, Settled};

pub const DISCRIMINATOR: [u8; 8] = [232, 219, 223, 41, 219, 236, 220, 190];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [buyer, execution, balance, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    DataReader::new(data).finish()?;
    require_signer(buyer)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    let bal = load_mut::<Balance>(balance, program_id)?;
    if !same_address(&e.buyer, buyer.address()) {
        return Err(EscrowError::CancelNotAllowed.into());
    }
    if e.is_open() && e.segment_count != 0 {
        return Err(EscrowError::CancelNotAllowed.into());
    }
    let now = Clock::get()?.unix_timestamp;
    settle(&Settled { execution, by: buyer.address(), reason: Execution::END_CANCELLED, now }, e, bal)
}
