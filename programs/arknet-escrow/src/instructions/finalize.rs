//! `finalize(reason: u8)`: settles an execution. The router may finalize at any time and
//! says why it ended (1 completed, 2 preempted, 3 failed, 4 expired): a spot preemption
//! refunds whatever the receipts do not prove. The buyer may finalize from expiry plus
//! the settlement window, anyone from expiry plus the grace, both with reason 4
//! (expired): operators always have the settlement window to land receipts for work
//! already done, and a buyer always gets the unused escrow back even if the router and
//! every operator vanish. Returns max burn - consumed to the buyer's available balance
//! and leaves the execution as the bill, settled and read-only, for the review window
//! (`rate`, then `close`). Writes no deployment-wide account, and not the rent payer.
//!
//! Accounts:
//! 0. `[signer]` authority: router, buyer or anyone (see above)
//! 1. `[writable]` execution
//! 2. `[writable]` balance: the execution buyer's
//!
//! With reason 1 (completed), every operator paid in the execution follows as a further
//! writable account (once each, any order): its `executions_completed` counts the job.

use crate::errors::{refuse, Error, Result};
use pinocchio::{
    sysvars::{clock::Clock, Sysvar},
    AccountView, Address,
};

use pinocchio::address::address_eq;
use crate::{
    errors::EscrowError,
    events,
    math::sat_add,
    instructions::Ix,
    state::{load_mut, Balance, Execution, Operator},
    utils::{add, require_signer, sub, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [171, 61, 218, 56, 127, 115, 12, 217];

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, execution, balance, operators @ ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
    };
    let mut args = DataReader::new(data);
    let reason = args.u8()?;
    args.finish()?;
    require_signer(authority)?;
    let e = load_mut::<Execution>(execution, program_id)?;
    let bal = load_mut::<Balance>(balance, program_id)?;
    let now = Clock::get()?.unix_timestamp;
    check_finalize(e, authority.address(), reason, now)?;
    if reason == Execution::END_COMPLETED {
        count_completed(program_id, e, operators)?;
    }
    settle(&Settled { execution, by: authority.address(), reason, now }, e, bal)
}

/// Who may finalize when, and with which reason.
#[inline(always)]
fn check_finalize(e: &Execution, signer: &Address, reason: u8, now: i64) -> Result {
    if address_eq(signer, &e.router) {
        return match reason {
            Execution::END_COMPLETED | Execution::END_PREEMPTED | Execution::END_FAILED => Ok(()),
            Execution::END_EXPIRED if now >= e.expires_at => Ok(()),
            _ => Err(refuse(EscrowError::InvalidEndReason)),
        };
    }
    if reason != Execution::END_EXPIRED {
        return Err(refuse(EscrowError::InvalidEndReason));
    }
    let wait = if address_eq(signer, &e.buyer) { e.settlement_window_secs } else { e.grace_secs };
    let from = e.expires_at.saturating_add(wait.min(i64::MAX as u64) as i64);
    if now < from {
        return Err(refuse(EscrowError::FinalizeNotAllowed));
    }
    Ok(())
}

/// Adds the completed job to every operator paid in `e` (each once).
#[inline(never)]
fn count_completed(program_id: &Address, e: &Execution, operators: &[AccountView]) -> Result {
    // Bit j set: operators[j] was counted. A paid operator's account is the first one
    // with its address, so an operator with several segments maps to one bit (the
    // entrypoint passes at most 16 accounts: j < 16).
    let mut counted: u64 = 0;
    for seg in &e.segments[..e.segment_count as usize] {
        if seg.charged == 0 {
            continue;
        }
        let (j, view) = operators
            .iter()
            .enumerate()
            .find(|(_, v)| address_eq(v.address(), &seg.operator))
            .ok_or_else(|| refuse(EscrowError::OperatorAccountMissing))?;
        let bit = 1u64.wrapping_shl(j as u32);
        if counted & bit != 0 {
            continue;
        }
        counted |= bit;
        let op = load_mut::<Operator>(view, program_id)?;
        op.executions_completed = sat_add(op.executions_completed, 1);
    }
    Ok(())
}

/// How an execution is being settled.
pub struct Settled<'a> {
    pub execution: &'a AccountView,
    pub by: &'a Address,
    pub reason: u8,
    pub now: i64,
}

/// Refunds the unused max burn to the buyer's balance, marks the execution settled and
/// emits the bill (shared with `cancel`).
#[inline(always)]
pub fn settle(s: &Settled, e: &mut Execution, bal: &mut Balance) -> Result {
    if !e.is_open() {
        return Err(refuse(EscrowError::ExecutionSettled));
    }
    if !address_eq(&bal.buyer, &e.buyer) {
        return Err(refuse(EscrowError::WrongBuyer));
    }
    if !address_eq(&bal.config, &e.config) {
        return Err(refuse(EscrowError::WrongDeployment));
    }
    let refund = e.remaining();
    bal.available = add(bal.available, refund)?;
    bal.reserved = sub(bal.reserved, e.max_burn, EscrowError::ArithmeticOverflow)?;
    e.status = Execution::STATUS_SETTLED;
    e.end_reason = s.reason;
    e.settled_at = s.now;
    events::execution_finalized(s.execution.address(), e, refund, s.by);
    Ok(())
}
