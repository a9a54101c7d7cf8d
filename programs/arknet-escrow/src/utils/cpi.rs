//! Creating program accounts through the system program.

use crate::errors::Result;
use pinocchio::{cpi::Signer, AccountView, Address};
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

/// Rent-exempt minimum of an account of `space` bytes: (128 + space) bytes x 3,480
/// lamports per byte-year x 2 years, the rent every cluster charges. A constant instead of
/// the Rent sysvar (about 130 CU a read); should the runtime ever lower rent, new accounts
/// would only hold more than they need.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects, reason = "space is an account size, far below overflow")]
pub const fn rent_exempt_minimum(space: usize) -> u64 {
    (128 + space as u64) * 3_480 * 2
}

pub fn create_program_account(new: &NewAccount, signers: &[Signer]) -> Result<()> {
    let NewAccount { payer, account, space, owner } = *new;
    let required = rent_exempt_minimum(space);
    let current = account.lamports();
    if current == 0 {
        CreateAccount { from: payer, to: account, lamports: required, space: space as u64, owner }
            .invoke_signed(signers)?;
        return Ok(());
    }
    if required > current {
        Transfer { from: payer, to: account, lamports: required.saturating_sub(current) }.invoke()?;
    }
    Allocate { account, space: space as u64 }.invoke_signed(signers)?;
    Ok(Assign { account, owner }.invoke_signed(signers)?)
}
