//! Settlement arithmetic in plain u64. LLVM's upstream BPF backend has no u128
//! multiply/divide and no overflow-checked u64 multiply (both need libcalls), so wide
//! products are checked with one division instead.

/// `a * b`, or `None` when the product does not fit in a u64. Computed on 32-bit limbs:
/// LLVM folds the usual `(a * b) / a != b` check into `umul.with.overflow`, which the
/// BPF backend can only lower to the unsupported `__multi3` libcall.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects, reason = "limb products and quotients are bounded as commented")]
pub fn mul(a: u64, b: u64) -> Option<u64> {
    // Common case first: both factors below 2^32, the product fits.
    if (a | b) >> 32 == 0 {
        return Some(a * b);
    }
    let (a_hi, a_lo) = (a >> 32, a & 0xffff_ffff);
    let (b_hi, b_lo) = (b >> 32, b & 0xffff_ffff);
    if a_hi != 0 && b_hi != 0 {
        return None;
    }
    // At most one of the two cross products is non-zero, and each is < 2^64.
    let cross = a_hi * b_lo + a_lo * b_hi;
    if cross > 0xffff_ffff {
        return None;
    }
    (cross << 32).checked_add(a_lo * b_lo)
}

/// `a + b`, or u64::MAX when it overflows. When both are below 2^63 the sum fits: one OR
/// and one signed compare decide it, and only larger values take the exact saturating
/// add out of line. (`a + b < a`, or `saturating_add` itself, becomes an overflow
/// intrinsic that the BPF backend lowers to a materialised flag: 7-8 instructions.)
#[inline(always)]
pub fn sat_add(a: u64, b: u64) -> u64 {
    if ((a | b) as i64) >= 0 { a.wrapping_add(b) } else { sat_add_large(a, b) }
}

/// `sat_add` of operands of which one is at least 2^63: the rare path, out of line.
#[cold]
#[inline(never)]
fn sat_add_large(a: u64, b: u64) -> u64 {
    a.saturating_add(b)
}

/// `a - b`, or 0 when `b > a` (same reason as `sat_add`).
#[inline(always)]
pub fn sat_sub(a: u64, b: u64) -> u64 {
    if b <= a { a.wrapping_sub(b) } else { saturated(0) }
}

/// The saturated value, out of line and cold: the rare path of `sat_add`/`sat_sub`.
#[cold]
#[inline(never)]
fn saturated(v: u64) -> u64 {
    core::hint::black_box(v)
}

/// The charge for `units` more work units at `price`, never above `remaining` (what is
/// left of the max burn). Returns the charge and whether it was capped.
#[inline(always)]
pub fn capped_cost(units: u64, price: u64, remaining: u64) -> (u64, bool) {
    match mul(units, price) {
        Some(cost) if cost <= remaining => (cost, false),
        // An overflowing product is above any u64 `remaining`.
        _ => (remaining, true),
    }
}

/// `floor(amount * bps / 10_000)` without a 128-bit product. Exact for every u64 amount
/// and every bps <= 10_000: amount = q * 10_000 + r, so amount * bps / 10_000 =
/// q * bps + r * bps / 10_000, and r * bps < 10^8 fits easily.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects, reason = "limb products and quotients are bounded as commented")]
pub fn fee_of(amount: u64, bps: u16) -> u64 {
    let bps = bps as u64;
    let q = amount / 10_000;
    let r = amount % 10_000;
    q * bps + (r * bps) / 10_000
}

/// The fee on raising a segment's charged total from `before` to `after` (`before <=
/// after`): `fee_of(after) - fee_of(before)`, so the fees of a segment's receipts add up
/// to the fee of its total however the work was split. Below 2^50 tokens (every real
/// amount) `amount * bps` fits a u64 (bps <= 10 000 < 2^14): two multiplies and two
/// divides; larger totals take the exact limb arithmetic of `fee_of` out of line.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects, reason = "after < 2^50 and bps < 2^14: the products fit; fee_of is monotonic")]
pub fn fee_delta(before: u64, after: u64, bps: u16) -> u64 {
    if after >> 50 == 0 {
        let bps = bps as u64;
        (after * bps) / 10_000 - (before * bps) / 10_000
    } else {
        fee_delta_large(before, after, bps)
    }
}

