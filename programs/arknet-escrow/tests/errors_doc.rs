//! docs/errors.md is the documented error table; it must list exactly `EscrowError::ALL`.
//! Regenerate it with `UPDATE_DOCS=1 cargo test -p arknet-escrow --test errors_doc`.

use arknet_escrow::errors::EscrowError;

fn render() -> String {
    let mut out = String::from(
        "# Program errors\n\n\
         Every refusal of the escrow program is one of these custom errors (`ProgramError::Custom(code)`).\n\
         The IDL's `errors` carry the same table, so Anchor clients and explorers show the names.\n\
         Generated from `programs/arknet-escrow/src/errors.rs` by `tests/errors_doc.rs`.\n\n\
         | code | hex | name | message |\n| --- | --- | --- | --- |\n",
    );
    for (code, name, msg) in EscrowError::ALL {
        out.push_str(&format!("| {code} | 0x{code:x} | {name} | {msg} |\n"));
    }
    out
}

#[test]
fn errors_doc_lists_every_error() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/errors.md");
    let expected = render();
    if std::env::var("UPDATE_DOCS").is_ok() {
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert_eq!(actual, expected, "docs/errors.md is stale: run with UPDATE_DOCS=1");
}

#[test]
fn error_codes_are_unique_and_dense() {
    for (i, (code, _, _)) in EscrowError::ALL.iter().enumerate() {
        assert_eq!(*code, 6000 + i as u32, "codes must be 6000.. without gaps");
    }
}
