//! `set_operator_rate(sku: [u8; 8], price: u64)`: sets the operator's price per work unit
//! for a SKU; a price of 0 withdraws the SKU from sale (its line keeps the SKU's
//! statistics until a new SKU needs the line). Segments already assigned keep the price
//! pinned at assignment.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` operator

use crate::utils::same_address;
use crate::errors::{Error, Result};
use pinocchio::{AccountView, Address};

use crate::{
    instructions::Ix,
    errors::EscrowError,
    events,
    state::{is_valid_sku, load_mut, sku_eq, Operator, Rate},
    utils::{require_signer, DataReader},
};

pub const DISCRIMINATOR: [u8; 8] = [74, 1, 135, 255, 40, 74, 239, 57];

/// The operator account, once `authority` is checked to be its signing authority.
#[inline(always)]
pub fn operator_of_authority<'a>(
    program_id: &Address,
    authority: &AccountView,
    operator: &'a AccountView,
) -> Result<&'a mut Operator> {
    require_signer(authority)?;
    let op = load_mut::<Operator>(operator, program_id)?;
    if !same_address(&op.authority, authority.address()) {
        return Err(EscrowError::WrongAuthority.into());
    }
    Ok(op)
}

#[inline(never)]
pub fn process(ix: &Ix) -> Result {
    let Ix { program_id, accounts, data } = *ix;
    let [authority, operator, ..] = accounts else {
        return Err(Error::NOT_ENOUGH_ACCOUNT_KEYS);
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
    if let Some(line) = op.rates[..count].iter_mut().find(|r| sku_eq(&r.sku, &sku)) {
        if price == 0 && line.price == 0 {
            return Err(EscrowError::InvalidRate.into());
        }
        line.price = price;
    } else if price == 0 {
        return Err(EscrowError::InvalidRate.into());
    } else if count < Operator::MAX_RATES {
        op.rates[count] = Rate { sku, price, units_served: 0, tokens_served: 0 };
        op.rate_count = op.rate_count.saturating_add(1);
    } else {
        // A full card: the new SKU takes the line of a SKU no longer offered.
        let line = op.rates.iter_mut().find(|r| r.price == 0).ok_or(EscrowError::RateCardFull)?;
        *line = Rate { sku, price, units_served: 0, tokens_served: 0 };
    }
    events::operator_updated(operator.address(), op.status, &op.signing_key, op.rate_count);
    Ok(())
}
