//! `assign_segment(segment_index: u8, sku: [u8; 8], max_price: u64, budget: u64)`: the
//! execution's router names the operator and SKU of the next segment and pins the
//! operator's current rate. The router states the most it agreed to pay per work unit
//! (`max_price`): a rate raised after the router chose the operator is refused, not
//! pinned. The buyer's price cap for the SKU bounds it too. `budget` (tokens, fee
//! included) caps what this segment may charge, so one operator cannot use up the max
//! burn another one needs; 0 shares the whole max burn. Later rate or fee changes never
//! reach the segment.
//!
//! Accounts:
//! 0. `[signer]` router
//! 1. `[writable]` execution
//! 2. `[writable]` operator: its `segments_assigned` counts this segment


use pinocchio::address::address_eq;
use crate::errors::{Error, Result};
use crate::math::sat_add;
use crate::{
    errors::EscrowError,
    events,
    instructions::Ix,
    state::{load_mut, Execution, Operator},
    utils::require_signer,
};

pub const DISCRIMINATOR: [u8; 8] = [183, 212, 141, 226, 86, 56, 138, 2];

#[inline(never)]
#[allow(clippy::arithmetic_side_effects, reason = "constant offsets into the 25 argument bytes")]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [router, execution, operator, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    // u8, [u8; 8], u64, u64: exactly 25 bytes, read at constant offsets.
    let args: &[u8; 25] = data.try_into().map_err(|_| EscrowError::InvalidInstructionData)?;
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&args[at..at + 8]);
        w
    };
    let (index, sku) = (args[0], word(1));
    let (max_price, budget) = (u64::from_le_bytes(word(9)), u64::from_le_bytes(word(17)));

    require_signer(router)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    if !address_eq(&e.router, router.address()) {
        return Err(EscrowError::WrongRouter.into());
    }
    if !e.is_open() {
        return Err(EscrowError::ExecutionSettled.into());
    }
    if e.segment_count as usize >= Execution::MAX_SEGMENTS {
        return Err(EscrowError::TooManySegments.into());
    }
    if index != e.segment_count {
        return Err(EscrowError::InvalidSegmentIndex.into());
    }
    let op = load_mut::<Operator>(operator, program_id)?;
    if !address_eq(&op.config, &e.config) {
        return Err(EscrowError::WrongDeployment.into());
    }
    if !op.is_active() {
        return Err(EscrowError::OperatorNotActive.into());
    }
    let (rate_index, price) = op.rate_for(&sku).ok_or(EscrowError::SkuNotOffered)?;
    if price > max_price {
        return Err(EscrowError::RateAboveMaxPrice.into());
    }
    if let Some(cap) = e.price_cap_for(&sku) {
        if price > cap {
            return Err(EscrowError::PriceAboveCap.into());
        }
    }
    op.segments_assigned = sat_add(op.segments_assigned, 1);
    // Field by field: the slot of a new segment is still zeroed (segments are only
    // ever appended), so the counters need no write.
    let segment = &mut e.segments[index as usize];
    segment.operator = *operator.address();
    segment.sku = sku;
    segment.price = price;
    segment.budget = budget;
    // rate_for searches at most MAX_RATES (8) lines.
    segment.rate_index = rate_index as u8;
    e.segment_count = e.segment_count.saturating_add(1);
    events::segment_assigned(execution.address(), index, segment);
    Ok(())
}
