//! One function per event: the field order here is the IDL's `types` entry of the event.

use pinocchio::Address;

use super::EventWriter;
use crate::{
    receipt::MAX_RECEIPTS,
    state::{Config, Execution, Operator, Segment},
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

#[inline(never)]
pub fn deposited(buyer: &Address, depositor: &Address, amount: u64, available: u64) {
    EventWriter::<88>::new(DEPOSITED).address(buyer).address(depositor).u64(amount).u64(available).emit();
}

#[inline(never)]
pub fn withdrawn(buyer: &Address, destination: &Address, amount: u64, available: u64) {
    EventWriter::<88>::new(WITHDRAWN).address(buyer).address(destination).u64(amount).u64(available).emit();
}

#[inline(never)]
pub fn execution_reserved(execution: &Address, e: &Execution, from_wallet: bool) {
    EventWriter::<{ 8 + 32 + 32 + 8 + 8 + 8 + 1 }>::new(EXECUTION_RESERVED)
        .address(execution)
        .address(&e.buyer)
        .u64(e.execution_id)
        .u64(e.max_burn)
        .i64(e.expires_at)
        .u8(from_wallet as u8)
        .emit();
}

#[inline(never)]
pub fn execution_topped_up(execution: &Address, amount: u64, max_burn: u64) {
    EventWriter::<56>::new(EXECUTION_TOPPED_UP).address(execution).u64(amount).u64(max_burn).emit();
}

#[inline(never)]
pub fn segment_assigned(execution: &Address, index: u8, s: &Segment) {
    EventWriter::<{ 8 + 32 + 1 + 32 + 8 + 8 + 8 }>::new(SEGMENT_ASSIGNED)
        .address(execution)
        .u8(index)
        .address(&s.operator)
        .bytes(&s.sku)
        .u64(s.price)
        .u64(s.budget)
        .emit();
}

/// What one settled receipt charged: an entry of `ReceiptsSettled`.
pub struct Settlement {
    pub segment: u8,
    pub cumulative_units: u64,
    pub sequence: u32,
    pub cost: u64,
    pub fee: u64,
    /// `CAPPED_*`: what stopped the charge short of units x price.
    pub capped: u8,
}

pub const NOT_CAPPED: u8 = 0;
pub const CAPPED_BY_MAX_BURN: u8 = 1;
pub const CAPPED_BY_BUDGET: u8 = 2;

const SETTLEMENT_LEN: usize = 1 + 8 + 4 + 8 + 8 + 1;
const RECEIPTS_SETTLED_LEN: usize = 8 + 32 + 8 + 4 + MAX_RECEIPTS * SETTLEMENT_LEN;

/// One event per `submit_receipts` with every receipt it settled: a `sol_log_data` call
/// costs 200 CU before its bytes, so one event per receipt would double the cost of a
/// batch. The segment index names operator and SKU (see `SegmentAssigned`).
pub struct ReceiptsSettled {
    w: EventWriter<RECEIPTS_SETTLED_LEN>,
}

impl ReceiptsSettled {
    #[inline(always)]
    pub fn new(execution: &Address, count: usize) -> Self {
        let mut w = EventWriter::new(RECEIPTS_SETTLED);
        w.address(execution);
        // `consumed` is written by `emit`: a placeholder keeps the borsh order.
        w.u64(0).u32(count as u32);
        Self { w }
    }

    #[inline(always)]
    pub fn push(&mut self, s: &Settlement) {
        self.w
            .u8(s.segment)
            .u64(s.cumulative_units)
            .u32(s.sequence)
            .u64(s.cost)
            .u64(s.fee)
            .u8(s.capped);
    }

    /// Emits with the execution's consumed total after the last receipt.
    #[inline(always)]
    pub fn emit(mut self, consumed: u64) {
        self.w.patch_u64(8 + 32, consumed);
        self.w.emit();
    }
}

const SEGMENT_BILL_LEN: usize = 32 + 8 + 8 + 8 + 8;
const FINALIZED_LEN: usize =
    8 + 32 + 32 + 8 + 1 + 8 + 8 + 8 + 8 + 32 + 4 + Execution::MAX_SEGMENTS * SEGMENT_BILL_LEN;

/// The bill: why the execution ended, what it reserved, what each segment charged, the
/// fee and the refund that went back to the buyer's balance.
#[inline(never)]
pub fn execution_finalized(execution: &Address, e: &Execution, refund: u64, finalized_by: &Address) {
    let mut w = EventWriter::<FINALIZED_LEN>::new(EXECUTION_FINALIZED);
    w.address(execution)
        .address(&e.buyer)
        .u64(e.execution_id)
        .u8(e.end_reason)
        .u64(e.max_burn)
        .u64(e.consumed)
        .u64(e.fees_accrued)
        .u64(refund)
        .address(finalized_by)
        .u32(e.segment_count as u32);
    for s in &e.segments[..e.segment_count as usize] {
        w.address(&s.operator).bytes(&s.sku).u64(s.price).u64(s.settled_units).u64(s.charged);
    }
    w.emit();
}

#[inline(never)]
pub fn claimed(operator: &Address, destination: &Address, amount: u64, claimable: u64) {
    EventWriter::<88>::new(CLAIMED).address(operator).address(destination).u64(amount).u64(claimable).emit();
}

#[inline(never)]
pub fn fees_withdrawn(treasury: &Address, amount: u64, fees_unwithdrawn: u64) {
    EventWriter::<56>::new(FEES_WITHDRAWN).address(treasury).u64(amount).u64(fees_unwithdrawn).emit();
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

/// A settled execution's account was closed and its rent returned.
#[inline(never)]
pub fn execution_closed(execution: &Address, rent_payer: &Address, lamports: u64) {
    EventWriter::<80>::new(EXECUTION_CLOSED).address(execution).address(rent_payer).u64(lamports).emit();
}

/// A buyer rated an operator it paid in an execution.
#[inline(never)]
pub fn operator_rated(execution: &Address, operator: &Address, stars: u8, op: &Operator) {
    EventWriter::<{ 8 + 32 + 32 + 1 + 8 + 8 }>::new(OPERATOR_RATED)
        .address(execution)
        .address(operator)
        .u8(stars)
        .u64(op.rating_count)
        .u64(op.rating_sum)
        .emit();
}
