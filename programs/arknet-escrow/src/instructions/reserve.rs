//! `reserve(execution_id: u64, max_burn: u64, duration_secs: u64, bump: u8,
//! price_caps: Vec<PriceCap>)`: moves the max burn from the buyer's available balance
//! into a new execution. Fails closed: without enough balance nothing is created. The
//! duration must be at least the deployment's minimum (operators need time to work) and
//! at most 30 days.
//!
//! Accounts:
//! 0. `[signer, writable]` payer: pays the execution's rent and gets it back on close
//! 1. `[signer]` buyer
//! 2. `[]` config
//! 3. `[writable]` balance: the buyer's
//! 4. `[writable]` execution: PDA `["execution", config, buyer, execution_id (u64 le)]` with `bump`
//! 5. `[]` system_program

use crate::utils::is_owned_by;
use pinocchio::address::address_eq;
use crate::errors::{Error, Result};
use pinocchio::{
    cpi::Signer,
    instruction::seeds,
    sysvars::{clock::Clock, Sysvar},
    AccountView, Address,
};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{init_account, is_valid_sku, load, load_mut, Balance, Config, Execution, PriceCap, ProgramAccount},
    utils::{
        add, cpi::{create_program_account, NewAccount},
        require_nonzero, require_not_paused, require_signer,
        require_system_program, require_writable, sub,
    },
};

pub const DISCRIMINATOR: [u8; 8] = [92, 99, 244, 209, 28, 65, 213, 157];

/// The arguments of `reserve` and `reserve_from_wallet`.
pub struct ReserveArgs {
    pub execution_id: u64,
    pub max_burn: u64,
    pub duration_secs: u64,
    pub bump: u8,
    pub price_cap_count: u8,
    pub price_caps: [PriceCap; Execution::MAX_PRICE_CAPS],
}

impl ReserveArgs {
    #[inline(always)]
    #[allow(clippy::arithmetic_side_effects, reason = "constant offsets; count <= MAX_PRICE_CAPS")]
    pub fn parse(data: &[u8]) -> Result<Self> {
        // Fixed part (u64, u64, u64, u8, u32 vector length), then 16 bytes per cap: read
        // with one length check each rather than a check per field.
        const FIXED: usize = 8 + 8 + 8 + 1 + 4;
        let bad = || Error::from(EscrowError::InvalidInstructionData);
        let (fixed, caps) = data.split_first_chunk::<FIXED>().ok_or_else(bad)?;
        let word = |at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&fixed[at..at + 8]);
            u64::from_le_bytes(w)
        };
        let (execution_id, max_burn, duration_secs, bump) = (word(0), word(8), word(16), fixed[24]);
        let count = u32::from_le_bytes([fixed[25], fixed[26], fixed[27], fixed[28]]) as usize;
        if count > Execution::MAX_PRICE_CAPS {
            return Err(EscrowError::TooManyPriceCaps.into());
        }
        if caps.len() != count * 16 {
            return Err(bad());
        }
        let mut price_caps = [PriceCap { sku: [0; 8], max_price: 0 }; Execution::MAX_PRICE_CAPS];
        for (cap, raw) in price_caps.iter_mut().zip(caps.chunks_exact(16)) {
            let mut sku = [0u8; 8];
            sku.copy_from_slice(&raw[..8]);
            if !is_valid_sku(&sku) {
                return Err(EscrowError::InvalidSku.into());
            }
            let mut price = [0u8; 8];
            price.copy_from_slice(&raw[8..]);
            *cap = PriceCap { sku, max_price: u64::from_le_bytes(price) };
        }
        require_nonzero(max_burn)?;
        if duration_secs == 0 || duration_secs > Execution::MAX_DURATION_SECS {
            return Err(EscrowError::InvalidExpiry.into());
        }
        Ok(Self { execution_id, max_burn, duration_secs, bump, price_cap_count: count as u8, price_caps })
    }
}

/// The accounts both reserve instructions share.
pub struct ReserveAccounts<'a> {
    pub program_id: &'a Address,
    pub config: &'a AccountView,
    pub payer: &'a AccountView,
    pub buyer: &'a AccountView,
    pub execution: &'a AccountView,
    pub system_program: &'a AccountView,
}

