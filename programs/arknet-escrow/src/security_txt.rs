//! security.txt embedded in the binary (the `solana-security-txt` format), so explorers
//! and auditors find who to contact from the program account alone.

#[used]
#[no_mangle]
#[link_section = ".security.txt"]
pub static security_txt: [u8; SECURITY_TXT.len()] = to_array(SECURITY_TXT);

const SECURITY_TXT: &[u8] = b"=======BEGIN SECURITY.TXT V1=======\0\
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
