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

use crate::errors::{refuse, Error, Result};
use core::mem::MaybeUninit;

use pinocchio::{
    address::address_eq,
    sysvars::instructions::{Instructions, INSTRUCTIONS_ID},
    AccountView, Address,
};

use crate::{
    errors::EscrowError,
    events::{ReceiptsSettled, SettledEntry, CAPPED_BY_BUDGET, CAPPED_BY_MAX_BURN, NOT_CAPPED},
    instructions::Ix,
    math::{capped_cost, fee_delta, sat_add, sat_sub},
    receipt::{receipt_at, signature_count, ED25519_PROGRAM_ID, MAX_RECEIPTS},
    state::{eq32, load_mut, sku_eq, Execution, Operator},
    utils::DataReader,
};

pub const DISCRIMINATOR: [u8; 8] = [2, 123, 163, 155, 114, 5, 121, 231];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [execution, sysvar, operators @ ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    DataReader::new(data).finish()?;
    if !address_eq(sysvar.address(), &INSTRUCTIONS_ID) {
        return Err(refuse(EscrowError::InvalidSysvar));
    }
    // The address is checked above, which is all `Instructions::try_from` adds (with a
    // memcmp syscall and borrow bookkeeping): the sysvar is read-only and this program
    // never borrows it mutably.
    // SAFETY: the instructions sysvar's data (address checked), read only.
    let ixs = unsafe { Instructions::new_unchecked(sysvar.borrow_unchecked()) }; // lint-allow: address checked above

    // Only as a top-level instruction: then the precompile pairing below is ours, and
    // no other program can wrap a settlement.
    let current = ixs.load_current_index() as usize;
    if !address_eq(ixs.load_instruction_at(current)?.get_program_id(), program_id) {
        return Err(refuse(EscrowError::CpiNotAllowed));
    }
    let Some(previous) = current.checked_sub(1) else {
        return Err(refuse(EscrowError::MissingEd25519Instruction));
    };
    let precompile = ixs.load_instruction_at(previous)?;
    if !address_eq(precompile.get_program_id(), &ED25519_PROGRAM_ID) {
        return Err(refuse(EscrowError::MissingEd25519Instruction));
    }
    let ed25519_data = precompile.get_instruction_data();
    let count = signature_count(ed25519_data)?;

    let e = load_mut::<Execution>(execution, program_id)?;
    if !e.is_open() {
        return Err(refuse(EscrowError::ExecutionSettled));
    }
    // The event and the operator caches stay where they are built: both are large, and
    // moving them would copy every byte.
    let mut event = ReceiptsSettled::new(execution.address());
    let mut ops = OperatorCache { program_id, views: operators, used: 0, entries: [const { MaybeUninit::uninit() }; MAX_RECEIPTS] };
    let mut batch = Batch {
        data: ed25519_data,
        execution: execution.address(),
        ops: &mut ops,
        event: &mut event,
        known: 0,
        by_segment: [const { MaybeUninit::uninit() }; Execution::MAX_SEGMENTS],
    };
    for i in 0..count {
        batch.settle_one(e, i)?;
    }
    event.emit(e.consumed, count);
    Ok(())
}

/// What every receipt of the instruction shares. One receipt is settled per call, out of
/// line: the loop then keeps few values live, and the BPF backend spills far less.
struct Batch<'a, 'b> {
    data: &'a [u8],
    execution: &'a Address,
    ops: &'b mut OperatorCache<'a>,
    event: &'b mut ReceiptsSettled,
    /// Bit s set: `by_segment[s]` holds segment s's checked operator.
    known: u32,
    /// Per segment, the operator found for it and the key it was checked against: the
    /// next receipt on the segment skips the search (the common case).
    by_segment: [MaybeUninit<Checked>; Execution::MAX_SEGMENTS],
}

impl Batch<'_, '_> {
    #[inline(never)]
    fn settle_one(&mut self, e: &mut Execution, i: usize) -> Result {
        let r = receipt_at(self.data, i, self.execution)?;
        if r.segment >= e.segment_count {
            return Err(refuse(EscrowError::SegmentNotAssigned));
        }
        let s = r.segment as usize;
        let seg = e.segments.get_mut(s).ok_or_else(|| refuse(EscrowError::SegmentNotAssigned))?;
        if !sku_eq(r.sku, &seg.sku) {
            return Err(refuse(EscrowError::ReceiptSkuMismatch));
        }
        // SAFETY: slot s is initialised when its bit is set (written below, only by
        // `checked`, which hands out pointers into distinct operator accounts).
        let op = match self.by_segment.get(s) {
            Some(slot) if self.known & (1 << s) != 0 && unsafe { slot.assume_init_ref() }.signer_offset == r.signer_offset => {
                unsafe { &mut *slot.assume_init_ref().operator }
            }
            _ => self.first_on_segment(s, &seg.operator, r.signer_offset)?,
        };
        if r.cumulative_units <= seg.settled_units || r.sequence <= seg.last_seq {
            return Err(refuse(EscrowError::ReceiptNotNewer));
        }
        // The entry's receipt fields go out first: fewer values stay live below.
        let mut entry = self.event.entry(i, r.cumulative_units, r.sequence, r.segment).ok_or_else(|| refuse(EscrowError::TooManyReceipts))?;
        settle(e, s, op, r.cumulative_units, r.sequence, &mut entry)
    }