#[cold]
#[inline(never)]
fn fee_delta_large(before: u64, after: u64, bps: u16) -> u64 {
    fee_of(after, bps).wrapping_sub(fee_of(before, bps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_detects_overflow() {
        assert_eq!(mul(u64::MAX, 1), Some(u64::MAX));
        assert_eq!(mul(u64::MAX, 2), None);
        assert_eq!(mul(0, u64::MAX), Some(0));
        assert_eq!(mul(1 << 32, 1 << 32), None);
        assert_eq!(mul((1 << 32) - 1, 1 << 32), Some(((1u64 << 32) - 1) << 32));
        // Exhaustive-ish cross-check against 128-bit math at the limb boundaries.
        let edges = [0u64, 1, 2, 3, 0xffff_ffff, 1 << 32, (1 << 32) + 1, u64::MAX / 3, u64::MAX / 2, u64::MAX - 1, u64::MAX];
        for &a in &edges {
            for &b in &edges {
                let wide = a as u128 * b as u128;
                let expected = if wide > u64::MAX as u128 { None } else { Some(wide as u64) };
                assert_eq!(mul(a, b), expected, "{a} * {b}");
            }
        }
    }

    #[test]
    fn sat_add_and_sat_sub_saturate() {
        assert_eq!(sat_add(1, 2), 3);
        assert_eq!(sat_add(u64::MAX - 1, 1), u64::MAX);
        assert_eq!(sat_add(u64::MAX - 1, 2), u64::MAX);
        assert_eq!(sat_add(u64::MAX, u64::MAX), u64::MAX);
        // Around the 2^63 split between the inline and the out-of-line path.
        let edges = [0u64, 1, (1 << 63) - 1, 1 << 63, (1 << 63) + 1, u64::MAX - 1, u64::MAX];
        for &a in &edges {
            for &b in &edges {
                assert_eq!(sat_add(a, b), a.saturating_add(b), "{a} + {b}");
            }
        }
        assert_eq!(sat_sub(5, 3), 2);
        assert_eq!(sat_sub(3, 3), 0);
        assert_eq!(sat_sub(3, 5), 0);
        assert_eq!(sat_sub(0, u64::MAX), 0);
    }

    #[test]
    fn capped_cost_never_exceeds_remaining() {
        assert_eq!(capped_cost(10, 7, 100), (70, false));
        assert_eq!(capped_cost(10, 7, 69), (69, true));
        assert_eq!(capped_cost(u64::MAX, u64::MAX, 5), (5, true));
        assert_eq!(capped_cost(0, u64::MAX, 5), (0, false));
    }

    #[test]
    fn fee_matches_wide_math() {
        let amounts = [0u64, 1, 9_999, 10_000, 10_001, 123_456_789, u64::MAX - 1, u64::MAX];
        for &a in &amounts {
            for bps in [0u16, 1, 30, 999, 1000, 10_000] {
                let wide = (a as u128 * bps as u128 / 10_000) as u64;
                assert_eq!(fee_of(a, bps), wide, "amount {a} bps {bps}");
            }
        }
    }

    #[test]
    fn fee_delta_is_the_difference_of_fees() {
        let amounts = [0u64, 1, 9_999, 10_000, 10_001, 123_456_789, (1 << 50) - 1, 1 << 50, (1 << 50) + 1, u64::MAX - 1, u64::MAX];
        for &before in &amounts {
            for &after in amounts.iter().filter(|&&a| a >= before) {
                for bps in [0u16, 1, 30, 999, 1000, 10_000] {
                    let wide = |x: u64| (x as u128 * bps as u128 / 10_000) as u64;
                    assert_eq!(fee_delta(before, after, bps), wide(after) - wide(before), "{before}..{after} bps {bps}");
                }
            }
        }
    }
}
