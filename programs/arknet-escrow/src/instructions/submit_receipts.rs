//! `submit_receipts()`: settles operator receipts verified by the Ed25519 precompile
//! instruction placed immediately before this one. Anyone may submit: the operator's
//! signature is the authority. Each receipt carries cumulative units; only the increase
//! over the segment's settled units is charged, at the pinned price, capped at what is
//! left of the max burn and of the segment's budget. The fee is charged on the
//! segment's total: `fee_of(charged after) - fee_of(charged before)`, so however the
//! work is split into receipts, the fees add up to the fee of the total. A settled
//! execution takes no receipts.
//!
//! Accounts:
//! 0. `[writable]` execution
//! 1. `[]` instructions sysvar
//! 2. `[writable]` operators: the Operator accounts of the segments the receipts name
//!    (every further account is another operator)

use core::mem::MaybeUninit;

use pinocchio::{
    address::address_eq,
    error::ProgramError,
    sysvars::instructions::{Instructions, INSTRUCTIONS_ID},
    AccountView, Address, ProgramResult,
};

use crate::{
    errors::EscrowError,
    events::{ReceiptsSettled, SettledReceipt, CAPPED_BY_BUDGET, CAPPED_BY_MAX_BURN, NOT_CAPPED},
    instructions::Ix,
    math::{capped_cost, fee_of},
    receipt::{receipt_at, signature_count, Receipt, ED25519_PROGRAM_ID, MAX_RECEIPTS},
    state::{eq32, load_mut, sku_eq, Execution, Operator},
    utils::DataReader,
};

pub const DISCRIMINATOR: [u8; 8] = [2, 123, 163, 155, 114, 5, 121, 231];

#[inline(never)]
pub fn process(ix: &Ix) -> ProgramResult {
    let Ix { program_id, accounts, data } = *ix;
    let [execution, sysvar, operators @ ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    DataReader::new(data).finish()?;
    if !address_eq(sysvar.address(), &INSTRUCTIONS_ID) {
        return Err(EscrowError::InvalidSysvar.into());
    }
    let ixs = Instructions::try_from(sysvar)?;

    // Only as a top-level instruction: then the precompile pairing below is ours, and
    // no other program can wrap a settlement.
    let current = ixs.load_current_index() as usize;
    if !address_eq(ixs.load_instruction_at(current)?.get_program_id(), program_id) {
        return Err(EscrowError::CpiNotAllowed.into());
    }
    let Some(previous) = current.checked_sub(1) else {
        return Err(EscrowError::MissingEd25519Instruction.into());
    };
    let precompile = ixs.load_instruction_at(previous)?;
    if !address_eq(precompile.get_program_id(), &ED25519_PROGRAM_ID) {
        return Err(EscrowError::MissingEd25519Instruction.into());
    }
    let ed25519_data = precompile.get_instruction_data();
    let count = signature_count(ed25519_data)?;

    let e = load_mut::<Execution>(execution, program_id)?;
    if !e.is_open() {
        return Err(EscrowError::ExecutionSettled.into());
    }
    // The event and the operator cache stay where they are built: both are large, and
    // moving them would copy every byte.
    let mut event = ReceiptsSettled::new(execution.address(), e.fee_bps);
    let mut ops = OperatorCache { program_id, views: operators, used: 0, entries: [const { MaybeUninit::uninit() }; MAX_RECEIPTS] };
    let mut batch = Batch { data: ed25519_data, execution: execution.address(), ops: &mut ops, event: &mut event };
    for i in 0..count {
        batch.settle_one(e, i)?;
    }
    event.emit(e.consumed);
    Ok(())
}

/// What every receipt of the instruction shares. One receipt is settled per call, out of
/// line: the loop then keeps few values live, and the BPF backend spills far less.
struct Batch<'a, 'b> {
    data: &'a [u8],
    execution: &'a Address,
    ops: &'b mut OperatorCache<'a>,
    event: &'b mut ReceiptsSettled,
}

impl Batch<'_, '_> {
    #[inline(never)]
    fn settle_one(&mut self, e: &mut Execution, i: usize) -> ProgramResult {
        let receipt = receipt_at(self.data, i, self.execution)?;
        let settled = settle(self.ops, e, &receipt)?;
        self.event.push(settled);
        Ok(())
    }
}

/// An operator account already checked in this instruction, and the precompile offset
/// of the key its receipts were verified against.
#[derive(Clone, Copy)]
struct Checked {
    operator: *mut Operator,
    address: *const Address,
    signer_offset: usize,
}

/// Operator accounts are loaded and their signing key compared once per instruction,
/// not once per receipt. Entries `[..used]` are initialised; the rest are never read.
struct OperatorCache<'a> {
    program_id: &'a Address,
    views: &'a [AccountView],
    used: usize,
    entries: [MaybeUninit<Checked>; MAX_RECEIPTS],
}

