//! `set_operator_status(status: u8)`: the admin activates (1) or suspends (2) an
//! operator. A suspended operator's receipts are refused; its earnings stay claimable.
//!
//! Accounts:
//! 0. `[signer]` admin
//! 1. `[]` config
//! 2. `[writable]` operator


use crate::utils::same_address;
use crate::errors::{Error, Result};
use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{load_mut, Operator},
    utils::{config, require_admin, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [114, 48, 114, 58, 120, 8, 223, 128];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [admin, config_account, operator, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let status = args.u8()?;
    args.finish()?;

    require_admin(config(config_account, program_id)?, admin)?;
    if status != Operator::STATUS_ACTIVE && status != Operator::STATUS_SUSPENDED {
        return Err(EscrowError::InvalidOperatorStatus.into());
    }
    let op = load_mut::<Operator>(operator, program_id)?;
    if !same_address(&op.config, config_account.address()) {
        return Err(EscrowError::WrongDeployment.into());
    }
    op.status = status;
    events::operator_updated(operator.address(), op.status, &op.signing_key, op.rate_count);
    Ok(())
}
