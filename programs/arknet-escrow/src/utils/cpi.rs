//! Creating program accounts through the system program.

use pinocchio::{
    cpi::Signer,
    error::ProgramError,
    sysvars::{rent::Rent, Sysvar},
    AccountView, Address,
};
use pinocchio_system::instructions::{Allocate, Assign, CreateAccount, Transfer};

/// Creates `new.account` (a PDA signed for by `signers`) with `space` bytes, owned by
/// `owner`, rent paid by `payer`. An address pre-funded with lamports (which would make a
/// plain `CreateAccount` fail) is topped up, allocated and assigned instead, so nobody
/// can block an account's creation by sending it lamports first.
/// The account to create. Passed by reference: the BPF backend has only five argument
/// registers.
pub struct NewAccount<'a> {
    pub payer: &'a AccountView,
    pub account: &'a AccountView,
    pub space: usize,
    pub owner: &'a Address,
}

pub fn create_program_account(new: &NewAccount, signers: &[Signer]) -> Result<(), ProgramError> {
    let NewAccount { payer, account, space, owner } = *new;
    let required = Rent::get()?.try_minimum_balance(space)?;
    let current = account.lamports();
    if current == 0 {
        return CreateAccount { from: payer, to: account, lamports: required, space: space as u64, owner }
            .invoke_signed(signers);
    }
    if required > current {
        Transfer { from: payer, to: account, lamports: required.saturating_sub(current) }.invoke()?;
    }
    Allocate { account, space: space as u64 }.invoke_signed(signers)?;
    Assign { account, owner }.invoke_signed(signers)
}
