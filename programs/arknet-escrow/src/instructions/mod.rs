//! One module per instruction (the admin setters share `admin`). Each documents its
//! accounts in order and its borsh arguments; `idl/arknet_escrow.json` mirrors them.

use pinocchio::{AccountView, Address};

pub mod admin;
pub mod assign_segment;
pub mod cancel;
pub mod claim;
pub mod close;
pub mod deposit;
pub mod finalize;
pub mod initialize;
pub mod rate;
pub mod register_operator;
pub mod reserve;
pub mod reserve_from_wallet;
pub mod rotate_operator_key;
pub mod set_operator_rate;
pub mod set_operator_status;
pub mod submit_receipts;
pub mod top_up;
pub mod withdraw;
pub mod withdraw_fees;

/// Every instruction's (name, discriminator), checked against sha256 and the IDL.
pub const ALL_INSTRUCTIONS: [(&str, [u8; 8]); 25] = [
    ("initialize", initialize::DISCRIMINATOR),
    ("propose_admin", admin::PROPOSE_ADMIN),
    ("accept_admin", admin::ACCEPT_ADMIN),
    ("set_fee", admin::SET_FEE),
    ("set_paused", admin::SET_PAUSED),
    ("set_router", admin::SET_ROUTER),
    ("set_timing", admin::SET_TIMING),
    ("set_treasury", admin::SET_TREASURY),
    ("register_operator", register_operator::DISCRIMINATOR),
    ("set_operator_status", set_operator_status::DISCRIMINATOR),
    ("rotate_operator_key", rotate_operator_key::DISCRIMINATOR),
    ("set_operator_rate", set_operator_rate::DISCRIMINATOR),
    ("deposit", deposit::DISCRIMINATOR),
    ("withdraw", withdraw::DISCRIMINATOR),
    ("reserve", reserve::DISCRIMINATOR),
    ("reserve_from_wallet", reserve_from_wallet::DISCRIMINATOR),
    ("top_up", top_up::DISCRIMINATOR),
    ("assign_segment", assign_segment::DISCRIMINATOR),
    ("submit_receipts", submit_receipts::DISCRIMINATOR),
    ("finalize", finalize::DISCRIMINATOR),
    ("cancel", cancel::DISCRIMINATOR),
    ("rate", rate::DISCRIMINATOR),
    ("close", close::DISCRIMINATOR),
    ("claim", claim::DISCRIMINATOR),
    ("withdraw_fees", withdraw_fees::DISCRIMINATOR),
];

/// One instruction as the runtime hands it over. Processors take it by reference: the
/// BPF backend passes at most five arguments in registers, counting a slice as two and
/// the hidden pointer a `Result` is returned through as one.
#[derive(Clone, Copy)]
pub struct Ix<'a> {
    pub program_id: &'a Address,
    pub accounts: &'a [AccountView],
    pub data: &'a [u8],
}
