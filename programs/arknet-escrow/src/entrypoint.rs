//! Entrypoint and dispatch: the 8-byte Anchor instruction discriminator selects one
//! processor (one file per instruction under `instructions/`).

use crate::errors::Result;
use pinocchio::{AccountView, Address};

use crate::{errors::EscrowError, instructions::*};

#[cfg(target_arch = "bpf")]
mod bpf {
    use core::mem::{size_of, MaybeUninit};

    use pinocchio::{
        account::{AccountView, RuntimeAccount, MAX_PERMITTED_DATA_INCREASE},
        entrypoint::NON_DUP_MARKER,
        Address, SUCCESS,
    };

    pinocchio::no_allocator!();
    pinocchio::nostd_panic_handler!();

    /// No instruction takes more accounts; any beyond are skipped, as pinocchio's do.
    const MAX_ACCOUNTS: usize = 16;
    /// An account's fixed part in the input buffer: header, realloc room, rent epoch.
    const STATIC_ACCOUNT_DATA: usize = size_of::<RuntimeAccount>() + MAX_PERMITTED_DATA_INCREASE + size_of::<u64>();

    /// The program's entrypoint: the runtime's serialized input (accounts, instruction
    /// data, program id) parsed in one loop. pinocchio's `program_entrypoint!` unrolls
    /// this loop sixteen times over (about 3.5 KB of the program); the loop costs a few
    /// CU per account more.
    ///
    /// # Safety
    /// `input` is the input buffer the runtime serialized (the loader's ABI).
    #[no_mangle]
    pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
        const UNINIT: MaybeUninit<AccountView> = MaybeUninit::uninit();
        let mut accounts = [UNINIT; MAX_ACCOUNTS];
        let slots = accounts.as_mut_ptr();
        let total = *(input as *const u64) as usize;
        let count = total.min(MAX_ACCOUNTS);
        let mut cursor = input.add(size_of::<u64>());
        let mut index = 0;
        while index < total {
            // A duplicate is one byte naming the earlier account, then 7 bytes of padding.
            let marker = *cursor;
            if marker == NON_DUP_MARKER {
                let account = cursor as *mut RuntimeAccount;
                let next = cursor as usize + STATIC_ACCOUNT_DATA + (*account).data_len as usize;
                cursor = ((next + 7) & !7) as *mut u8;
                if index < count {
                    (*slots.add(index)).write(AccountView::new_unchecked(account));
                }
            } else {
                cursor = cursor.add(size_of::<u64>());
                if index < count {
                    // The runtime only names an earlier account (written above) as the
                    // duplicate; anything else is refused rather than read.
                    if marker as usize >= index {
                        return u64::from(pinocchio::error::ProgramError::InvalidAccountData);
                    }
                    let view = (*slots.add(marker as usize)).assume_init_read();
                    (*slots.add(index)).write(view);
                }
            }
            index += 1;
        }
        let data_len = *(cursor as *const u64) as usize;
        let data = core::slice::from_raw_parts(cursor.add(size_of::<u64>()), data_len);
        let program_id = &*(cursor.add(size_of::<u64>() + data_len) as *const Address);
        // SAFETY: the first `count` entries were written above.
        let accounts = core::slice::from_raw_parts_mut(accounts.as_mut_ptr() as *mut AccountView, count);
        match super::process_instruction(program_id, accounts, data) {
            Ok(()) => SUCCESS,
            Err(e) => e.code(),
        }
    }
}

