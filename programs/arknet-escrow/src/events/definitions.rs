//! One function per event: the field order here is the IDL's `types` entry of the event.

use core::{mem::MaybeUninit, ptr::addr_of_mut};

use pinocchio::Address;

use super::EventWriter;
use crate::{
    receipt::MAX_RECEIPTS,
    state::{Config, Execution, Operator, Segment, Sku},
};

pub const DEPOSITED: [u8; 8] = [111, 141, 26, 45, 161, 35, 100, 57];
pub const WITHDRAWN: [u8; 8] = [20, 89, 223, 198, 194, 124, 219, 13];
pub const EXECUTION_RESERVED: [u8; 8] = [117, 188, 20, 16, 112, 195, 181, 242];
pub const EXECUTION_TOPPED_UP: [u8; 8] = [103, 66, 126, 141, 147, 63, 103, 103];
pub const SEGMENT_ASSIGNED: [u8; 8] = [199, 9, 73, 237, 105, 139, 70, 109];
pub const RECEIPTS_SETTLED: [u8; 8] = [104, 45, 22, 31, 27, 253, 171, 35];
pub const EXECUTION_FINALIZED: [u8; 8] = [242, 123, 227, 87, 134, 67, 82, 103];
pub const CLAIMED: [u8; 8] = [217, 192, 123, 72, 108, 150, 248, 33];
pub const FEES_WITHDRAWN: [u8; 8] = [234, 15, 0, 119, 148, 241, 40, 21];
pub const OPERATOR_REGISTERED: [u8; 8] = [173, 220, 230, 105, 117, 97, 22, 133];
pub const OPERATOR_UPDATED: [u8; 8] = [28, 104, 226, 145, 253, 229, 17, 245];
pub const CONFIG_UPDATED: [u8; 8] = [40, 241, 230, 122, 11, 19, 198, 194];
pub const EXECUTION_CLOSED: [u8; 8] = [150, 23, 224, 12, 35, 228, 246, 39];
pub const OPERATOR_RATED: [u8; 8] = [31, 25, 47, 115, 30, 205, 86, 6];

/// Every event's (name, discriminator), checked against sha256 and the IDL in tests.
pub const ALL_EVENTS: [(&str, [u8; 8]); 14] = [
    ("Deposited", DEPOSITED),
    ("Withdrawn", WITHDRAWN),
    ("ExecutionReserved", EXECUTION_RESERVED),
    ("ExecutionToppedUp", EXECUTION_TOPPED_UP),
    ("SegmentAssigned", SEGMENT_ASSIGNED),
    ("ReceiptsSettled", RECEIPTS_SETTLED),
    ("ExecutionFinalized", EXECUTION_FINALIZED),
    ("Claimed", CLAIMED),
    ("FeesWithdrawn", FEES_WITHDRAWN),
    ("OperatorRegistered", OPERATOR_REGISTERED),
    ("OperatorUpdated", OPERATOR_UPDATED),
    ("ConfigUpdated", CONFIG_UPDATED),
    ("ExecutionClosed", EXECUTION_CLOSED),
    ("OperatorRated", OPERATOR_RATED),
];






/// What one settled receipt charged: an entry of `ReceiptsSettled`. `#[repr(C, packed)]`:
/// these 30 bytes are exactly its borsh encoding (little endian, as the VM is), with no
/// padding to log (every byte logged costs a CU, and the VM loads and stores at any
/// alignment). Fields are written through `write_unaligned`.
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub struct SettledReceipt {
    pub cumulative_units: u64,
    pub cost: u64,
    pub fee: u64,
    pub sequence: u32,
    pub segment_index: u8,
    /// `CAPPED_*`: what stopped the charge short of units x price.
    pub capped: u8,
}

/// An entry of `ReceiptsSettled` whose receipt fields are written; `charge` writes the
/// rest. Written field by field where each value is computed: building the entry whole
/// at the end keeps every value live until then (register spills per receipt).
pub struct SettledEntry<'a> {
    entry: *mut SettledReceipt,
    _event: core::marker::PhantomData<&'a mut ReceiptsSettled>,
}