#[inline(always)]
pub fn process(ix: &Ix) -> Result {
    reserve(ix, false)
}

/// `reserve` and `reserve_from_wallet` in one body (they share their arguments, the first
/// five accounts and everything after the balance is found; one copy of that is ~2.5 KB
/// of program). `from_wallet` first deposits the max burn from the buyer's token account
/// into the balance, creating it if missing.
#[inline(never)]
pub fn reserve(ix: &Ix, from_wallet: bool) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [payer, buyer, config, balance, execution, rest @ ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    // reserve_from_wallet's token accounts come before the system program.
    let Some(system_program) = rest.get(if from_wallet { 4 } else { 0 }) else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let args = ReserveArgs::parse(data)?;
    let c = load::<Config>(config, program_id)?;
    let ctx = ReserveAccounts { program_id, config, payer, buyer, execution, system_program };
    let bal = if from_wallet {
        super::reserve_from_wallet::deposit_max_burn(&ctx, c, balance, rest, args.max_burn)?
    } else {
        load_mut::<Balance>(balance, program_id)?
    };
    open_execution(&ctx, c, bal, &args)?;
    let e = load::<Execution>(execution, program_id)?;
    events::execution_reserved(execution.address(), e, from_wallet);
    Ok(())
}

/// Creates the execution and moves its max burn from available to reserved.
pub fn open_execution(a: &ReserveAccounts, c: &Config, bal: &mut Balance, args: &ReserveArgs) -> Result {
    let program_id = a.program_id;
    require_not_paused(c)?;
    require_signer(a.payer)?;
    require_signer(a.buyer)?;
    require_writable(a.execution)?;
    require_system_program(a.system_program)?;
    if !address_eq(&bal.buyer, a.buyer.address()) {
        return Err(EscrowError::WrongBuyer.into());
    }
    if !address_eq(&bal.config, a.config.address()) {
        return Err(EscrowError::WrongDeployment.into());
    }
    if args.duration_secs < c.min_duration_secs {
        return Err(EscrowError::DurationTooShort.into());
    }
    if args.execution_id <= bal.last_execution_id {
        return Err(EscrowError::ExecutionIdNotIncreasing.into());
    }
    bal.available = sub(bal.available, args.max_burn, EscrowError::InsufficientBalance)?;
    bal.reserved = add(bal.reserved, args.max_burn)?;
    bal.last_execution_id = args.execution_id;

    // The address needs no check of its own: the system program creates (or allocates
    // and assigns) the account only with this program's signature for it, and the
    // runtime derives that signature's address from these seeds, so any other address
    // fails the CPI. A non-canonical bump cannot open a second execution: ids only ever
    // increase.
    if is_owned_by(a.execution, program_id) {
        return Err(EscrowError::AlreadyInitialized.into());
    }
    let id_bytes = args.execution_id.to_le_bytes();
    let bump_seed = [args.bump];
    let execution_seeds =
        seeds!(Execution::SEED, a.config.address().as_ref(), a.buyer.address().as_ref(), &id_bytes, &bump_seed);
    create_program_account(
        &NewAccount { payer: a.payer, account: a.execution, space: Execution::LEN, owner: program_id },
        &[Signer::from(&execution_seeds)],
    )?;

    let now = Clock::get()?.unix_timestamp;
    let e = init_account::<Execution>(a.execution, program_id)?;
    e.config = *a.config.address();
    e.buyer = *a.buyer.address();
    e.router = c.router;
    e.rent_payer = *a.payer.address();
    e.execution_id = args.execution_id;
    e.max_burn = args.max_burn;
    e.created_at = now;
    // duration <= 30 days: the cast is exact.
    e.expires_at = now.checked_add(args.duration_secs as i64).ok_or(EscrowError::ArithmeticOverflow)?;
    e.grace_secs = c.expiry_grace_secs;
    e.settlement_window_secs = c.settlement_window_secs;
    e.review_window_secs = c.review_window_secs;
    e.fee_bps = c.fee_bps;
    e.status = Execution::STATUS_OPEN;
    e.bump = args.bump;
    e.price_cap_count = args.price_cap_count;
    e.price_caps = args.price_caps;
    Ok(())
}
