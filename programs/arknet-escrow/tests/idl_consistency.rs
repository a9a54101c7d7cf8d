//! The IDL (`idl/arknet_escrow.json`) and the program must describe the same bytes: this
//! test fails when a discriminator, an account layout, an instruction or an error drifts.

use std::mem::size_of;

use arknet_escrow::{
    errors::EscrowError,
    events::ALL_EVENTS,
    instructions::ALL_INSTRUCTIONS,
    state::{Balance, Config, Execution, Operator, ProgramAccount},
};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn idl() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../idl/arknet_escrow.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read IDL")).expect("parse IDL")
}

fn disc(preimage: &str) -> [u8; 8] {
    Sha256::digest(preimage.as_bytes())[..8].try_into().unwrap()
}

fn json_disc(v: &Value) -> [u8; 8] {
    let bytes: Vec<u8> = v["discriminator"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
    bytes.try_into().unwrap()
}

fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|x| x["name"] == name).unwrap_or_else(|| panic!("{name} not in IDL"))
}

/// Byte size of an IDL type (fixed-size types only).
fn type_size(idl: &Value, ty: &Value) -> usize {
    if let Some(s) = ty.as_str() {
        return match s {
            "u8" | "i8" | "bool" => 1,
            "u16" | "i16" => 2,
            "u32" | "i32" => 4,
            "u64" | "i64" => 8,
            "u128" | "i128" => 16,
            "pubkey" => 32,
            other => panic!("variable-size type {other} in an account"),
        };
    }
    if let Some(arr) = ty.get("array") {
        return type_size(idl, &arr[0]) * arr[1].as_u64().unwrap() as usize;
    }
    if let Some(def) = ty.get("defined") {
        let t = named(&idl["types"], def["name"].as_str().unwrap());
        return t["type"]["fields"].as_array().unwrap().iter().map(|f| type_size(idl, &f["type"])).sum();
    }
    panic!("unsupported type {ty}")
}

fn check_account<T: ProgramAccount>(idl: &Value, name: &str) {
    assert_eq!(T::DISCRIMINATOR, disc(&format!("account:{name}")), "{name} discriminator vs sha256");
    assert_eq!(T::DISCRIMINATOR, json_disc(named(&idl["accounts"], name)), "{name} discriminator vs IDL");
    let idl_size = type_size(idl, &serde_json::json!({ "defined": { "name": name } }));
    assert_eq!(size_of::<T>(), idl_size, "{name}: Rust body {} bytes, IDL {} bytes", size_of::<T>(), idl_size);
}

#[test]
fn account_layouts_match() {
    let idl = idl();
    check_account::<Config>(&idl, "Config");
    check_account::<Operator>(&idl, "Operator");
    check_account::<Balance>(&idl, "Balance");
    check_account::<Execution>(&idl, "Execution");
    assert_eq!(idl["accounts"].as_array().unwrap().len(), 4);
}

#[test]
fn instructions_match() {
    let idl = idl();
    let ixs = idl["instructions"].as_array().unwrap();
    assert_eq!(ixs.len(), ALL_INSTRUCTIONS.len());
    for (name, d) in ALL_INSTRUCTIONS {
        assert_eq!(d, disc(&format!("global:{name}")), "{name} discriminator vs sha256");
        assert_eq!(d, json_disc(named(&idl["instructions"], name)), "{name} discriminator vs IDL");
    }
}

#[test]
fn events_match() {
    let idl = idl();
    assert_eq!(idl["events"].as_array().unwrap().len(), ALL_EVENTS.len());
    for (name, d) in ALL_EVENTS {
        assert_eq!(d, disc(&format!("event:{name}")), "{name} discriminator vs sha256");
        assert_eq!(d, json_disc(named(&idl["events"], name)), "{name} discriminator vs IDL");
        named(&idl["types"], name);
    }
}

#[test]
fn errors_match() {
    let idl = idl();
    let errors = idl["errors"].as_array().unwrap();
    assert_eq!(errors.len(), EscrowError::ALL.len());
    for ((code, name, msg), e) in EscrowError::ALL.iter().zip(errors) {
        assert_eq!(e["code"].as_u64().unwrap() as u32, *code);
        assert_eq!(e["name"], *name);
        assert_eq!(e["msg"], *msg);
    }
}

#[test]
fn program_address_matches() {
    let idl = idl();
    let idl_address = idl["address"].as_str().unwrap();
    let decoded = bs58_decode(idl_address);
    assert_eq!(decoded.as_slice(), arknet_escrow::ID.as_ref());
}

/// Minimal base58 decoder (the test needs nothing else from a base58 crate).
fn bs58_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut bytes: Vec<u8> = Vec::new();
    for c in s.bytes() {
        let mut carry = ALPHABET.iter().position(|&a| a == c).expect("base58 digit") as u32;
        for b in bytes.iter_mut().rev() {
            carry += *b as u32 * 58;
            *b = carry as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.insert(0, carry as u8);
            carry >>= 8;
        }
    }
    let zeros = s.bytes().take_while(|&c| c == b'1').count();
    let mut out = vec![0u8; zeros];
    out.extend(bytes);
    out
}