impl SettledEntry<'_> {
    #[inline(always)]
    pub fn set_cost(&mut self, cost: u64, capped: u8) {
        // SAFETY: points to an entry of the event borrowed for 'a (see `entry`).
        unsafe {
            addr_of_mut!((*self.entry).cost).write_unaligned(cost);
            addr_of_mut!((*self.entry).capped).write(capped);
        }
    }

    #[inline(always)]
    pub fn set_fee(&mut self, fee: u64) {
        // SAFETY: as `set_cost`.
        unsafe { addr_of_mut!((*self.entry).fee).write_unaligned(fee) };
    }
}

/// Logs `data` as one `sol_log_data` field (an event built in place).
#[inline(always)]
fn log_bytes(data: &[u8]) {
    #[cfg(target_arch = "bpf")]
    {
        let slices: [&[u8]; 1] = [data];
        // SAFETY: `slices` is one valid (pointer, length) pair, the layout the syscall reads.
        unsafe { pinocchio::syscalls::sol_log_data(slices.as_ptr() as *const u8, 1) };
    }
    #[cfg(not(target_arch = "bpf"))]
    let _ = data;
}

pub const NOT_CAPPED: u8 = 0;
pub const CAPPED_BY_MAX_BURN: u8 = 1;
pub const CAPPED_BY_BUDGET: u8 = 2;

/// The `ReceiptsSettled` event as laid out in the log: discriminator, header, then the
/// borsh vector (u32 length and entries), packed like `SettledReceipt`.
#[repr(C, packed)]
struct ReceiptsSettledBody {
    discriminator: [u8; 8],
    execution: Address,
    consumed: u64,
    count: u32,
    receipts: [SettledReceipt; MAX_RECEIPTS],
}

const RECEIPTS_SETTLED_HEADER: usize = 8 + 32 + 8 + 4;
const _: () = assert!(core::mem::offset_of!(ReceiptsSettledBody, receipts) == RECEIPTS_SETTLED_HEADER);
const _: () = assert!(core::mem::size_of::<SettledReceipt>() == 30);

/// One event per `submit_receipts` with every receipt it settled: a `sol_log_data` call
/// has a fixed cost of 200 CU, so one event per receipt would double the cost of a batch.
/// The segment index names operator and SKU (see `SegmentAssigned`). Built in place,
/// without zeroing the buffer first: only the written prefix is ever logged.
pub struct ReceiptsSettled {
    body: MaybeUninit<ReceiptsSettledBody>,
}

impl ReceiptsSettled {
    #[inline(always)]
    pub fn new(execution: &Address) -> Self {
        let mut body = MaybeUninit::<ReceiptsSettledBody>::uninit();
        let p = body.as_mut_ptr();
        // SAFETY: writes through raw field pointers of an uninitialised local; both fields
        // are byte arrays (alignment 1); nothing is read.
        unsafe {
            addr_of_mut!((*p).discriminator).write(RECEIPTS_SETTLED);
            addr_of_mut!((*p).execution).write(*execution);
        }
        Self { body }
    }

