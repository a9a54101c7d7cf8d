//! `set_operator_rate(sku: [u8; 8], price: u64)`: sets the operator's price per work unit
//! for a SKU; a price of 0 removes the SKU from the rate card. Segments already assigned
//! keep the price pinned at assignment.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` operator

use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{is_valid_sku, load_mut, Operator, Rate},
    utils::{require_signer, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [74, 1, 135, 255, 40, 74, 239, 57];

/// The operator account, once `authority` is checked to be its signing authority.
#[inline(always)]
pub fn operator_of_authority<'a>(
    program_id: &Address,
    authority: &AccountView,
    operator: &'a AccountView,
) -> Result<&'a mut Operator, ProgramError> {
    require_signer(authority)?;
    let op = load_mut::<Operator>(operator, program_id)?;
    if &op.authority != authority.address() {
        return Err(EscrowError::WrongAuthority.into());
    }
    Ok(op)
}

#[inline(never)]
pub fn process(ix: &Ix) -> ProgramResult {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, operator, ..] = accounts else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    let mut args = DataReader::new(data);
    let sku = *args.bytes::<8>()?;
    let price = args.u64()?;
    args.finish()?;

    let op = operator_of_authority(program_id, authority, operator)?;
    if !is_valid_sku(&sku) {
        return Err(EscrowError::InvalidSku.into());
    }
    let count = op.rate_count as usize;
    let existing = op.rates[..count].iter().position(|r| r.sku == sku);
    match (existing, price) {
        (Some(i), 0) => {
            // Remove by moving the last entry into the hole (count >= 1: `i` was found).
            let last = count.saturating_sub(1);
            op.rates[i] = op.rates[last];
            op.rates[last] = Rate { sku: [0; 8], price: 0 };
            op.rate_count = last as u8;
        }
        (None, 0) => return Err(EscrowError::InvalidRate.into()),
        (Some(i), _) => op.rates[i].price = price,
        (None, _) => {
            if count == Operator::MAX_RATES {
                return Err(EscrowError::RateCardFull.into());
            }
            op.rates[count] = Rate { sku, price };
            op.rate_count = op.rate_count.saturating_add(1);
        }
    }
    events::operator_updated(operator.address(), op.status, &op.signing_key, op.rate_count);
    Ok(())
}
