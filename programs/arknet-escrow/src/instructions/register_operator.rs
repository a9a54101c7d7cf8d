//! `register_operator()`: an operator registers itself in a deployment, pending until
//! the admin activates it. Its receipt signing key co-signs: only who holds a key can
//! register it, so no operator account can claim another's key (and its receipts).
//!
//! Accounts:
//! 0. `[signer, writable]` authority: manages the operator, receives claims, pays rent
//! 1. `[]` config: the deployment
//! 2. `[writable]` operator: PDA `["operator", config, authority]`
//! 3. `[signer]` signing_key: the ed25519 key that will sign receipts
//! 4. `[]` system_program

use crate::utils::{same_address, is_owned_by};
use crate::errors::{Error, Result};
use pinocchio::{cpi::Signer, instruction::seeds, Address};

use crate::{
    instructions::Ix,
    events,
    state::{init_account, load, Config, Operator, ProgramAccount},
    utils::{
        cpi::{create_program_account, NewAccount},
        require_signer, require_system_program, require_writable, DataReader,
    },
};

pub const DISCRIMINATOR: [u8; 8] = [49, 242, 151, 125, 212, 136, 31, 89];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, config, operator, signing_key, system_program, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    DataReader::new(data).finish()?;

    require_signer(authority)?;
    require_signer(signing_key)?;
    require_writable(operator)?;
    require_system_program(system_program)?;
    load::<Config>(config, program_id)?;
    let (expected, bump) = Address::find_program_address(
        &[Operator::SEED, config.address().as_ref(), authority.address().as_ref()],
        program_id,
    );
    if !same_address(operator.address(), &expected) {
        return Err(crate::errors::EscrowError::InvalidPda.into());
    }
    if is_owned_by(operator, program_id) {
        return Err(crate::errors::EscrowError::AlreadyInitialized.into());
    }

    let bump_seed = [bump];
    let operator_seeds = seeds!(Operator::SEED, config.address().as_ref(), authority.address().as_ref(), &bump_seed);
    create_program_account(
        &NewAccount { payer: authority, account: operator, space: Operator::LEN, owner: program_id },
        &[Signer::from(&operator_seeds)],
    )?;

    let op = init_account::<Operator>(operator, program_id)?;
    op.config = *config.address();
    op.authority = *authority.address();
    op.signing_key = *signing_key.address();
    op.status = Operator::STATUS_PENDING;
    op.bump = bump;
    events::operator_registered(operator.address(), config.address(), authority.address(), signing_key.address());
    Ok(())
}
