//! `assign_segment(segment_index: u8, sku: [u8; 8])`: the execution's router names the
//! operator and SKU of the next segment and pins the operator's current rate, bounded by
//! the buyer's price cap for that SKU. Later rate or fee changes never reach it.
//!
//! Accounts:
//! 0. `[signer]` router
//! 1. `[writable]` execution
//! 2. `[]` operator

use pinocchio::{error::ProgramError, ProgramResult};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{load, load_mut, Execution, Operator, Segment},
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
    args.finish()?;

    require_signer(router)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    if &e.router != router.address() {
        return Err(EscrowError::WrongRouter.into());
    }
    if e.segment_count as usize >= Execution::MAX_SEGMENTS {
        return Err(EscrowError::TooManySegments.into());
    }
    if index != e.segment_count {
        return Err(EscrowError::InvalidSegmentIndex.into());
    }
    let op = load::<Operator>(operator, program_id)?;
    if !op.is_active() {
        return Err(EscrowError::OperatorNotActive.into());
    }
    let price = op.rate_for(&sku).ok_or(EscrowError::SkuNotOffered)?;
    if let Some(cap) = e.price_cap_for(&sku) {
        if price > cap {
            return Err(EscrowError::PriceAboveCap.into());
        }
    }
    e.segments[index as usize] =
        Segment { operator: *operator.address(), sku, price, settled_units: 0, last_seq: 0, charged: 0 };
    e.segment_count = e.segment_count.saturating_add(1);
    events::segment_assigned(execution.address(), index, operator.address(), &sku, price);
    Ok(())
}