    /// Starts entry `i` with the receipt's own fields and returns it for the charge
    /// (`SettledEntry::charge`); `None` past MAX_RECEIPTS. The caller charges every
    /// entry `0..count` it starts, then emits with that count.
    #[inline(always)]
    pub fn entry(&mut self, i: usize, cumulative_units: u64, sequence: u32, segment_index: u8) -> Option<SettledEntry<'_>> {
        let p = self.body.as_mut_ptr();
        if i < MAX_RECEIPTS {
            // SAFETY: in bounds (checked above). The body is packed, so no field is assumed
            // aligned: multi-byte fields are written with `write_unaligned` through raw
            // pointers (rustc refuses a reference to a packed field), and no reference to
            // the uninitialised entry is made.
            unsafe {
                let e = (addr_of_mut!((*p).receipts) as *mut SettledReceipt).add(i);
                addr_of_mut!((*e).cumulative_units).write_unaligned(cumulative_units);
                addr_of_mut!((*e).sequence).write_unaligned(sequence);
                addr_of_mut!((*e).segment_index).write(segment_index);
                Some(SettledEntry { entry: e, _event: core::marker::PhantomData })
            }
        } else {
            None
        }
    }

    /// Emits entries `[..count]` (each filled through `entry`) with the execution's
    /// consumed total after the last receipt.
    #[inline(always)]
    #[allow(clippy::arithmetic_side_effects, reason = "count is clamped to MAX_RECEIPTS: the length is at most the body's size")]
    pub fn emit(&mut self, consumed: u64, count: usize) {
        let count = count.min(MAX_RECEIPTS);
        let p = self.body.as_mut_ptr();
        // SAFETY: header fields written here (unaligned: the body is packed) and in `new`,
        // entries [..count] by the caller: the logged prefix is fully initialised, and a
        // packed struct has no padding bytes.
        unsafe {
            addr_of_mut!((*p).consumed).write_unaligned(consumed);
            addr_of_mut!((*p).count).write_unaligned(count as u32);
            let len = RECEIPTS_SETTLED_HEADER + count * core::mem::size_of::<SettledReceipt>();
            log_bytes(core::slice::from_raw_parts(p as *const u8, len));
        }
    }
}




#[inline(never)]
pub fn operator_registered(operator: &Address, config: &Address, authority: &Address, signing_key: &Address) {
    EventWriter::<136>::new(OPERATOR_REGISTERED)
        .address(operator)
        .address(config)
        .address(authority)
        .address(signing_key)
        .emit();
}

#[inline(never)]
pub fn operator_updated(operator: &Address, status: u8, signing_key: &Address, rate_count: u8) {
    EventWriter::<74>::new(OPERATOR_UPDATED).address(operator).u8(status).address(signing_key).u8(rate_count).emit();
}

#[inline(never)]
pub fn config_updated(config: &Address, c: &Config) {
    EventWriter::<{ 8 + 32 * 5 + 2 + 1 + 8 * 4 }>::new(CONFIG_UPDATED)
        .address(config)
        .address(&c.admin)
        .address(&c.pending_admin)
        .address(&c.router)
        .address(&c.treasury)
        .u16(c.fee_bps)
        .u8(c.paused)
        .u64(c.expiry_grace_secs)
        .u64(c.settlement_window_secs)
        .u64(c.min_duration_secs)
        .u64(c.review_window_secs)
        .emit();
}



// ---- Events written in place -------------------------------------------------------
// Each is a `#[repr(C)]` body whose fields, in IDL order, sit at their natural alignment
// with no padding before the last logged byte, so its bytes are the borsh encoding (the VM
// is little endian). Built whole on the stack and logged without a byte-by-byte writer.

/// Logs the first `len` bytes of `body`.
///
/// # Safety
/// `body` must be a `#[repr(C)]` event body whose first `len` bytes are initialised
/// fields with no padding between them (checked per type by the `layout!` assertions).
#[inline(always)]
unsafe fn log_prefix<T>(body: &T, len: usize) {
    log_bytes(core::slice::from_raw_parts(body as *const T as *const u8, len));
}

/// Asserts at compile time that the fields of `$t` are contiguous up to `$len` bytes.
macro_rules! layout {
    ($t:ty, $len:expr, $last:ident: $last_ty:ty) => {
        const _: () = assert!(core::mem::offset_of!($t, $last) + core::mem::size_of::<$last_ty>() == $len);
    };
}

#[repr(C)]
struct MoneyMoved {
    discriminator: [u8; 8],
    account: Address,
    counterparty: Address,
    amount: u64,
    after: u64,
}
layout!(MoneyMoved, 88, after: u64);
const _: () = assert!(core::mem::size_of::<MoneyMoved>() == 88);

