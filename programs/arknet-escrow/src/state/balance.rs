use pinocchio::Address;

use super::ProgramAccount;

/// A buyer's prepaid tokens in one deployment: PDA `["balance", config, buyer]`. Anyone
/// may deposit into it; only the buyer withdraws or reserves from it.
#[repr(C)]
pub struct Balance {
    /// The deployment (Config address) the tokens are escrowed in.
    pub config: Address,
    pub buyer: Address,
    /// Free to withdraw or reserve.
    pub available: u64,
    /// Locked in executions not yet settled (sum of their max burns).
    pub reserved: u64,
    /// Statistics: saturate at u64::MAX, never block a deposit or a withdrawal.
    pub total_deposited: u64,
    pub total_withdrawn: u64,
    /// Execution ids must increase, so an execution address is never used twice and an
    /// old receipt can never be replayed against a new execution.
    pub last_execution_id: u64,
    pub bump: u8,
    pub _padding: [u8; 7],
}

impl ProgramAccount for Balance {
    const DISCRIMINATOR: [u8; 8] = [127, 71, 25, 157, 105, 157, 241, 182];
}

impl Balance {
    pub const SEED: &'static [u8] = b"balance";
}
