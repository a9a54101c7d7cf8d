//! ArkNet Escrow: pay-per-execution GPU compute escrow.
//!
//! A buyer escrows the max burn of an execution; GPU operators sign cumulative,
//! kernel-metered receipts; the program pays operators exactly what the receipts prove
//! (never more than the max burn), takes the protocol fee and returns the rest to the
//! buyer when the execution is finalized. See docs/protocol.md.
#![cfg_attr(target_arch = "bpf", no_std)]
#![allow(clippy::missing_safety_doc)]
// Every arithmetic operation is checked, saturating or carries a reasoned allow:
// `scripts/lint-program.sh` runs clippy with this lint as an error in CI.
#![deny(clippy::arithmetic_side_effects)]

pub mod entrypoint;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod math;
pub mod receipt;
pub mod state;
pub mod utils;

#[cfg(target_arch = "bpf")]
mod mem_builtins;
#[cfg(target_arch = "bpf")]
mod security_txt;

use pinocchio::Address;

/// The program's address on every cluster (the address in the IDL). The program itself
/// uses the runtime's `program_id`, so a local deployment at another address works too.
pub const ID: Address = Address::from_str_const("2MGC8hzjwH7vw1DbtjpxNLgmhfQFBPjFhGZbN2wdDPi9");

