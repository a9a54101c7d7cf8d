use pinocchio::Address;

use super::{ProgramAccount, Sku};

/// One line of an operator's rate card: token base units per work unit of a SKU.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Rate {
    pub sku: Sku,
    pub price: u64,
}

/// A GPU operator: PDA `["operator", authority]`.
#[repr(C)]
pub struct Operator {
    /// Wallet that manages the operator and receives claims.
    pub authority: Address,
    /// ed25519 key that signs receipts (a hot key on the GPU node, rotatable).
    pub signing_key: Address,
    /// Earned and not yet claimed.
    pub claimable: u64,
    pub total_earned: u64,
    pub total_claimed: u64,
    pub status: u8,
    pub bump: u8,
    pub rate_count: u8,
    pub _reserved: [u8; 5],
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

    /// The operator's current price for `sku`, if it offers it.
    #[inline]
    pub fn rate_for(&self, sku: &Sku) -> Option<u64> {
        self.rates[..self.rate_count as usize]
            .iter()
            .find(|r| &r.sku == sku)
            .map(|r| r.price)
    }
}