#[inline(always)]
fn money_moved(discriminator: [u8; 8], account: &Address, counterparty: &Address, amount: u64, after: u64) {
    let body = MoneyMoved { discriminator, account: *account, counterparty: *counterparty, amount, after };
    // SAFETY: layout checked above; every field written.
    unsafe { log_prefix(&body, 88) }
}

/// `Deposited { buyer, depositor, amount, available }`.
#[inline(never)]
pub fn deposited(buyer: &Address, depositor: &Address, amount: u64, available: u64) {
    money_moved(DEPOSITED, buyer, depositor, amount, available);
}

/// `Withdrawn { buyer, destination, amount, available }`.
#[inline(never)]
pub fn withdrawn(buyer: &Address, destination: &Address, amount: u64, available: u64) {
    money_moved(WITHDRAWN, buyer, destination, amount, available);
}

/// `Claimed { operator, destination, amount, claimable }`.
#[inline(never)]
pub fn claimed(operator: &Address, destination: &Address, amount: u64, claimable: u64) {
    money_moved(CLAIMED, operator, destination, amount, claimable);
}

#[repr(C)]
struct AmountEvent {
    discriminator: [u8; 8],
    account: Address,
    amount: u64,
    after: u64,
}
layout!(AmountEvent, 56, after: u64);

/// `ExecutionToppedUp { execution, amount, max_burn }`.
#[inline(never)]
pub fn execution_topped_up(execution: &Address, amount: u64, max_burn: u64) {
    let body = AmountEvent { discriminator: EXECUTION_TOPPED_UP, account: *execution, amount, after: max_burn };
    // SAFETY: layout checked above; every field written.
    unsafe { log_prefix(&body, 56) }
}

/// `FeesWithdrawn { treasury, amount, fees_unwithdrawn }`.
#[inline(never)]
pub fn fees_withdrawn(treasury: &Address, amount: u64, fees_unwithdrawn: u64) {
    let body = AmountEvent { discriminator: FEES_WITHDRAWN, account: *treasury, amount, after: fees_unwithdrawn };
    // SAFETY: layout checked above; every field written.
    unsafe { log_prefix(&body, 56) }
}

#[repr(C)]
struct ExecutionReservedBody {
    discriminator: [u8; 8],
    execution: Address,
    buyer: Address,
    execution_id: u64,
    max_burn: u64,
    expires_at: i64,
    from_wallet: u8,
}
layout!(ExecutionReservedBody, 97, from_wallet: u8);

#[inline(never)]
pub fn execution_reserved(execution: &Address, e: &Execution, from_wallet: bool) {
    let body = ExecutionReservedBody {
        discriminator: EXECUTION_RESERVED,
        execution: *execution,
        buyer: e.buyer,
        execution_id: e.execution_id,
        max_burn: e.max_burn,
        expires_at: e.expires_at,
        from_wallet: from_wallet as u8,
    };
    // SAFETY: layout checked above; every field written.
    unsafe { log_prefix(&body, 97) }
}

#[repr(C)]
struct SegmentAssignedBody {
    discriminator: [u8; 8],
    execution: Address,
    operator: Address,
    sku: Sku,
    price: u64,
    budget: u64,
    segment_index: u8,
}
layout!(SegmentAssignedBody, 97, segment_index: u8);

#[inline(never)]
pub fn segment_assigned(execution: &Address, index: u8, s: &Segment) {
    let body = SegmentAssignedBody {
        discriminator: SEGMENT_ASSIGNED,
        execution: *execution,
        operator: s.operator,
        sku: s.sku,
        price: s.price,
        budget: s.budget,
        segment_index: index,
    };
    // SAFETY: layout checked above; every field written.
    unsafe { log_prefix(&body, 97) }
}

#[repr(C)]
struct ExecutionClosedBody {
    discriminator: [u8; 8],
    execution: Address,
    rent_payer: Address,
    lamports: u64,
}
layout!(ExecutionClosedBody, 80, lamports: u64);