impl OperatorCache<'_> {
    /// The active operator at `address` whose current key signed at `signer`.
    #[inline(always)]
    #[allow(clippy::mut_from_ref)]
    fn checked(&mut self, address: &Address, r: &Receipt) -> Result<&mut Operator, ProgramError> {
        // SAFETY: entries [..used] were written below and point into distinct operator
        // accounts' data, which outlives the instruction; each operator is held mutably
        // only through its entry.
        for entry in &self.entries[..self.used] {
            let entry = unsafe { entry.assume_init_ref() };
            if entry.signer_offset == r.signer_offset && address_eq(unsafe { &*entry.address }, address) {
                return Ok(unsafe { &mut *entry.operator });
            }
        }
        let view = self
            .views
            .iter()
            .find(|v| address_eq(v.address(), address))
            .ok_or(EscrowError::OperatorAccountMissing)?;
        let op = load_mut::<Operator>(view, self.program_id)?;
        if !op.is_active() {
            return Err(EscrowError::OperatorNotActive.into());
        }
        if !eq32(r.signer, op.signing_key.as_array()) {
            return Err(EscrowError::ReceiptSignerMismatch.into());
        }
        // Past MAX_RECEIPTS distinct (operator, key) pairs nothing is cached; count <=
        // MAX_RECEIPTS makes that unreachable.
        if let Some(slot) = self.entries.get_mut(self.used) {
            slot.write(Checked { operator: op, address: view.address(), signer_offset: r.signer_offset });
            self.used = self.used.saturating_add(1);
        }
        Ok(op)
    }
}

/// Charges one receipt to its segment and credits the operator.
#[inline(always)]
fn settle(ops: &mut OperatorCache, e: &mut Execution, r: &Receipt) -> Result<SettledReceipt, ProgramError> {
    if r.segment >= e.segment_count {
        return Err(EscrowError::SegmentNotAssigned.into());
    }
    let remaining = e.remaining();
    let fee_bps = e.fee_bps;
    let seg = &mut e.segments[r.segment as usize];
    if !sku_eq(r.sku, &seg.sku) {
        return Err(EscrowError::ReceiptSkuMismatch.into());
    }
    let op = ops.checked(&seg.operator, r)?;
    if r.cumulative_units <= seg.settled_units || r.sequence <= seg.last_seq {
        return Err(EscrowError::ReceiptNotNewer.into());
    }

    // cumulative_units > settled_units (checked above).
    let units = r.cumulative_units.wrapping_sub(seg.settled_units);
    // The most this receipt may charge: what is left of the max burn and, when the
    // router gave the segment a budget, of that budget.
    let budget_left = seg.budget.saturating_sub(seg.charged);
    let (limit, cap_reason) = if seg.budget != 0 && budget_left < remaining {
        (budget_left, CAPPED_BY_BUDGET)
    } else {
        (remaining, CAPPED_BY_MAX_BURN)
    };
    let (cost, capped) = capped_cost(units, seg.price, limit);
    // Overflow is impossible below: charged <= consumed <= max_burn, and Σ claimable +
    // Σ fees_owed <= the vault's amount (conservation), all u64 token amounts; saturating
    // adds keep a broken invariant from wrapping instead of paying out of thin air.
    let before = seg.charged;
    let after = before.saturating_add(cost);
    // fee_of is monotonic and fee_of(x + c) - fee_of(x) <= c for bps <= 10 000: the
    // subtractions never wrap.
    let fee = fee_of(after, fee_bps).wrapping_sub(fee_of(before, fee_bps));
    let earned = cost.wrapping_sub(fee);
    if seg.last_seq == 0 {
        op.segments_settled = op.segments_settled.saturating_add(1);
    }
    seg.settled_units = r.cumulative_units;
    seg.last_seq = r.sequence;
    seg.charged = after;
    op.claimable = op.claimable.saturating_add(earned);
    op.fees_owed = op.fees_owed.saturating_add(fee);
    op.total_earned = op.total_earned.saturating_add(earned);
    // The rate line the price came from, unless the operator has since given the line
    // to another SKU.
    if let Some(line) = op.rates.get_mut(seg.rate_index as usize) {
        if sku_eq(&line.sku, &seg.sku) {
            line.units_served = line.units_served.saturating_add(units);
            line.tokens_served = line.tokens_served.saturating_add(cost);
        }
    }
    // cost <= remaining, so consumed stays <= max_burn; fee <= cost.
    e.consumed = e.consumed.wrapping_add(cost);
    e.fees_accrued = e.fees_accrued.wrapping_add(fee);
    Ok(SettledReceipt {
        cumulative_units: r.cumulative_units,
        cost,
        fee,
        sequence: r.sequence,
        segment_index: r.segment,
        capped: if capped { cap_reason } else { NOT_CAPPED },
        _padding: [0; 2],
    })
}
