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
    /// Cumulative work units of the newest settled receipt.
    pub settled_units: u64,
    /// Sequence number of the newest settled receipt.
    pub last_seq: u64,
    /// Gross amount charged for this segment (operator share + fee).
    pub charged: u64,
}

/// An escrowed execution: PDA `["execution", buyer, execution_id (u64 le)]`. Closed by
/// `finalize`, which returns the unused max burn to the buyer's balance.
#[repr(C)]
pub struct Execution {
    pub buyer: Address,
    pub router: Address,
    /// Receives the account's rent back when it is closed.
    pub rent_payer: Address,
    pub execution_id: u64,
    /// Ceiling of everything this execution can ever pay.
    pub max_burn: u64,
    /// Charged so far (always <= max_burn).
    pub consumed: u64,
    /// Fee part of `consumed`, moved to the config when the execution is finalized.
    pub fees_accrued: u64,
    pub created_at: i64,
    pub expires_at: i64,
    /// Snapshot of the config's expiry grace.
    pub grace_secs: u64,
    /// Snapshot of the config's fee: a later fee change never touches this execution.
    pub fee_bps: u16,
    pub status: u8,
    pub segment_count: u8,
    pub bump: u8,
    pub price_cap_count: u8,
    pub _reserved: [u8; 2],
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
    /// Longest reservation a buyer may ask for: 30 days.
    pub const MAX_DURATION_SECS: u64 = 30 * 24 * 3600;

    #[inline(always)]
    pub fn remaining(&self) -> u64 {
        // consumed <= max_burn is an invariant kept by every writer; saturating keeps a
        // broken invariant from ever refunding more than was reserved.
        self.max_burn.saturating_sub(self.consumed)
    }

    /// The buyer's cap for `sku`, if one was set.
    #[inline]
    pub fn price_cap_for(&self, sku: &Sku) -> Option<u64> {
        self.price_caps[..self.price_cap_count as usize]
            .iter()
            .find(|c| &c.sku == sku)
            .map(|c| c.max_price)
    }
}
