//! `withdraw(amount: u64)`: the buyer takes available (unreserved) tokens out. Never
//! blocked by the pause.
//!
//! Accounts:
//! 0. `[signer]` buyer
//! 1. `[]` config: read only (it signs for the vault)
//! 2. `[writable]` balance
//! 3. `[writable]` vault
//! 4. `[writable]` destination: any token account of the mint except the vault
//! 5. `[]` mint
//! 6. `[]` token_program


use crate::utils::same_address;
use crate::errors::{Error, Result};
use crate::math::sat_add;
use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{load, load_mut, Balance, Config},
    utils::{
        require_nonzero, require_signer, sub,
        token::{pay_out, VaultAccounts},
        DataReader,
    },
};

pub const DISCRIMINATOR: [u8; 8] = [183, 18, 70, 156, 148, 109, 161, 34];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [buyer, config, balance, vault, destination, mint, token_program, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let amount = args.u64()?;
    args.finish()?;

    require_signer(buyer)?;
    require_nonzero(amount)?;
    let c = load::<Config>(config, program_id)?;
    let bal = load_mut::<Balance>(balance, program_id)?;
    if !same_address(&bal.buyer, buyer.address()) {
        return Err(EscrowError::WrongBuyer.into());
    }
    if !same_address(&bal.config, config.address()) {
        return Err(EscrowError::WrongDeployment.into());
    }
    bal.available = sub(bal.available, amount, EscrowError::InsufficientBalance)?;
    bal.total_withdrawn = sat_add(bal.total_withdrawn, amount);
    pay_out(c, &VaultAccounts { config, vault, mint, token_program }, destination, amount)?;
    events::withdrawn(buyer.address(), destination.address(), amount, bal.available);
    Ok(())
}
