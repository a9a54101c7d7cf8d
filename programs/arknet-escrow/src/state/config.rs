use pinocchio::Address;

use super::ProgramAccount;

/// The deployment's single configuration: PDA `["config"]`. It is also the authority of
/// the vault token account, so only this program can move escrowed tokens.
#[repr(C)]
pub struct Config {
    pub admin: Address,
    /// Zero until the admin proposes a successor; the successor accepts (two-step transfer).
    pub pending_admin: Address,
    /// Default router snapshotted into each new execution.
    pub router: Address,
    pub mint: Address,
    /// Token account (mint = `mint`, owner = this config PDA) holding all escrowed tokens.
    pub vault: Address,
    /// Token account fees are withdrawn to.
    pub treasury: Address,
    /// SPL Token or Token-2022: the owner of `mint`.
    pub token_program: Address,
    /// Seconds after an execution's expiry before anyone (not only its buyer) may finalize it.
    pub expiry_grace_secs: u64,
    /// Fees settled but not yet withdrawn to the treasury.
    pub fees_unwithdrawn: u64,
    pub total_fees: u64,
    pub total_deposited: u64,
    pub total_withdrawn: u64,
    pub total_claimed: u64,
    /// Gross amount charged to executions by settled receipts (operator share + fee).
    pub total_settled: u64,
    pub fee_bps: u16,
    pub paused: u8,
    pub bump: u8,
    pub decimals: u8,
    pub _reserved: [u8; 3],
}

impl ProgramAccount for Config {
    const DISCRIMINATOR: [u8; 8] = [155, 12, 170, 224, 30, 250, 204, 130];
}

impl Config {
    pub const SEED: &'static [u8] = b"config";
    /// Hard cap on the protocol fee: 10%.
    pub const MAX_FEE_BPS: u16 = 1000;
    pub const BPS_DENOMINATOR: u64 = 10_000;

    #[inline(always)]
    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }
}
