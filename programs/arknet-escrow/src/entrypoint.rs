//! Entrypoint and dispatch: the 8-byte Anchor instruction discriminator selects one
//! processor (one file per instruction under `instructions/`).

use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

use crate::{errors::EscrowError, instructions::*};

#[cfg(target_arch = "bpf")]
mod bpf {
    // No instruction takes more than 16 accounts; a smaller bound keeps the unrolled
    // account parser (and the program) small.
    pinocchio::program_entrypoint!(super::process_instruction, 16);
    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();
}

/// Routes an instruction to its processor. Receipt settlement comes first: it is by far
/// the most frequent instruction, and the match lowers to a chain of compares. Inlined
/// into the entrypoint: with a slice pair and the result pointer it would need six
/// argument registers, and BPF has five.
#[inline(always)]
pub fn process_instruction(
    program_id: &Address,
    accounts: &mut [AccountView],
    instruction_data: &[u8],
) -> ProgramResult {
    if instruction_data.len() < 8 {
        return Err(EscrowError::UnknownInstruction.into());
    }
    let (disc, data) = instruction_data.split_at(8);
    let disc: [u8; 8] = disc.try_into().map_err(|_| ProgramError::from(EscrowError::UnknownInstruction))?;
    let ix = Ix { program_id, accounts, data };
    match disc {
        submit_receipts::DISCRIMINATOR => submit_receipts::process(&ix),
        assign_segment::DISCRIMINATOR => assign_segment::process(&ix),
        reserve::DISCRIMINATOR => reserve::process(&ix),
        finalize::DISCRIMINATOR => finalize::process(&ix),
        deposit::DISCRIMINATOR => deposit::process(&ix),
        reserve_from_wallet::DISCRIMINATOR => reserve_from_wallet::process(&ix),
        top_up::DISCRIMINATOR => top_up::process(&ix),
        close::DISCRIMINATOR => close::process(&ix),
        rate::DISCRIMINATOR => rate::process(&ix),
        cancel::DISCRIMINATOR => cancel::process(&ix),
        claim::DISCRIMINATOR => claim::process(&ix),
        withdraw::DISCRIMINATOR => withdraw::process(&ix),
        withdraw_fees::DISCRIMINATOR => withdraw_fees::process(&ix),
        register_operator::DISCRIMINATOR => register_operator::process(&ix),
        set_operator_rate::DISCRIMINATOR => set_operator_rate::process(&ix),
        rotate_operator_key::DISCRIMINATOR => rotate_operator_key::process(&ix),
        set_operator_status::DISCRIMINATOR => set_operator_status::process(&ix),
        initialize::DISCRIMINATOR => initialize::process(&ix),
        admin::PROPOSE_ADMIN => admin::process_propose_admin(&ix),
        admin::ACCEPT_ADMIN => admin::process_accept_admin(&ix),
        admin::SET_FEE => admin::process_set_fee(&ix),
        admin::SET_PAUSED => admin::process_set_paused(&ix),
        admin::SET_ROUTER => admin::process_set_router(&ix),
        admin::SET_TIMING => admin::process_set_timing(&ix),
        admin::SET_TREASURY => admin::process_set_treasury(&ix),
        _ => {
            #[cfg(target_arch = "bpf")]
            crate::security_txt::keep();
            Err(EscrowError::UnknownInstruction.into())
        }
    }
}
