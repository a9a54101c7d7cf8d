use pinocchio::Address;

use super::ProgramAccount;

/// One deployment's configuration: PDA `["config", salt]`. The salt is chosen at
/// `initialize` (32 random bytes), so two deployments of the same program (devnet and
/// mainnet share the program id) never share a config address, and every other account
/// derives from the config address: an execution address names one deployment on one
/// cluster. The config is also the authority of the vault token account, so only this
/// program can move escrowed tokens.
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
    /// Seed of this config's address, chosen at `initialize`.
    pub salt: [u8; 32],
    /// Seconds after an execution's expiry before anyone may finalize it.
    pub expiry_grace_secs: u64,
    /// Seconds after an execution's expiry before its buyer may finalize it: operators
    /// land the receipts of work already done (<= expiry_grace_secs).
    pub settlement_window_secs: u64,
    /// Shortest reservation a buyer may ask for.
    pub min_duration_secs: u64,
    /// Seconds a settled execution stays open for the buyer's ratings before anyone may
    /// close it.
    pub review_window_secs: u64,
    /// Fees swept from operators by `withdraw_fees` and not yet paid to the treasury.
    pub fees_unwithdrawn: u64,
    pub fee_bps: u16,
    pub paused: u8,
    pub bump: u8,
    pub decimals: u8,
    pub _padding: [u8; 3],
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