    /// The operator of segment `s` checked against the receipt's key, remembered for the
    /// segment's next receipts. Out of line: it runs once per segment and key.
    #[inline(never)]
    fn first_on_segment<'o>(&mut self, s: usize, operator: &Address, signer_offset: usize) -> Result<&'o mut Operator> {
        // The key's bytes again (checked in bounds by `receipt_at`): passing them would
        // take a sixth argument register, which the BPF backend does not have.
        let signer: &[u8; 32] = self
            .data
            .get(signer_offset..signer_offset.saturating_add(32))
            .and_then(|k| k.try_into().ok())
            .ok_or_else(|| refuse(EscrowError::InvalidEd25519Instruction))?;
        let op = self.ops.checked(operator, signer, signer_offset)?;
        if let Some(slot) = self.by_segment.get_mut(s) {
            slot.write(Checked { operator: op, address: operator, signer_offset });
            self.known |= 1 << s;
        }
        // SAFETY: as in `OperatorCache::checked`: a pointer into the operator account's
        // data, which outlives the instruction.
        Ok(unsafe { &mut *(op as *mut Operator) })
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
    fn checked(&mut self, address: &Address, signer: &[u8; 32], signer_offset: usize) -> Result<&mut Operator> {
        // SAFETY: entries [..used] were written below and point into distinct operator
        // accounts' data, which outlives the instruction; each operator is held mutably
        // only through its entry.
        for entry in self.entries.iter().take(self.used) {
            let entry = unsafe { entry.assume_init_ref() };
            if entry.signer_offset == signer_offset && address_eq(unsafe { &*entry.address }, address) {
                return Ok(unsafe { &mut *entry.operator });
            }
        }
        let view = self
            .views
            .iter()
            .find(|v| address_eq(v.address(), address))
            .ok_or_else(|| refuse(EscrowError::OperatorAccountMissing))?;
        let op = load_mut::<Operator>(view, self.program_id)?;
        if !op.is_active() {
            return Err(refuse(EscrowError::OperatorNotActive));
        }
        if !eq32(signer, op.signing_key.as_array()) {
            return Err(refuse(EscrowError::ReceiptSignerMismatch));
        }
        // Past MAX_RECEIPTS distinct (operator, key) pairs nothing is cached; count <=
        // MAX_RECEIPTS makes that unreachable.
        if let Some(slot) = self.entries.get_mut(self.used) {
            slot.write(Checked { operator: op, address: view.address(), signer_offset });
            self.used = self.used.saturating_add(1);
        }
        Ok(op)
    }
}

/// Charges one receipt (cumulative `units_to`) to segment `s` and credits the operator;
/// the receipt is already checked newer than the segment's last one.
#[inline(always)]
fn settle(e: &mut Execution, s: usize, op: &mut Operator, units_to: u64, sequence: u32, entry: &mut SettledEntry) -> Result {
    let remaining = sat_sub(e.max_burn, e.consumed);
    let fee_bps = e.fee_bps;
    let seg = e.segments.get_mut(s).ok_or_else(|| refuse(EscrowError::SegmentNotAssigned))?;
    // cumulative_units > settled_units (checked by the caller).
    let units = units_to.wrapping_sub(seg.settled_units);
    // The most this receipt may charge: what is left of the max burn and, when the
    // router gave the segment a budget, of that budget.
    let (limit, cap_reason) = match seg.budget {
        0 => (remaining, CAPPED_BY_MAX_BURN),
        budget => {
            let budget_left = sat_sub(budget, seg.charged);
            if budget_left < remaining { (budget_left, CAPPED_BY_BUDGET) } else { (remaining, CAPPED_BY_MAX_BURN) }
        }
    };
    let (cost, capped) = capped_cost(units, seg.price, limit);
    entry.set_cost(cost, if capped { cap_reason } else { NOT_CAPPED });
    // Overflow is impossible below: charged <= consumed <= max_burn, and Σ claimable +
    // Σ fees_owed <= the vault's amount (conservation), all u64 token amounts; saturating
    // adds keep a broken invariant from wrapping instead of paying out of thin air.
    let before = seg.charged;
    let after = sat_add(before, cost);
    // fee_of is monotonic and fee_of(x + c) - fee_of(x) <= c for bps <= 10 000: the
    // subtractions below never wrap.
    let fee = fee_delta(before, after, fee_bps);
    entry.set_fee(fee);
    let earned = cost.wrapping_sub(fee);
    if seg.last_seq == 0 {
        op.segments_settled = sat_add(op.segments_settled, 1);
    }
    seg.settled_units = units_to;
    seg.last_seq = sequence;
    seg.charged = after;
    op.claimable = sat_add(op.claimable, earned);
    op.fees_owed = sat_add(op.fees_owed, fee);
    op.total_earned = sat_add(op.total_earned, earned);
    // The rate line the price came from, unless the operator has since given the line
    // to another SKU.
    if let Some(line) = op.rates.get_mut(seg.rate_index as usize) {
        if sku_eq(&line.sku, &seg.sku) {
            line.units_served = sat_add(line.units_served, units);
            line.tokens_served = sat_add(line.tokens_served, cost);
        }
    }
    // cost <= remaining, so consumed stays <= max_burn; fee <= cost.
    e.consumed = e.consumed.wrapping_add(cost);
    e.fees_accrued = e.fees_accrued.wrapping_add(fee);
    Ok(())
}
