//! Loading program accounts in place, with the owner, discriminator and size checks
//! that stop look-alike accounts and account-type confusion.

use crate::utils::{is_owned_by, owner_of};
use crate::errors::Result;
use core::mem::{align_of, size_of};

use pinocchio::{address::address_eq, AccountView, Address};

use crate::errors::EscrowError;

/// A program account type: its discriminator and fixed size.
pub trait ProgramAccount: Sized {
    /// `sha256("account:<Name>")[..8]` (checked in the host tests).
    const DISCRIMINATOR: [u8; 8];
    /// Size of the account data: discriminator + body.
    const LEN: usize = 8 + size_of::<Self>();
}

/// Owner, size, discriminator and alignment checks shared by every account type. Out
/// of line, so each of the program's account loads is one call rather than a copy of
/// these checks (program size).
#[inline(never)]
fn check_account(view: &AccountView, program_id: &Address, discriminator: &[u8; 8], len: usize) -> Result {
    // Four word compares, not `owned_by` (a memcmp syscall).
    if !address_eq(owner_of(view), program_id) {
        return Err(EscrowError::InvalidAccountOwner.into());
    }
    if view.data_len() != len {
        return Err(EscrowError::InvalidAccountData.into());
    }
    let data = view.data_ptr();
    // Runtime account data is 8-byte aligned; every body type aligns to at most 8.
    if !(data as usize).is_multiple_of(8) {
        return Err(EscrowError::InvalidAccountData.into());
    }
    // SAFETY: the length (>= 8) was checked above.
    if unsafe { &*(data as *const [u8; 8]) } != discriminator {
        return Err(EscrowError::InvalidAccountType.into());
    }
    Ok(())
}

/// The body of a checked program account of type `T`.
#[inline(always)]
fn checked_body_ptr<T: ProgramAccount>(view: &AccountView, program_id: &Address) -> Result<*mut T> {
    const { assert!(align_of::<T>() <= 8) };
    check_account(view, program_id, &T::DISCRIMINATOR, T::LEN)?;
    // SAFETY: checked to hold T::LEN = 8 + size_of::<T>() bytes.
    Ok(unsafe { view.data_ptr().add(8) } as *mut T)
}

/// Reads a program account of type `T`.
#[inline(always)]
pub fn load<'a, T: ProgramAccount>(
    view: &'a AccountView,
    program_id: &Address,
) -> Result<&'a T> {
    // SAFETY: checked owner, size, discriminator and alignment.
    checked_body_ptr::<T>(view, program_id).map(|p| unsafe { &*p })
}

/// Writes a program account of type `T`: also requires the account to be writable.
/// Callers must not hold two mutable views of one account: instructions that take two
/// accounts of the same type check that their addresses differ.
#[inline(always)]
#[allow(clippy::mut_from_ref)]
pub fn load_mut<'a, T: ProgramAccount>(
    view: &'a AccountView,
    program_id: &Address,
) -> Result<&'a mut T> {
    if !view.is_writable() {
        return Err(EscrowError::AccountNotWritable.into());
    }
    // SAFETY: as `load`; the runtime's input buffer is writable for writable accounts.
    checked_body_ptr::<T>(view, program_id).map(|p| unsafe { &mut *p })
}

/// Writes the discriminator of a freshly created account and returns its zeroed body.
#[inline(always)]
#[allow(clippy::mut_from_ref)]
pub fn init_account<'a, T: ProgramAccount>(
    view: &'a AccountView,
    program_id: &Address,
) -> Result<&'a mut T> {
    if !is_owned_by(view, program_id) || view.data_len() != T::LEN {
        return Err(EscrowError::InvalidAccountData.into());
    }
    let data = view.data_ptr() as *mut u8;
    // SAFETY: owned by this program and exactly T::LEN long; new accounts are zeroed.
    unsafe {
        let disc = data as *mut [u8; 8];
        if *disc != [0u8; 8] {
            return Err(EscrowError::AlreadyInitialized.into());
        }
        *disc = T::DISCRIMINATOR;
    }
    checked_body_ptr::<T>(view, program_id).map(|p| unsafe { &mut *p })
}