/// A settled execution's account was closed and its rent returned.
#[inline(never)]
pub fn execution_closed(execution: &Address, rent_payer: &Address, lamports: u64) {
    let body = ExecutionClosedBody { discriminator: EXECUTION_CLOSED, execution: *execution, rent_payer: *rent_payer, lamports };
    // SAFETY: layout checked above; every field written.
    unsafe { log_prefix(&body, 80) }
}

#[repr(C)]
struct OperatorRatedBody {
    discriminator: [u8; 8],
    execution: Address,
    operator: Address,
    rating_count: u64,
    rating_sum: u64,
    stars: u8,
}
layout!(OperatorRatedBody, 89, stars: u8);

/// A buyer rated an operator it paid in an execution.
#[inline(never)]
pub fn operator_rated(execution: &Address, operator: &Address, stars: u8, op: &Operator) {
    let body = OperatorRatedBody {
        discriminator: OPERATOR_RATED,
        execution: *execution,
        operator: *operator,
        rating_count: op.rating_count,
        rating_sum: op.rating_sum,
        stars,
    };
    // SAFETY: layout checked above; every field written.
    unsafe { log_prefix(&body, 89) }
}

/// One segment of the bill: an entry of `ExecutionFinalized`.
#[repr(C)]
#[derive(Clone, Copy)]
struct SegmentBill {
    operator: Address,
    sku: Sku,
    price: u64,
    units: u64,
    charged: u64,
}
const _: () = assert!(core::mem::size_of::<SegmentBill>() == 64);

#[repr(C)]
struct ExecutionFinalizedBody {
    discriminator: [u8; 8],
    execution: Address,
    buyer: Address,
    finalized_by: Address,
    execution_id: u64,
    max_burn: u64,
    consumed: u64,
    fee: u64,
    refund: u64,
    reason: u8,
    _padding: [u8; 3],
    count: u32,
    segments: [SegmentBill; Execution::MAX_SEGMENTS],
}
const FINALIZED_HEADER: usize = 152;
layout!(ExecutionFinalizedBody, FINALIZED_HEADER, count: u32);

/// The bill: why the execution ended, what it reserved, what each segment charged, the
/// fee and the refund that went back to the buyer's balance. Built in place without
/// zeroing the 1 KiB of segment entries first: only the written prefix is logged.
#[inline(never)]
#[allow(clippy::arithmetic_side_effects, reason = "segment_count <= MAX_SEGMENTS: the length is within the body")]
pub fn execution_finalized(execution: &Address, e: &Execution, refund: u64, finalized_by: &Address) {
    let mut body = MaybeUninit::<ExecutionFinalizedBody>::uninit();
    let p = body.as_mut_ptr();
    let count = (e.segment_count as usize).min(Execution::MAX_SEGMENTS);
    // SAFETY: raw writes into an uninitialised, aligned local: every header field, then
    // entries [..count]; exactly that prefix is logged, and it has no padding.
    unsafe {
        addr_of_mut!((*p).discriminator).write(EXECUTION_FINALIZED);
        addr_of_mut!((*p).execution).write(*execution);
        addr_of_mut!((*p).buyer).write(e.buyer);
        addr_of_mut!((*p).finalized_by).write(*finalized_by);
        addr_of_mut!((*p).execution_id).write(e.execution_id);
        addr_of_mut!((*p).max_burn).write(e.max_burn);
        addr_of_mut!((*p).consumed).write(e.consumed);
        addr_of_mut!((*p).fee).write(e.fees_accrued);
        addr_of_mut!((*p).refund).write(refund);
        addr_of_mut!((*p).reason).write(e.end_reason);
        addr_of_mut!((*p)._padding).write([0; 3]);
        addr_of_mut!((*p).count).write(count as u32);
        let entries = addr_of_mut!((*p).segments) as *mut SegmentBill;
        for (i, s) in e.segments[..count].iter().enumerate() {
            entries.add(i).write(SegmentBill {
                operator: s.operator,
                sku: s.sku,
                price: s.price,
                units: s.settled_units,
                charged: s.charged,
            });
        }
        log_bytes(core::slice::from_raw_parts(p as *const u8, FINALIZED_HEADER + count * 64));
    }
}
