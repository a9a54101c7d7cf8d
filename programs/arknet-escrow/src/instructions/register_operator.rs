//! `register_operator(signing_key: pubkey)`: an operator registers itself, pending until
//! the admin activates it.
//!
//! Accounts:
//! 0. `[signer, writable]` authority: manages the operator, receives claims, pays rent
//! 1. `[writable]` operator: PDA `["operator", authority]`
//! 2. `[]` system_program

use pinocchio::{cpi::Signer, error::ProgramError, instruction::seeds, Address, ProgramResult};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{init_account, Operator, ProgramAccount},
    utils::{cpi::{create_program_account, NewAccount}, require_signer, require_system_program, require_writable, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [49, 242, 151, 125, 212, 136, 31, 89];

#[inline(never)]
pub fn process(ix: &Ix) -> ProgramResult {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, operator, system_program, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    let mut args = DataReader::new(data);
    let signing_key = args.address()?;
    args.finish()?;

    require_signer(authority)?;
    require_writable(operator)?;
    require_system_program(system_program)?;
    if signing_key == Address::default() {
        return Err(EscrowError::InvalidSigningKey.into());
    }
    let (expected, bump) =
        Address::find_program_address(&[Operator::SEED, authority.address().as_ref()], program_id);
    if operator.address() != &expected {
        return Err(EscrowError::InvalidPda.into());
    }
    if operator.owned_by(program_id) {
        return Err(EscrowError::AlreadyInitialized.into());
    }

    let bump_seed = [bump];
    let operator_seeds = seeds!(Operator::SEED, authority.address().as_ref(), &bump_seed);
    create_program_account(
        &NewAccount { payer: authority, account: operator, space: Operator::LEN, owner: program_id },
        &[Signer::from(&operator_seeds)],
    )?;

    let op = init_account::<Operator>(operator, program_id)?;
    op.authority = *authority.address();
    op.signing_key = signing_key;
    op.status = Operator::STATUS_PENDING;
    op.bump = bump;
    events::operator_registered(operator.address(), authority.address(), &signing_key);
    Ok(())
}
