use pinocchio::Address;

use super::{ProgramAccount, Sku};

/// The buyer's ceiling on the price of one SKU, set at reservation.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct PriceCap {
    pub sku: Sku,
    pub max_price: u64,
}

/// One slice of an execution run by one operator on one SKU, at a price pinned when the
/// router assigned it.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Segment {
    /// The Operator account (PDA), not its authority.
    pub operator: Address,
    pub sku: Sku,
    pub price: u64,
    /// Most this segment may charge (fee included); 0 = only the execution's max burn.
    pub budget: u64,
    /// Cumulative work units of the newest settled receipt.
    pub settled_units: u64,
    /// Gross amount charged for this segment (operator share + fee).
    pub charged: u64,
    /// Sequence number of the newest settled receipt (0: none yet).
    pub last_seq: u32,
    /// Line of the operator's rate card the price came from (its statistics).
    pub rate_index: u8,
    /// The buyer's rating of this segment's operator, 1 to 5 stars; 0 = not rated.
    pub rating: u8,
    pub _padding: [u8; 2],
}

/// An escrowed execution: PDA `["execution", config, buyer, execution_id (u64 le)]`.
/// `finalize` (or `cancel`) settles it: the unused max burn goes back to the buyer's
/// balance and the account stays as the bill, read-only, for the review window; then
/// `close` returns its rent.
#[repr(C)]
pub struct Execution {
    /// The deployment (Config address).
    pub config: Address,
    pub buyer: Address,
    pub router: Address,
    /// Receives the account's rent back when it is closed.
    pub rent_payer: Address,
    pub execution_id: u64,
    /// Ceiling of everything this execution can ever pay.
    pub max_burn: u64,
    /// Charged so far (always <= max_burn).
    pub consumed: u64,
    /// Fee part of `consumed` (credited to the operators' `fees_owed`).
    pub fees_accrued: u64,
    pub created_at: i64,
    pub expires_at: i64,
    /// When it was finalized or cancelled; 0 while open.
    pub settled_at: i64,
    /// Snapshots of the config's timing at reservation.
    pub grace_secs: u64,
    pub settlement_window_secs: u64,
    pub review_window_secs: u64,
    /// Snapshot of the config's fee: a later fee change never touches this execution.
    pub fee_bps: u16,
    pub status: u8,
    /// Why it ended (`END_*`); 0 while open.
    pub end_reason: u8,
    pub segment_count: u8,
    pub bump: u8,
    pub price_cap_count: u8,
    pub _padding: [u8; 1],
    pub price_caps: [PriceCap; Execution::MAX_PRICE_CAPS],
    pub segments: [Segment; Execution::MAX_SEGMENTS],
}

impl ProgramAccount for Execution {
    const DISCRIMINATOR: [u8; 8] = [50, 148, 225, 163, 129, 33, 229, 40];
}

impl Execution {
    pub const SEED: &'static [u8] = b"execution";
    pub const MAX_SEGMENTS: usize = 16;
    pub const MAX_PRICE_CAPS: usize = 4;
    pub const STATUS_OPEN: u8 = 1;
    pub const STATUS_SETTLED: u8 = 2;
    /// Longest reservation a buyer may ask for: 30 days.
    pub const MAX_DURATION_SECS: u64 = 30 * 24 * 3600;

    /// The router's words: the job finished, the router took the capacity back (spot
    /// preemption), or the job failed.
    pub const END_COMPLETED: u8 = 1;
    pub const END_PREEMPTED: u8 = 2;
    pub const END_FAILED: u8 = 3;
    /// Finalized after expiry by the buyer or anyone (or by the router saying so).
    pub const END_EXPIRED: u8 = 4;
    /// Cancelled by the buyer before any segment was assigned.
    pub const END_CANCELLED: u8 = 5;

    #[inline(always)]
    pub fn is_open(&self) -> bool {
        self.status == Self::STATUS_OPEN
    }

    #[inline(always)]
    pub fn remaining(&self) -> u64 {
        // consumed <= max_burn is an invariant kept by every writer; saturating keeps a
        // broken invariant from ever refunding more than was reserved.
        crate::math::sat_sub(self.max_burn, self.consumed)
    }

    /// The buyer's cap for `sku`, if one was set.
    #[inline]
    pub fn price_cap_for(&self, sku: &Sku) -> Option<u64> {
        self.price_caps[..self.price_cap_count as usize]
            .iter()
            .find(|c| super::sku_eq(&c.sku, sku))
            .map(|c| c.max_price)
    }
}
