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

/// True when `sku` is 1 to 8 printable ASCII bytes followed only by zero bytes. Checked
/// on the eight bytes at once (a byte loop costs ~60 CU per SKU): with every high bit
/// clear, adding 0x7f, 0x5f or 0x01 to each byte's low seven bits never carries into the
/// next byte, so each sum's high bit answers "non-zero", ">= 0x21" and "> 0x7e" per byte.
#[inline(always)]
pub fn is_valid_sku(sku: &Sku) -> bool {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let v = u64::from_le_bytes(*sku);
    if v & HIGH != 0 || v & 0xff == 0 {
        return false;
    }
    let nonzero = (v.wrapping_add(LOW) | v) & HIGH;
    // The non-zero bytes must be a prefix (the low bytes): their mask is 0..01..1.
    let mask = (nonzero >> 7).wrapping_mul(0xff);
    let printable_from = v.wrapping_add(0x5f5f_5f5f_5f5f_5f5f) & HIGH; // byte >= 0x21
    let past_tilde = v.wrapping_add(0x0101_0101_0101_0101) & HIGH; // byte > 0x7e
    mask & mask.wrapping_add(1) == 0 && printable_from & nonzero == nonzero && past_tilde & nonzero == 0
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte definition the word check must equal.
    fn reference(sku: &Sku) -> bool {
        let len = sku.iter().position(|b| *b == 0).unwrap_or(8);
        len > 0 && sku[..len].iter().all(|b| (0x21..=0x7e).contains(b)) && sku[len..].iter().all(|b| *b == 0)
    }

    #[test]
    fn word_sku_check_matches_the_byte_definition() {
        let bytes = [0u8, 1, 0x20, 0x21, 0x41, 0x7e, 0x7f, 0x80, 0xff];
        let mut seed = 0x1234_5678_9abc_def0u64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut sku = [0u8; 8];
            let len = (seed % 9) as usize;
            for (i, b) in sku.iter_mut().enumerate() {
                let pick = bytes[((seed >> (8 + 4 * i)) % bytes.len() as u64) as usize];
                *b = if i < len { pick } else if (seed >> 60) == 0 { pick } else { 0 };
            }
            assert_eq!(is_valid_sku(&sku), reference(&sku), "{sku:?}");
        }
        for code in [b"H100\0\0\0\0", b"RTX5090\0", b"ABCDEFGH", b"~~~~~~~~"] {
            assert!(is_valid_sku(code));
        }
        for code in [b"\0\0\0\0\0\0\0\0", b"H 100\0\0\0", b"H\0100\0\0\0", b"H\x7f\0\0\0\0\0\0"] {
            assert!(!is_valid_sku(code));
        }
    }
}
