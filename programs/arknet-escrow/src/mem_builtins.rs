//! memcpy/memmove/memset/memcmp/bcmp through the runtime's memory syscalls.
//!
//! LLVM lowers every 32-byte address comparison (`Address == Address`, `owned_by`) and
//! every variable-length copy to these libcalls, and sbpf-linker's fallback
//! implementations are byte loops: about 200 CU to compare two equal addresses. The
//! syscalls cost 10 CU plus one per 250 bytes. Strong definitions here replace the
//! linker's weak ones.

use pinocchio::syscalls::{sol_memcmp_, sol_memcpy_, sol_memmove_, sol_memset_};

#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    sol_memcpy_(dst, src, n as u64);
    dst
}

#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    sol_memmove_(dst, src, n as u64);
    dst
}

#[no_mangle]
pub unsafe extern "C" fn memset(s: *mut u8, c: i32, n: usize) -> *mut u8 {
    sol_memset_(s, c as u8, n as u64);
    s
}

#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut result = 0i32;
    sol_memcmp_(a, b, n as u64, &mut result);
    result
}

#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    memcmp(a, b, n)
}
