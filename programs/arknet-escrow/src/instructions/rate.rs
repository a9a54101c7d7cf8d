//! `rate(stars: u8)`: the buyer rates an operator it paid in a settled execution, 1 to 5
//! stars, once, within the review window. Ratings therefore come only from buyers who
//! paid that operator. The stars are kept on the operator's segments (the bill shows
//! them) and added to the operator's `rating_count` and `rating_sum`.
//!
//! Accounts:
//! 0. `[signer]` buyer
//! 1. `[writable]` execution
//! 2. `[writable]` operator: an operator paid in the execution

use crate::utils::same_address;
use pinocchio::address::address_eq;
use crate::errors::{Error, Result};
use crate::math::sat_add;
use pinocchio::{
    sysvars::{clock::Clock, Sysvar},
    };

use crate::{
    errors::EscrowError,
    events,
    instructions::Ix,
    state::{load_mut, Execution, Operator},
    utils::{require_signer, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [66, 215, 49, 230, 53, 1, 236, 82];

pub const MIN_STARS: u8 = 1;
pub const MAX_STARS: u8 = 5;

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [buyer, execution, operator, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let stars = args.u8()?;
    args.finish()?;
    if !(MIN_STARS..=MAX_STARS).contains(&stars) {
        return Err(EscrowError::InvalidRating.into());
    }
    require_signer(buyer)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    if !same_address(&e.buyer, buyer.address()) {
        return Err(EscrowError::WrongBuyer.into());
    }
    if e.is_open() {
        return Err(EscrowError::ExecutionNotSettled.into());
    }
    let now = Clock::get()?.unix_timestamp;
    let window = e.review_window_secs.min(i64::MAX as u64) as i64;
    if now >= e.settled_at.saturating_add(window) {
        return Err(EscrowError::ReviewWindowClosed.into());
    }
    let segments = &mut e.segments[..e.segment_count as usize];
    let mut paid = false;
    for seg in segments.iter().filter(|s| address_eq(&s.operator, operator.address())) {
        if seg.rating != 0 {
            return Err(EscrowError::AlreadyRated.into());
        }
        paid |= seg.charged != 0;
    }
    if !paid {
        return Err(EscrowError::OperatorNotPaid.into());
    }
    for seg in segments.iter_mut().filter(|s| address_eq(&s.operator, operator.address())) {
        seg.rating = stars;
    }
    let op = load_mut::<Operator>(operator, program_id)?;
    op.rating_count = sat_add(op.rating_count, 1);
    op.rating_sum = sat_add(op.rating_sum, stars as u64);
    events::operator_rated(execution.address(), operator.address(), stars, op);
    Ok(())
}
