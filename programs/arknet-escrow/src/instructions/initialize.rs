//! `initialize(salt: [u8; 32], fee_bps: u16, expiry_grace_secs: u64, settlement_window_secs: u64, min_duration_secs: u64, review_window_secs: u64)`:
//! creates a deployment's Config. The salt (32 random bytes, a new one for every
//! deployment and cluster) enters the config address, and through it every balance,
//! operator and execution address, so receipts of one deployment never settle in another.
//!
//! Accounts:
//! 0. `[signer, writable]` admin: must be the program's upgrade authority; pays rent
//! 1. `[writable]` config: PDA `["config", salt]`
//! 2. `[]` mint
//! 3. `[]` vault: token account of `mint` owned by the config PDA, no delegate, no close authority
//! 4. `[]` treasury: token account of `mint` that receives withdrawn fees
//! 5. `[]` router: default router of new executions
//! 6. `[]` token_program: owner of `mint` (SPL Token or Token-2022)
//! 7. `[]` system_program
//! 8. `[]` program_data: this program's ProgramData account (upgradeable loader)
//!
//! Only the upgrade authority may initialize, so nobody can front-run the deployment
//! with a config of their own.

use crate::utils::{same_address, is_owned_by};
use crate::errors::{Error, Result};
use pinocchio::{cpi::Signer, instruction::seeds, AccountView, Address};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{init_account, Config, ProgramAccount},
    utils::{
        cpi::{create_program_account, NewAccount},
        require_distinct, require_signer, require_system_program, require_writable,
        token::{read_token_account, validate_mint},
        DataReader,
    },
};

use super::admin::Timing;

pub const DISCRIMINATOR: [u8; 8] = [175, 175, 109, 31, 13, 152, 155, 237];

const BPF_LOADER_UPGRADEABLE: Address =
    Address::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111");

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [admin, config, mint, vault, treasury, router, token_program, system_program, program_data, ..] =
        accounts
    else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let salt = *args.bytes::<32>()?;
    let fee_bps = args.u16()?;
    let timing = Timing::read(&mut args)?;
    args.finish()?;

    require_signer(admin)?;
    require_writable(config)?;
    require_system_program(system_program)?;
    if fee_bps > Config::MAX_FEE_BPS {
        return Err(EscrowError::FeeTooHigh.into());
    }
    require_upgrade_authority(program_id, program_data, admin.address())?;

    // A local array, not `&[Config::SEED]`: that constant would be promoted into
    // .rodata, which sbpf-linker emits with 1-byte alignment, and the syscall refuses
    // the unaligned seeds pointer ("Unaligned pointer").
    let config_seeds: [&[u8]; 2] = [core::hint::black_box(Config::SEED), &salt];
    let (config_address, bump) = Address::find_program_address(&config_seeds, program_id);
    if !same_address(config.address(), &config_address) {
        return Err(EscrowError::InvalidPda.into());
    }
    if is_owned_by(config, program_id) {
        return Err(EscrowError::AlreadyInitialized.into());
    }

    let decimals = validate_mint(mint, token_program.address())?;
    let vault_info = read_token_account(vault, token_program.address())?;
    if !same_address(&vault_info.mint, mint.address())
        || !same_address(&vault_info.owner, &config_address)
        || vault_info.has_delegate()
        || vault_info.has_close_authority()
        || !vault_info.initialized_not_frozen()
    {
        return Err(EscrowError::InvalidVault.into());
    }
    let treasury_info = read_token_account(treasury, token_program.address())?;
    if !same_address(&treasury_info.mint, mint.address()) {
        return Err(EscrowError::InvalidTreasury.into());
    }
    require_distinct(vault, treasury)?;

    let bump_seed = [bump];
    let signer_seeds = seeds!(Config::SEED, &salt, &bump_seed);
    create_program_account(
        &NewAccount { payer: admin, account: config, space: Config::LEN, owner: program_id },
        &[Signer::from(&signer_seeds)],
    )?;

    let c = init_account::<Config>(config, program_id)?;
    c.admin = *admin.address();
    c.router = *router.address();
    c.mint = *mint.address();
    c.vault = *vault.address();
    c.treasury = *treasury.address();
    c.token_program = *token_program.address();
    c.salt = salt;
    timing.apply(c);
    c.fee_bps = fee_bps;
    c.bump = bump;
    c.decimals = decimals;
    events::config_updated(config.address(), c);
    Ok(())
}

/// The ProgramData account of this program must name `admin` as upgrade authority.
/// Layout: u32 tag (3 = ProgramData), u64 slot, option byte, authority.
fn require_upgrade_authority(
    program_id: &Address,
    program_data: &AccountView,
    admin: &Address,
) -> Result<()> {
    let (expected, _) = Address::find_program_address(&[program_id.as_ref()], &BPF_LOADER_UPGRADEABLE);
    if !same_address(program_data.address(), &expected) || !is_owned_by(program_data, &BPF_LOADER_UPGRADEABLE) {
        return Err(EscrowError::InvalidProgramData.into());
    }
    // SAFETY: read-only access, no mutable borrow exists.
    let data = unsafe { program_data.borrow_unchecked() };
    if data.len() < 45 || data[0..4] != 3u32.to_le_bytes() || data[12] != 1 || &data[13..45] != admin.as_ref() {
        return Err(EscrowError::InvalidProgramData.into());
    }
    Ok(())
}
