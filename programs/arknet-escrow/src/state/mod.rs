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
    // One pass: once a zero byte is seen, only zero bytes may follow.
    let mut ended = false;
    for &b in sku {
        if b == 0 {
            ended = true;
        } else if ended || !(0x21..=0x7e).contains(&b) {
            return false;
        }
    }
    sku[0] != 0
}

/// Two SKUs compared as one u64 (a `[u8; 8]` comparison is a byte loop or a memcmp call).
#[inline(always)]
pub fn sku_eq(a: &Sku, b: &Sku) -> bool {
    u64::from_le_bytes(*a) == u64::from_le_bytes(*b)
}

/// 32 bytes compared as four u64 words (`==` on arrays or addresses is a memcmp call).
#[inline(always)]
pub fn eq32(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let word = |x: &[u8; 32], at: core::ops::Range<usize>| u64::from_le_bytes(x[at].try_into().unwrap_or([0; 8]));
    (word(a, 0..8) ^ word(b, 0..8))
        | (word(a, 8..16) ^ word(b, 8..16))
        | (word(a, 16..24) ^ word(b, 16..24))
        | (word(a, 24..32) ^ word(b, 24..32))
        == 0
}
