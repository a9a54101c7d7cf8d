//! `withdraw_fees(amount: u64)`: the admin sends settled fees to the configured treasury,
//! the only destination fees can go to. Settlement credits each receipt's fee to its
//! operator's `fees_owed` (so settling and finalizing never write-lock the config);
//! the operators passed after the fixed accounts are swept into `fees_unwithdrawn`
//! first.
//!
//! Accounts:
//! 0. `[signer]` admin
//! 1. `[writable]` config
//! 2. `[writable]` vault
//! 3. `[writable]` treasury
//! 4. `[]` mint
//! 5. `[]` token_program
//!
//! Further accounts: `[writable]` operators of this deployment whose fees to sweep.


use crate::utils::same_address;
use crate::errors::{Error, Result};
use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{load_mut, Operator},
    utils::{
        add, config_mut, require_admin, require_nonzero, sub,
        token::{pay_out, VaultAccounts},
        DataReader,
    },
};

pub const DISCRIMINATOR: [u8; 8] = [198, 212, 171, 109, 144, 215, 174, 89];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [admin, config, vault, treasury, mint, token_program, operators @ ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let amount = args.u64()?;
    args.finish()?;

    require_nonzero(amount)?;
    let c = config_mut(config, program_id)?;
    require_admin(c, admin)?;
    if !same_address(treasury.address(), &c.treasury) {
        return Err(EscrowError::InvalidTreasury.into());
    }
    for view in operators {
        let op = load_mut::<Operator>(view, program_id)?;
        if !same_address(&op.config, config.address()) {
            return Err(EscrowError::WrongDeployment.into());
        }
        c.fees_unwithdrawn = add(c.fees_unwithdrawn, op.fees_owed)?;
        op.fees_owed = 0;
    }
    c.fees_unwithdrawn = sub(c.fees_unwithdrawn, amount, EscrowError::InsufficientFees)?;
    pay_out(c, &VaultAccounts { config, vault, mint, token_program }, treasury, amount)?;
    events::fees_withdrawn(treasury.address(), amount, c.fees_unwithdrawn);
    Ok(())
}
