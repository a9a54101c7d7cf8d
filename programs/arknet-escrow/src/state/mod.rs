//! Account layouts. Every account is an 8-byte Anchor discriminator
//! (`sha256("account:<Name>")[..8]`) followed by a `#[repr(C)]` struct whose fields are
//! laid out without padding, so the bytes are exactly the borsh encoding the IDL
//! describes and the program reads them in place (zero copy).

mod account;
mod balance;
mod config;
mod execution;
mod operator;

pub use account::*;
pub use balance::*;
pub use config::*;
pub use execution::*;
pub use operator::*;

/// A GPU SKU code: up to 8 printable ASCII bytes, zero padded ("H100", "A100", "RTX5090").
pub type Sku = [u8; 8];

/// True when `sku` is 1 to 8 printable ASCII bytes followed only by zero bytes.
#[inline]
pub fn is_valid_sku(sku: &Sku) -> bool {
    let len = sku.iter().position(|b| *b == 0).unwrap_or(sku.len());
    len > 0
        && sku[..len].iter().all(|b| (0x21..=0x7e).contains(b))
        && sku[len..].iter().all(|b| *b == 0)
}
