//! `submit_receipts()`: settles operator receipts verified by the Ed25519 precompile
//! instruction placed immediately before this one. Anyone may submit: the operator's
//! signature is the authority. Each receipt carries cumulative units; only the increase
//! over the segment's settled units is charged, at the pinned price, capped at what is
//! left of the max burn.
//!
//! Accounts:
//! 0. `[writable]` execution
//! 1. `[]` instructions sysvar
//! 2. `[writable]` operators: the Operator accounts of the segments the receipts name
//!    (every further account is another operator)

use pinocchio::{
    error::ProgramError,
    sysvars::instructions::{Instructions, INSTRUCTIONS_ID},
    AccountView, Address, ProgramResult,
};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events::{self, Settlement},
    math::{capped_cost, fee_of},
    receipt::{binding, receipt_at, signature_count, Receipt, ED25519_PROGRAM_ID},
    state::{load_mut, Execution, Operator},
    utils::{add, sub, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [2, 123, 163, 155, 114, 5, 121, 231];

#[inline(never)]
pub fn process(ix: &Ix) -> ProgramResult {
    let Ix { program_id, accounts, data } = *ix;
    let [execution, sysvar, operators @ ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    DataReader::new(data).finish()?;
    if sysvar.address() != &INSTRUCTIONS_ID {
        return Err(EscrowError::InvalidSysvar.into());
    }
    let ixs = Instructions::try_from(sysvar)?;

    // Only as a top-level instruction: then the precompile pairing below is ours, and
    // no other program can wrap a settlement.
    let current = ixs.load_current_index() as usize;
    if ixs.load_instruction_at(current)?.get_program_id() != program_id {
        return Err(EscrowError::CpiNotAllowed.into());
    }
    let Some(previous) = current.checked_sub(1) else {
        return Err(EscrowError::MissingEd25519Instruction.into());
    };
    let precompile = ixs.load_instruction_at(previous)?;
    if precompile.get_program_id() != &ED25519_PROGRAM_ID {
        return Err(EscrowError::MissingEd25519Instruction.into());
    }
    let ed25519_data = precompile.get_instruction_data();
    let count = signature_count(ed25519_data)?;

    let e = load_mut::<Execution>(execution, program_id)?;
    let mut bind = [0u8; 32];
    binding(program_id, execution.address(), &mut bind);
    let ctx = SettleContext { program_id, execution: execution.address(), operators };
    for i in 0..count {
        let receipt = receipt_at(ed25519_data, i, &bind)?;
        settle(&ctx, e, &receipt)?;
    }
    Ok(())
}

/// What every receipt of one instruction shares.
struct SettleContext<'a> {
    program_id: &'a Address,
    execution: &'a Address,
    operators: &'a [AccountView],
}

/// Charges one receipt to its segment and credits the operator.
fn settle(ctx: &SettleContext, e: &mut Execution, r: &Receipt) -> ProgramResult {
    if r.segment >= e.segment_count {
        return Err(EscrowError::SegmentNotAssigned.into());
    }
    let remaining = e.remaining();
    let fee_bps = e.fee_bps;
    let seg = &mut e.segments[r.segment as usize];
    if r.sku != &seg.sku {
        return Err(EscrowError::ReceiptSkuMismatch.into());
    }
    let view = ctx
        .operators
        .iter()
        .find(|v| v.address() == &seg.operator)
        .ok_or(EscrowError::OperatorAccountMissing)?;
    let op = load_mut::<Operator>(view, ctx.program_id)?;
    if !op.is_active() {
        return Err(EscrowError::OperatorNotActive.into());
    }
    if r.signer != op.signing_key.as_array() {
        return Err(EscrowError::ReceiptSignerMismatch.into());
    }
    if r.cumulative_units <= seg.settled_units || r.sequence as u64 <= seg.last_seq {
        return Err(EscrowError::ReceiptNotNewer.into());
    }

    let units = sub(r.cumulative_units, seg.settled_units, EscrowError::ReceiptNotNewer)?;
    let (cost, capped) = capped_cost(units, seg.price, remaining);
    let fee = fee_of(cost, fee_bps);
    let earned = sub(cost, fee, EscrowError::ArithmeticOverflow)?;
    seg.settled_units = r.cumulative_units;
    seg.last_seq = r.sequence as u64;
    seg.charged = add(seg.charged, cost)?;
    op.claimable = add(op.claimable, earned)?;
    op.total_earned = add(op.total_earned, earned)?;
    // cost <= remaining, so consumed stays <= max_burn.
    e.consumed = add(e.consumed, cost)?;
    e.fees_accrued = add(e.fees_accrued, fee)?;

    events::receipt_settled(&Settlement {
        execution: ctx.execution,
        segment: r.segment,
        operator: view.address(),
        cumulative_units: r.cumulative_units,
        units,
        sequence: r.sequence,
        cost,
        fee,
        capped,
    });
    Ok(())
}
