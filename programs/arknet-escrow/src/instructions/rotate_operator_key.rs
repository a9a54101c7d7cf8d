//! `rotate_operator_key()`: the new signing key (which co-signs, proving it is held)
//! replaces the old one; receipts signed by the old key are refused from now on.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` operator
//! 2. `[signer]` new_signing_key: the ed25519 key that will sign receipts


use crate::errors::{Error, Result};
use crate::{
    events,
    instructions::Ix,
    utils::{require_signer, DataReader},
};

use super::set_operator_rate::operator_of_authority;

pub const DISCRIMINATOR: [u8; 8] = [163, 239, 138, 94, 130, 48, 1, 190];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, operator, new_signing_key, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    DataReader::new(data).finish()?;

    let op = operator_of_authority(program_id, authority, operator)?;
    require_signer(new_signing_key)?;
    op.signing_key = *new_signing_key.address();
    events::operator_updated(operator.address(), op.status, &op.signing_key, op.rate_count);
    Ok(())
}
