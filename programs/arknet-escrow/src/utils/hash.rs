//! sha256 over several byte strings, written to an out-parameter. On-chain this is the
//! `sol_sha256` syscall called directly: `solana_sha256_hasher::hashv` (and
//! `Address::derive_address`, built on it) returns its 32-byte hash by value from an
//! out-of-line function, and under the upstream BPF backend the call passed a wrong
//! slice length to the syscall ("Hashing 500000 sequences ... is over the limit").

use pinocchio::Address;

/// `sha256(parts[0] || parts[1] || ...)` into `out`.
#[inline(always)]
pub fn sha256v(parts: &[&[u8]], out: &mut [u8; 32]) {
    #[cfg(target_arch = "bpf")]
    // SAFETY: `parts` is a slice of (pointer, length) pairs, the layout sol_sha256 reads,
    // and `out` has room for the 32-byte result.
    unsafe {
        pinocchio::syscalls::sol_sha256(parts.as_ptr() as *const u8, parts.len() as u64, out.as_mut_ptr());
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        *out = solana_sha256_hasher::hashv(parts).to_bytes();
    }
}

/// Marker the runtime appends when deriving program addresses.
const PDA_MARKER: &[u8] = b"ProgramDerivedAddress";

/// True when `address` is `sha256(seeds || [bump] || program_id || PDA_MARKER)`: the
/// address `seeds` and `bump` derive, without the 1,500-CU `create_program_address`
/// (the system program refuses to create it unless it is also off-curve).
#[inline(always)]
pub fn is_derived_address(address: &Address, seeds: &[&[u8]; 3], bump: &[u8; 1], program_id: &Address) -> bool {
    let parts: [&[u8]; 6] = [seeds[0], seeds[1], seeds[2], bump, program_id.as_ref(), PDA_MARKER];
    let mut hash = [0u8; 32];
    sha256v(&parts, &mut hash);
    address.as_ref() == hash.as_slice()
}
