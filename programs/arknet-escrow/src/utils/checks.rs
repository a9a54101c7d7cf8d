use crate::errors::Result;
use pinocchio::{address::address_eq, AccountView, Address};

use crate::{
    errors::EscrowError,
    state::{load, load_mut, Config},
};

pub const SYSTEM_PROGRAM_ID: Address = pinocchio_system::ID;
pub const TOKEN_PROGRAM_ID: Address = pinocchio_token::ID;
pub const TOKEN_2022_PROGRAM_ID: Address =
    Address::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

/// Two addresses are equal: four word compares, out of line. One copy serves the
/// program's ~60 address checks; inlined, each was a `sol_memcmp_` call with its result
/// slot or four compares (program size). Hot loops use `address_eq` inline.
#[inline(never)]
pub fn same_address(a: &Address, b: &Address) -> bool {
    address_eq(a, b)
}

/// The program that owns `view`, by reference (`AccountView::owner` copies it).
#[inline(always)]
pub fn owner_of(view: &AccountView) -> &Address {
    // SAFETY: the view's account pointer is valid for the whole instruction.
    unsafe { &(*view.account_ptr()).owner }
}

/// `view.owned_by(program)` through `same_address`.
#[inline(always)]
pub fn is_owned_by(view: &AccountView, program: &Address) -> bool {
    same_address(owner_of(view), program)
}

#[inline(always)]
pub fn require_signer(view: &AccountView) -> Result<()> {
    if view.is_signer() {
        Ok(())
    } else {
        Err(EscrowError::MissingSigner.into())
    }
}

#[inline(always)]
pub fn require_writable(view: &AccountView) -> Result<()> {
    if view.is_writable() {
        Ok(())
    } else {
        Err(EscrowError::AccountNotWritable.into())
    }
}

#[inline(always)]
pub fn require_system_program(view: &AccountView) -> Result<()> {
    if same_address(view.address(), &SYSTEM_PROGRAM_ID) {
        Ok(())
    } else {
        Err(EscrowError::InvalidSystemProgram.into())
    }
}

#[inline(always)]
pub fn require_distinct(a: &AccountView, b: &AccountView) -> Result<()> {
    if same_address(a.address(), b.address()) {
        Err(EscrowError::DuplicateAccount.into())
    } else {
        Ok(())
    }
}

#[inline(always)]
pub fn require_nonzero(amount: u64) -> Result<()> {
    if amount == 0 {
        Err(EscrowError::ZeroAmount.into())
    } else {
        Ok(())
    }
}

/// The config account, checked to be this program's Config.
#[inline(always)]
pub fn config<'a>(view: &'a AccountView, program_id: &Address) -> Result<&'a Config> {
    load::<Config>(view, program_id)
}

#[inline(always)]
pub fn config_mut<'a>(
    view: &'a AccountView,
    program_id: &Address,
) -> Result<&'a mut Config> {
    load_mut::<Config>(view, program_id)
}

/// The admin must sign.
#[inline(always)]
pub fn require_admin(config: &Config, admin: &AccountView) -> Result<()> {
    require_signer(admin)?;
    if !same_address(admin.address(), &config.admin) {
        return Err(EscrowError::Unauthorized.into());
    }
    Ok(())
}

/// New deposits and reservations stop while the program is paused.
#[inline(always)]
pub fn require_not_paused(config: &Config) -> Result<()> {
    if config.is_paused() {
        Err(EscrowError::ProgramPaused.into())
    } else {
        Ok(())
    }
}

/// `a + b`, or the typed overflow error.
#[inline(always)]
pub fn add(a: u64, b: u64) -> Result<u64> {
    // Both below 2^63: the sum fits (one OR and a signed compare; `checked_add`'s overflow
    // flag is materialised by the BPF backend, ~8 instructions).
    if ((a | b) as i64) >= 0 {
        return Ok(a.wrapping_add(b));
    }
    match add_large(a, b) {
        0 => Err(EscrowError::ArithmeticOverflow.into()),
        sum => Ok(sum),
    }
}

/// `a + b` where one of them is at least 2^63, or 0 when it overflows (a sum that fits is
/// then at least 2^63, never 0). Out of line: the rare path of `add`.
#[cold]
#[inline(never)]
fn add_large(a: u64, b: u64) -> u64 {
    a.checked_add(b).unwrap_or(0)
}

/// `a - b` where `b > a` means the caller asked for more than there is.
#[inline(always)]
pub fn sub(a: u64, b: u64, short: EscrowError) -> Result<u64> {
    a.checked_sub(b).ok_or_else(|| short.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::Error;

    #[test]
    fn add_matches_checked_add_around_the_fast_path_split() {
        let edges = [0u64, 1, (1 << 63) - 1, 1 << 63, (1 << 63) + 1, u64::MAX - 1, u64::MAX];
        for &a in &edges {
            for &b in &edges {
                let expected = a.checked_add(b).ok_or(Error::from(EscrowError::ArithmeticOverflow));
                assert_eq!(add(a, b), expected, "{a} + {b}");
            }
        }
    }
}
