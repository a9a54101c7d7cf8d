//! `rotate_operator_key(new_signing_key: pubkey)`: receipts signed by the old key are
//! refused from now on.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` operator

use pinocchio::{error::ProgramError, Address, ProgramResult};

use crate::{
    instructions::Ix,errors::EscrowError, events, utils::DataReader};

use super::set_operator_rate::operator_of_authority;

pub const DISCRIMINATOR: [u8; 8] = [163, 239, 138, 94, 130, 48, 1, 190];

#[inline(never)]
pub fn process(ix: &Ix) -> ProgramResult {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, operator, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    let mut args = DataReader::new(data);
    let new_key = args.address()?;
    args.finish()?;

    let op = operator_of_authority(program_id, authority, operator)?;
    if new_key == Address::default() {
        return Err(EscrowError::InvalidSigningKey.into());
    }
    op.signing_key = new_key;
    events::operator_updated(operator.address(), op.status, &op.signing_key, op.rate_count);
    Ok(())
}
