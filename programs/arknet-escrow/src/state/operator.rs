use pinocchio::Address;

use super::{ProgramAccount, Sku};

/// One line of an operator's rate card: token base units per work unit of a SKU, and
/// what the operator has served on it. A price of 0 means the SKU is not offered (the
/// line keeps its statistics until a new SKU reuses it).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Rate {
    pub sku: Sku,
    pub price: u64,
    /// Work units settled on this SKU (saturating).
    pub units_served: u64,
    /// Tokens charged for them, fee included (saturating).
    pub tokens_served: u64,
}

/// A GPU operator of one deployment: PDA `["operator", config, authority]`.
#[repr(C)]
pub struct Operator {
    /// The deployment (Config address) the operator is registered in.
    pub config: Address,
    /// Wallet that manages the operator and receives claims.
    pub authority: Address,
    /// ed25519 key that signs receipts (a hot key on the GPU node, rotatable). It
    /// co-signed its registration or rotation: nobody registers a key they do not hold.
    pub signing_key: Address,
    /// Earned and not yet claimed.
    pub claimable: u64,
    /// Protocol fee on this operator's settled receipts, not yet swept to the config by
    /// `withdraw_fees`.
    pub fees_owed: u64,
    /// Statistics below saturate at u64::MAX.
    pub total_earned: u64,
    pub total_claimed: u64,
    /// Segments routers assigned to this operator.
    pub segments_assigned: u64,
    /// Segments that settled at least one receipt (the rest are no-shows).
    pub segments_settled: u64,
    /// Executions the router finalized as completed in which this operator was paid.
    pub executions_completed: u64,
    /// Buyer ratings: how many, and the sum of their stars (1 to 5 each).
    pub rating_count: u64,
    pub rating_sum: u64,
    pub status: u8,
    pub bump: u8,
    pub rate_count: u8,
    pub _padding: [u8; 5],
    pub rates: [Rate; Operator::MAX_RATES],
}

impl ProgramAccount for Operator {
    const DISCRIMINATOR: [u8; 8] = [219, 31, 188, 145, 69, 139, 204, 117];
}

impl Operator {
    pub const SEED: &'static [u8] = b"operator";
    pub const MAX_RATES: usize = 8;

    pub const STATUS_PENDING: u8 = 0;
    pub const STATUS_ACTIVE: u8 = 1;
    pub const STATUS_SUSPENDED: u8 = 2;

    #[inline(always)]
    pub fn is_active(&self) -> bool {
        self.status == Self::STATUS_ACTIVE
    }

    /// The line index and current price of `sku`, if the operator offers it.
    #[inline]
    pub fn rate_for(&self, sku: &Sku) -> Option<(usize, u64)> {
        self.rates[..self.rate_count as usize]
            .iter()
            .position(|r| super::sku_eq(&r.sku, sku) && r.price != 0)
            .map(|i| (i, self.rates[i].price))
    }
}
