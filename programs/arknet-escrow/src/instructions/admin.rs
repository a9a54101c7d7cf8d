//! The admin's setters. Accounts of each: `0. [signer] admin`, `1. [writable] config`
//! (`set_treasury` adds `2. [] treasury`; `accept_admin` is signed by the pending admin).
//! None of them can touch escrowed, claimable or reserved tokens: the admin only
//! withdraws settled fees, and only to the treasury.

use crate::utils::same_address;
use crate::errors::{Error, Result};
use pinocchio::Address;

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{Config, Execution},
    utils::{config_mut, require_admin, require_signer, token::read_token_account, DataReader},
};

pub const PROPOSE_ADMIN: [u8; 8] = [121, 214, 199, 212, 87, 39, 117, 234];
pub const ACCEPT_ADMIN: [u8; 8] = [112, 42, 45, 90, 116, 181, 13, 170];
pub const SET_FEE: [u8; 8] = [18, 154, 24, 18, 237, 214, 19, 80];
pub const SET_PAUSED: [u8; 8] = [91, 60, 125, 192, 176, 225, 166, 218];
pub const SET_ROUTER: [u8; 8] = [236, 248, 107, 200, 151, 160, 44, 250];
pub const SET_TIMING: [u8; 8] = [14, 216, 98, 185, 54, 189, 253, 135];
pub const SET_TREASURY: [u8; 8] = [57, 97, 196, 95, 195, 206, 106, 136];

/// What one admin setter changes in the config.
enum Change {
    PendingAdmin(Address),
    Fee(u16),
    Paused(u8),
    Router(Address),
    Timing(Timing),
    /// The third account becomes the treasury.
    Treasury,
}

/// Applies `change` to the config once the admin's signature is checked, then reports
/// the new config. One body for every setter (each used to carry its own copy of the
/// account checks and the event: program size).
#[inline(never)]
fn update_config(ix: &Ix, change: &Change) -> Result {
    let Ix { program_id, accounts, .. } = *ix;
    let [admin, config, rest @ ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let c = config_mut(config, program_id)?;
    require_admin(c, admin)?;
    match change {
        Change::PendingAdmin(new_admin) => c.pending_admin = *new_admin,
        Change::Fee(fee_bps) => c.fee_bps = *fee_bps,
        Change::Paused(paused) => c.paused = *paused,
        Change::Router(router) => c.router = *router,
        Change::Timing(timing) => timing.apply(c),
        Change::Treasury => {
            let [treasury, ..] = rest else {
                return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
            };
            let info = read_token_account(treasury, &c.token_program)?;
            if !same_address(&info.mint, &c.mint) || same_address(treasury.address(), &c.vault) {
                return Err(EscrowError::InvalidTreasury.into());
            }
            c.treasury = *treasury.address();
        }
    }
    events::config_updated(config.address(), c);
    Ok(())
}

/// `propose_admin(new_admin: pubkey)`: step one of the two-step transfer.
#[inline(never)]
pub fn process_propose_admin(ix: &Ix) -> Result {
    let Ix { program_id: _, accounts: _, data } = *ix;
    let mut args = DataReader::new(data);
    let new_admin = args.address()?;
    args.finish()?;
    update_config(ix, &Change::PendingAdmin(new_admin))
}

/// `accept_admin()`: signed by the pending admin, who becomes the admin.
#[inline(never)]
pub fn process_accept_admin(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    DataReader::new(data).finish()?;
    let [new_admin, config, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let c = config_mut(config, program_id)?;
    require_signer(new_admin)?;
    if same_address(&c.pending_admin, &Address::default()) || !same_address(new_admin.address(), &c.pending_admin) {
        return Err(EscrowError::NotPendingAdmin.into());
    }
    c.admin = c.pending_admin;
    c.pending_admin = Address::default();
    events::config_updated(config.address(), c);
    Ok(())
}

/// `set_fee(fee_bps: u16)`: applies to executions reserved from now on.
#[inline(never)]
pub fn process_set_fee(ix: &Ix) -> Result {
    let Ix { program_id: _, accounts: _, data } = *ix;
    let mut args = DataReader::new(data);
    let fee_bps = args.u16()?;
    args.finish()?;
    if fee_bps > Config::MAX_FEE_BPS {
        return Err(EscrowError::FeeTooHigh.into());
    }
    update_config(ix, &Change::Fee(fee_bps))
}

/// `set_paused(paused: bool)`: blocks new deposits and reservations only.
#[inline(never)]
pub fn process_set_paused(ix: &Ix) -> Result {
    let Ix { program_id: _, accounts: _, data } = *ix;
    let mut args = DataReader::new(data);
    let paused = args.bool()?;
    args.finish()?;
    update_config(ix, &Change::Paused(paused as u8))
}

/// `set_router(router: pubkey)`: the router of executions reserved from now on.
#[inline(never)]
pub fn process_set_router(ix: &Ix) -> Result {
    let Ix { program_id: _, accounts: _, data } = *ix;
    let mut args = DataReader::new(data);
    let router = args.address()?;
    args.finish()?;
    update_config(ix, &Change::Router(router))
}

/// The deployment's clocks, in seconds (arguments of `initialize` and `set_timing`).
pub struct Timing {
    pub expiry_grace_secs: u64,
    pub settlement_window_secs: u64,
    pub min_duration_secs: u64,
    pub review_window_secs: u64,
}

impl Timing {
    /// Reads the four values; the buyer's settlement window may not outlast the grace
    /// after which anyone may finalize, and a minimum duration above the 30-day maximum
    /// would refuse every reservation.
    #[inline(always)]
    pub fn read(args: &mut DataReader) -> Result<Self> {
        let t = Timing {
            expiry_grace_secs: args.u64()?,
            settlement_window_secs: args.u64()?,
            min_duration_secs: args.u64()?,
            review_window_secs: args.u64()?,
        };
        if t.settlement_window_secs > t.expiry_grace_secs || t.min_duration_secs > Execution::MAX_DURATION_SECS {
            return Err(EscrowError::InvalidTiming.into());
        }
        Ok(t)
    }

    #[inline(always)]
    pub fn apply(&self, c: &mut Config) {
        c.expiry_grace_secs = self.expiry_grace_secs;
        c.settlement_window_secs = self.settlement_window_secs;
        c.min_duration_secs = self.min_duration_secs;
        c.review_window_secs = self.review_window_secs;
    }
}

/// `set_timing(expiry_grace_secs: u64, settlement_window_secs: u64, min_duration_secs: u64, review_window_secs: u64)`:
/// applies to executions reserved from now on.
#[inline(never)]
pub fn process_set_timing(ix: &Ix) -> Result {
    let Ix { program_id: _, accounts: _, data } = *ix;
    let mut args = DataReader::new(data);
    let timing = Timing::read(&mut args)?;
    args.finish()?;
    update_config(ix, &Change::Timing(timing))
}

/// `set_treasury()`: accounts `admin, config, treasury` (a token account of the mint).
#[inline(never)]
pub fn process_set_treasury(ix: &Ix) -> Result {
    let Ix { program_id: _, accounts: _, data } = *ix;
    DataReader::new(data).finish()?;
    update_config(ix, &Change::Treasury)
}
