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

use pinocchio::{error::ProgramError, ProgramResult};

use pinocchio::address::address_eq;
use crate::{
    errors::EscrowError,
    events,
    instructions::Ix,
    state::{load_mut, Execution, Operator, Segment},
    utils::{require_signer, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [183, 212, 141, 226, 86, 56, 138, 2];

#[inline(never)]
pub fn process(ix: &Ix) -> ProgramResult {
    let Ix { program_id, accounts, data } = *ix;
    let [router, execution, operator, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    let mut args = DataReader::new(data);
    let index = args.u8()?;
    let sku = *args.bytes::<8>()?;
    let max_price = args.u64()?;
    let budget = args.u64()?;
    args.finish()?;

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
    op.segments_assigned = op.segments_assigned.saturating_add(1);
    let segment = &mut e.segments[index as usize];
    *segment = Segment {
        operator: *operator.address(),
        sku,
        price,
        budget,
        settled_units: 0,
        charged: 0,
        last_seq: 0,
        // rate_for searches at most MAX_RATES (8) lines.
        rate_index: rate_index as u8,
        rating: 0,
        _padding: [0; 2],
    };
    e.segment_count = e.segment_count.saturating_add(1);
    events::segment_assigned(execution.address(), index, segment);
    Ok(())
}
