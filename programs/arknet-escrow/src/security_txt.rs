//! security.txt embedded in the binary (the `solana-security-txt` format: begin marker,
//! NUL-separated key/value pairs, end marker), so explorers and auditors find who to
//! contact from the program account alone.
//!
//! sbpf-linker keeps only `.text` and `.rodata` and drops every global no code reaches
//! (a `#[link_section = ".security.txt"]` static vanishes). The blob is therefore an
//! ordinary static that `keep` reads with a volatile load on the unknown-instruction
//! path: the load cannot be optimised away, so the whole array lands in `.rodata`, at no
//! cost to any real instruction.

static SECURITY_TXT: [u8; BLOB.len()] = to_array(BLOB);

const BLOB: &[u8] = b"=======BEGIN SECURITY.TXT V1=======\0\
name\0ArkNet Escrow\0\
project_url\0https://arknet.example/escrow\0\
contacts\0email:security@arknet.example\0\
policy\0https://arknet.example/escrow/SECURITY.md\0\
preferred_languages\0en\0\
source_code\0https://arknet.example/escrow/source\0\
auditors\0None yet: see docs/security.md for the threat model and the attack test suite\0\
=======END SECURITY.TXT V1=======\0";

const fn to_array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// Keeps the blob in the linked program (see the module doc).
#[inline(always)]
pub fn keep() {
    // SAFETY: a one-byte read inside a static array.
    unsafe { core::ptr::read_volatile(SECURITY_TXT.as_ptr()) };
}
