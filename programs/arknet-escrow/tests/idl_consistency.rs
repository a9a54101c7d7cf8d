//! The IDL (`idl/arknet_escrow.json`) and the program must describe the same bytes: this
//! test fails when a discriminator, an account layout (field names, order, offsets,
//! sizes), an instruction's accounts or arguments, an event or an error drifts.

use std::mem::{offset_of, size_of};

use arknet_escrow::{
    errors::EscrowError,
    events::ALL_EVENTS,
    instructions::ALL_INSTRUCTIONS,
    state::{Balance, Config, Execution, Operator, PriceCap, ProgramAccount, Rate, Segment},
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

/// One field of a `#[repr(C)]` struct: name, byte offset, byte size.
type Field = (&'static str, usize, usize);

fn field_size<T, F>(_: fn(&T) -> &F) -> usize {
    size_of::<F>()
}

/// The fields of a struct in declaration order, with their real offsets and sizes.
macro_rules! fields {
    ($t:ty: $($f:ident),* $(,)?) => {
        vec![$((stringify!($f), offset_of!($t, $f), field_size::<$t, _>(|s| &s.$f))),*]
    };
}

/// The Rust struct `name` and the IDL type `name` are the same bytes: same field names in
/// the same order, each at the offset the IDL's running sum gives it and of its IDL size,
/// and no padding anywhere (the fields add up to `size_of`).
fn check_layout(idl: &Value, name: &str, rust: Vec<Field>, size: usize) {
    let idl_fields = named(&idl["types"], name)["type"]["fields"].as_array().unwrap();
    let idl_names: Vec<&str> = idl_fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let rust_names: Vec<&str> = rust.iter().map(|f| f.0).collect();
    assert_eq!(rust_names, idl_names, "{name}: field names and order");
    let mut at = 0;
    for ((field, offset, len), f) in rust.iter().zip(idl_fields) {
        assert_eq!(*offset, at, "{name}.{field}: Rust offset {offset}, contiguous offset {at} (padding before it?)");
        let idl_len = type_size(idl, &f["type"]);
        assert_eq!(*len, idl_len, "{name}.{field}: Rust {len} bytes, IDL {idl_len} bytes");
        at += len;
    }
    assert_eq!(at, size, "{name}: fields add up to {at} bytes, size_of is {size} (trailing padding?)");
}

#[test]
fn field_layouts_match_byte_for_byte() {
    let idl = idl();
    check_layout(
        &idl,
        "Config",
        fields!(Config: admin, pending_admin, router, mint, vault, treasury, token_program, salt, expiry_grace_secs,
            settlement_window_secs, min_duration_secs, review_window_secs, fees_unwithdrawn, fee_bps, paused, bump,
            decimals, _padding),
        size_of::<Config>(),
    );
    check_layout(&idl, "Rate", fields!(Rate: sku, price, units_served, tokens_served), size_of::<Rate>());
    check_layout(
        &idl,
        "Operator",
        fields!(Operator: config, authority, signing_key, claimable, fees_owed, total_earned, total_claimed,
            segments_assigned, segments_settled, executions_completed, rating_count, rating_sum, status, bump,
            rate_count, _padding, rates),
        size_of::<Operator>(),
    );
    check_layout(
        &idl,
        "Balance",
        fields!(Balance: config, buyer, available, reserved, total_deposited, total_withdrawn, last_execution_id,
            bump, _padding),
        size_of::<Balance>(),
    );
    check_layout(&idl, "PriceCap", fields!(PriceCap: sku, max_price), size_of::<PriceCap>());
    check_layout(
        &idl,
        "Segment",
        fields!(Segment: operator, sku, price, budget, settled_units, charged, last_seq, rate_index, rating, _padding),
        size_of::<Segment>(),
    );
    check_layout(
        &idl,
        "Execution",
        fields!(Execution: config, buyer, router, rent_payer, execution_id, max_burn, consumed, fees_accrued,
            created_at, expires_at, settled_at, grace_secs, settlement_window_secs, review_window_secs, fee_bps,
            status, end_reason, segment_count, bump, price_cap_count, _padding, price_caps, segments),
        size_of::<Execution>(),
    );
    // Array lengths in the IDL are the program's constants.
    let exec = named(&idl["types"], "Execution")["type"]["fields"].as_array().unwrap();
    assert_eq!(named(&Value::Array(exec.clone()), "segments")["type"]["array"][1], Execution::MAX_SEGMENTS);
    assert_eq!(named(&Value::Array(exec.clone()), "price_caps")["type"]["array"][1], Execution::MAX_PRICE_CAPS);
    let op = named(&idl["types"], "Operator")["type"]["fields"].clone();
    assert_eq!(named(&op, "rates")["type"]["array"][1], Operator::MAX_RATES);
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

/// The doc comments of `src/instructions/<file>.rs`, markers stripped, one line each.
fn instruction_docs(file: &str) -> Vec<String> {
    let path = format!("{}/src/instructions/{file}.rs", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    src.lines()
        .filter_map(|l| l.trim_start().strip_prefix("//!").or_else(|| l.trim_start().strip_prefix("///")))
        .map(|l| l.trim().to_string())
        .collect()
}

fn source_file(ix: &str) -> &str {
    match ix {
        "propose_admin" | "accept_admin" | "set_fee" | "set_paused" | "set_router" | "set_timing"
        | "set_treasury" => "admin",
        other => other,
    }
}

/// (name, writable, signer) of each account, in order, as the instruction's doc lists
/// them (`N. \`[signer, writable]\` name: ...`). The admin setters share one sentence
/// in admin.rs: `0. [signer] admin`, `1. [writable] config`, set_treasury adds
/// `2. [] treasury`, accept_admin is signed by the pending admin.
fn documented_accounts(ix: &str) -> Vec<(String, bool, bool)> {
    let acc = |n: &str, w: bool, s: bool| (n.to_string(), w, s);
    match ix {
        "accept_admin" => return vec![acc("new_admin", false, true), acc("config", true, false)],
        "set_treasury" => {
            return vec![acc("admin", false, true), acc("config", true, false), acc("treasury", false, false)]
        }
        _ if source_file(ix) == "admin" => return vec![acc("admin", false, true), acc("config", true, false)],
        _ => {}
    }
    let mut out = Vec::new();
    for line in instruction_docs(source_file(ix)) {
        let Some((num, rest)) = line.split_once(". `[") else { continue };
        if num.parse::<usize>() != Ok(out.len()) {
            continue;
        }
        let (flags, rest) = rest.split_once("]`").expect("closing ]`");
        let name = rest.split(':').next().unwrap().trim().replace(' ', "_");
        // submit_receipts: the IDL names the first operator; further ones are remaining accounts.
        let name = if ix == "submit_receipts" && name == "operators" { "operator".to_string() } else { name };
        let flags: Vec<&str> = flags.split(',').map(str::trim).collect();
        out.push((name, flags.contains(&"writable"), flags.contains(&"signer")));
    }
    assert!(!out.is_empty(), "{ix}: no documented accounts");
    out
}

/// The IDL type of a documented Rust argument type.
fn idl_type(doc: &str) -> Value {
    match doc {
        "u8" | "u16" | "u32" | "u64" | "i64" | "bool" | "pubkey" => Value::from(doc),
        "[u8; 8]" => serde_json::json!({ "array": ["u8", 8] }),
        "[u8; 32]" => serde_json::json!({ "array": ["u8", 32] }),
        _ => {
            let inner = doc.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')).unwrap_or_else(|| panic!("type {doc}"));
            serde_json::json!({ "vec": { "defined": { "name": inner } } })
        }
    }
}

/// (name, IDL type) of each argument in the doc's `name(arg: type, ...)` signature.
fn documented_args(ix: &str) -> Vec<(String, Value)> {
    let docs = instruction_docs(source_file(ix)).join(" ");
    let open = format!("`{ix}(");
    let start = docs.find(&open).unwrap_or_else(|| panic!("{ix}: no `{ix}(...)` signature in its docs")) + open.len();
    let sig = &docs[start..start + docs[start..].find(")`").expect("closing )`")];
    if sig == "..." {
        // reserve_from_wallet: "the arguments of `reserve`".
        return documented_args("reserve");
    }
    sig.split(',')
        .filter(|a| !a.trim().is_empty())
        .map(|a| {
            let (name, ty) = a.split_once(':').unwrap_or_else(|| panic!("{ix}: argument {a}"));
            (name.trim().to_string(), idl_type(ty.trim()))
        })
        .collect()
}

#[test]
fn instruction_accounts_and_args_match_the_docs() {
    let idl = idl();
    for (name, _) in ALL_INSTRUCTIONS {
        let def = named(&idl["instructions"], name);
        let idl_accounts: Vec<(String, bool, bool)> = def["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let flag = |k: &str| a.get(k).and_then(Value::as_bool).unwrap_or(false);
                (a["name"].as_str().unwrap().to_string(), flag("writable"), flag("signer"))
            })
            .collect();
        assert_eq!(idl_accounts, documented_accounts(name), "{name}: accounts (name, writable, signer)");
        for a in def["accounts"].as_array().unwrap() {
            let doc = a["docs"].get(0).and_then(Value::as_str).unwrap_or("");
            assert!(!doc.is_empty(), "{name}.{}: no docs in the IDL", a["name"]);
        }
        let idl_args: Vec<(String, Value)> = def["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["name"].as_str().unwrap().to_string(), a["type"].clone()))
            .collect();
        assert_eq!(idl_args, documented_args(name), "{name}: arguments");
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
