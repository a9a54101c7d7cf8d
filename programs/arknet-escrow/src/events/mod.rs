//! Events in Anchor's encoding: `sha256("event:<Name>")[..8]` then the borsh fields,
//! written with `sol_log_data`, so Anchor's `EventParser` and indexers decode them
//! from the "Program data: " log lines.

use pinocchio::Address;

mod definitions;
pub use definitions::*;

/// A borsh writer over a fixed stack buffer (the program has no heap).
pub struct EventWriter<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> EventWriter<N> {
    #[inline(always)]
    pub fn new(discriminator: [u8; 8]) -> Self {
        let mut w = Self { buf: [0u8; N], len: 0 };
        w.bytes(&discriminator);
        w
    }

    /// Appends raw bytes. Buffers are sized for their event's largest encoding, so an
    /// overflow is a programming error and stops the instruction.
    #[inline(always)]
    #[allow(clippy::arithmetic_side_effects, reason = "bounded by the buffer: slicing past it stops the instruction")]
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
        self
    }

    #[inline(always)]
    pub fn address(&mut self, a: &Address) -> &mut Self {
        self.bytes(a.as_ref())
    }

    #[inline(always)]
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    #[inline(always)]
    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    #[inline(always)]
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    #[inline(always)]
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_le_bytes())
    }

    #[inline(always)]
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes(&[v])
    }

    /// Overwrites 8 bytes at `at` (a field whose value is known only at the end).
    #[inline(always)]
    #[allow(clippy::arithmetic_side_effects, reason = "constant offsets inside the buffer")]
    pub fn patch_u64(&mut self, at: usize, v: u64) {
        self.buf[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }

    #[inline(always)]
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Writes the event to the transaction log.
    #[inline(always)]
    pub fn emit(&self) {
        #[cfg(target_arch = "bpf")]
        {
            let slices: [&[u8]; 1] = [self.as_slice()];
            // SAFETY: `slices` is one valid (pointer, length) pair, the layout the
            // syscall reads.
            unsafe { pinocchio::syscalls::sol_log_data(slices.as_ptr() as *const u8, 1) };
        }
    }
}
