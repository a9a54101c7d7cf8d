//! `claim(amount: u64)`: an operator's authority takes earned tokens out. Works while
//! paused and while the operator is suspended: earned is earned.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[]` config: read only (it signs for the vault)
//! 2. `[writable]` operator
//! 3. `[writable]` vault
//! 4. `[writable]` destination: any token account of the mint except the vault
//! 5. `[]` mint
//! 6. `[]` token_program


use pinocchio::address::address_eq;
use crate::errors::{Error, Result};
use crate::math::sat_add;
use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{load, Config},
    utils::{
        require_nonzero, sub,
        token::{pay_out, VaultAccounts},
        DataReader,
    },
};

use super::set_operator_rate::operator_of_authority;

pub const DISCRIMINATOR: [u8; 8] = [62, 198, 214, 193, 213, 159, 108, 210];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, config, operator, vault, destination, mint, token_program, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let amount = args.u64()?;
    args.finish()?;

    require_nonzero(amount)?;
    let c = load::<Config>(config, program_id)?;
    let op = operator_of_authority(program_id, authority, operator)?;
    if !address_eq(&op.config, config.address()) {
        return Err(EscrowError::WrongDeployment.into());
    }
    op.claimable = sub(op.claimable, amount, EscrowError::InsufficientClaimable)?;
    op.total_claimed = sat_add(op.total_claimed, amount);
    pay_out(c, &VaultAccounts { config, vault, mint, token_program }, destination, amount)?;
    events::claimed(operator.address(), destination.address(), amount, op.claimable);
    Ok(())
}
