//! Forwards its instruction data, unchanged, to the program passed as account 0, with
//! accounts 1.. passed on in order and with the roles they arrived with. Test-only: it
//! is the attacker's wrapper program that tries to call the escrow through CPI.
#![no_std]

use pinocchio::{
    cpi::invoke_with_bounds,
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

const MAX_ACCOUNTS: usize = 15;

pinocchio::program_entrypoint!(process_instruction, 16);
pinocchio::no_allocator!();
pinocchio::nostd_panic_handler!();

fn process_instruction(_program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let [target, rest @ ..] = &*accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    if rest.len() > MAX_ACCOUNTS {
        return Err(ProgramError::InvalidArgument);
    }
    let metas: [InstructionAccount; MAX_ACCOUNTS] = core::array::from_fn(|i| match rest.get(i) {
        Some(a) => InstructionAccount::new(a.address(), a.is_writable(), a.is_signer()),
        None => InstructionAccount::readonly(target.address()),
    });
    let instruction = InstructionView { program_id: target.address(), data, accounts: &metas[..rest.len()] };
    invoke_with_bounds::<MAX_ACCOUNTS, _>(&instruction, rest)
}