// Every discriminator as the little-endian u64 the dispatch compares.
const D_SUBMIT_RECEIPTS: u64 = u64::from_le_bytes(submit_receipts::DISCRIMINATOR);
const D_ASSIGN_SEGMENT: u64 = u64::from_le_bytes(assign_segment::DISCRIMINATOR);
const D_RESERVE: u64 = u64::from_le_bytes(reserve::DISCRIMINATOR);
const D_FINALIZE: u64 = u64::from_le_bytes(finalize::DISCRIMINATOR);
const D_DEPOSIT: u64 = u64::from_le_bytes(deposit::DISCRIMINATOR);
const D_RESERVE_FROM_WALLET: u64 = u64::from_le_bytes(reserve_from_wallet::DISCRIMINATOR);
const D_TOP_UP: u64 = u64::from_le_bytes(top_up::DISCRIMINATOR);
const D_CLOSE: u64 = u64::from_le_bytes(close::DISCRIMINATOR);
const D_RATE: u64 = u64::from_le_bytes(rate::DISCRIMINATOR);
const D_CANCEL: u64 = u64::from_le_bytes(cancel::DISCRIMINATOR);
const D_CLAIM: u64 = u64::from_le_bytes(claim::DISCRIMINATOR);
const D_WITHDRAW: u64 = u64::from_le_bytes(withdraw::DISCRIMINATOR);
const D_WITHDRAW_FEES: u64 = u64::from_le_bytes(withdraw_fees::DISCRIMINATOR);
const D_REGISTER_OPERATOR: u64 = u64::from_le_bytes(register_operator::DISCRIMINATOR);
const D_SET_OPERATOR_RATE: u64 = u64::from_le_bytes(set_operator_rate::DISCRIMINATOR);
const D_ROTATE_OPERATOR_KEY: u64 = u64::from_le_bytes(rotate_operator_key::DISCRIMINATOR);
const D_SET_OPERATOR_STATUS: u64 = u64::from_le_bytes(set_operator_status::DISCRIMINATOR);
const D_INITIALIZE: u64 = u64::from_le_bytes(initialize::DISCRIMINATOR);
const D_PROPOSE_ADMIN: u64 = u64::from_le_bytes(admin::PROPOSE_ADMIN);
const D_ACCEPT_ADMIN: u64 = u64::from_le_bytes(admin::ACCEPT_ADMIN);
const D_SET_FEE: u64 = u64::from_le_bytes(admin::SET_FEE);
const D_SET_PAUSED: u64 = u64::from_le_bytes(admin::SET_PAUSED);
const D_SET_ROUTER: u64 = u64::from_le_bytes(admin::SET_ROUTER);
const D_SET_TIMING: u64 = u64::from_le_bytes(admin::SET_TIMING);
const D_SET_TREASURY: u64 = u64::from_le_bytes(admin::SET_TREASURY);

/// Routes an instruction to its processor: LLVM turns the u64 match into a binary
/// search of compares. Inlined into the entrypoint: with a slice pair and the result
/// pointer it would need six argument registers, and BPF has five.
#[inline(always)]
pub fn process_instruction(
    program_id: &Address,
    accounts: &mut [AccountView],
    instruction_data: &[u8],
) -> Result {
    let Some((disc, data)) = instruction_data.split_first_chunk::<8>() else {
        return Err(EscrowError::UnknownInstruction.into());
    };
    let ix = Ix { program_id, accounts, data };
    // One u64 compare per arm (a byte array match compares byte by byte).
    match u64::from_le_bytes(*disc) {
        D_SUBMIT_RECEIPTS => submit_receipts::process(&ix),
        D_ASSIGN_SEGMENT => assign_segment::process(&ix),
        D_RESERVE => reserve::process(&ix),
        D_FINALIZE => finalize::process(&ix),
        D_DEPOSIT => deposit::process(&ix),
        D_RESERVE_FROM_WALLET => reserve_from_wallet::process(&ix),
        D_TOP_UP => top_up::process(&ix),
        D_CLOSE => close::process(&ix),
        D_RATE => rate::process(&ix),
        D_CANCEL => cancel::process(&ix),
        D_CLAIM => claim::process(&ix),
        D_WITHDRAW => withdraw::process(&ix),
        D_WITHDRAW_FEES => withdraw_fees::process(&ix),
        D_REGISTER_OPERATOR => register_operator::process(&ix),
        D_SET_OPERATOR_RATE => set_operator_rate::process(&ix),
        D_ROTATE_OPERATOR_KEY => rotate_operator_key::process(&ix),
        D_SET_OPERATOR_STATUS => set_operator_status::process(&ix),
        D_INITIALIZE => initialize::process(&ix),
        D_PROPOSE_ADMIN => admin::process_propose_admin(&ix),
        D_ACCEPT_ADMIN => admin::process_accept_admin(&ix),
        D_SET_FEE => admin::process_set_fee(&ix),
        D_SET_PAUSED => admin::process_set_paused(&ix),
        D_SET_ROUTER => admin::process_set_router(&ix),
        D_SET_TIMING => admin::process_set_timing(&ix),
        D_SET_TREASURY => admin::process_set_treasury(&ix),
        _ => {
            #[cfg(target_arch = "bpf")]
            crate::security_txt::keep();
            Err(EscrowError::UnknownInstruction.into())
        }
    }
}
