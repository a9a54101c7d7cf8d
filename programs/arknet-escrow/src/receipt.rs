//! Operator receipts: the canonical message and how it is read out of the Ed25519
//! precompile instruction that verified it.
//!
//! Message (58 bytes, little endian):
//! ```text
//!  0..4   tag "ARKR"
//!  4      version (2)
//!  5..37  execution address
//! 37      segment index
//! 38..46  SKU code
//! 46..54  cumulative work units (u64)
//! 54..58  sequence number (u32)
//! ```
//! The execution address is a PDA of this program derived from the deployment's
//! config (whose address comes from a salt chosen at `initialize`), the buyer and the
//! execution id, so it names one execution of one deployment on one cluster; the
//! segment index names one operator account, whose current key must have signed
//! (docs/protocol.md, "Why the execution address is enough").

use crate::errors::{refuse, Result};
use pinocchio::Address;

use crate::{errors::EscrowError, state::Sku};

pub const RECEIPT_TAG: [u8; 4] = *b"ARKR";
pub const RECEIPT_VERSION: u8 = 2;
pub const RECEIPT_LEN: usize = 58;

/// Most receipts one instruction settles: a transaction carries at most 8 precompile
/// signatures.
pub const MAX_RECEIPTS: usize = 8;

pub const ED25519_PROGRAM_ID: Address =
    Address::from_str_const("Ed25519SigVerify111111111111111111111111111");

/// Offsets records of the precompile start after a count byte and a padding byte.
const HEADER_LEN: usize = 2;
const OFFSETS_LEN: usize = 14;
/// "This instruction": the only instruction index a receipt's data may come from.
const THIS_INSTRUCTION: u16 = u16::MAX;

/// A receipt's fields once its tag, version and execution have been checked.
pub struct Receipt<'a> {
    pub signer: &'a [u8; 32],
    /// Where the signer's key sits in the precompile data: receipts sharing it share
    /// one key check.
    pub signer_offset: usize,
    pub segment: u8,
    pub sku: &'a Sku,
    pub cumulative_units: u64,
    pub sequence: u32,
}

/// Number of signatures the precompile instruction verified (at least one).
#[inline(always)]
#[allow(clippy::arithmetic_side_effects, reason = "offsets are u8/u16 values widened to usize")]
pub fn signature_count(ed25519_data: &[u8]) -> Result<usize> {
    if ed25519_data.len() < HEADER_LEN {
        return Err(refuse(EscrowError::InvalidEd25519Instruction));
    }
    let count = ed25519_data[0] as usize;
    if count == 0 {
        return Err(refuse(EscrowError::NoReceipts));
    }
    if count > MAX_RECEIPTS {
        return Err(refuse(EscrowError::TooManyReceipts));
    }
    if ed25519_data.len() < HEADER_LEN + count * OFFSETS_LEN {
        return Err(refuse(EscrowError::InvalidEd25519Instruction));
    }
    Ok(count)
}

/// The `index`-th verified (signer, message) pair, read through the precompile's own
/// offsets: exactly the bytes the precompile checked. Any offset that points into
/// another instruction is refused.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects, reason = "offsets are u8/u16 values widened to usize")]
pub fn receipt_at<'a>(
    ed25519_data: &'a [u8],
    index: usize,
    execution: &Address,
) -> Result<Receipt<'a>> {
    let at = HEADER_LEN + index * OFFSETS_LEN;
    // One bounds check for the whole record; its fields are then constant offsets.
    let rec: &[u8; OFFSETS_LEN] = ed25519_data
        .get(at..at + OFFSETS_LEN)
        .and_then(|r| r.try_into().ok())
        .ok_or_else(|| refuse(EscrowError::InvalidEd25519Instruction))?;
    let field = |i: usize| u16::from_le_bytes([rec[i], rec[i + 1]]);
    // The three instruction indices (bytes 2, 6, 12) must all be "this instruction".
    if field(2) & field(6) & field(12) != THIS_INSTRUCTION {
        return Err(refuse(EscrowError::InvalidEd25519Instruction));
    }
    if field(10) as usize != RECEIPT_LEN {
        return Err(refuse(EscrowError::MalformedReceipt));
    }
    let key_offset = field(4) as usize;
    let msg_offset = field(8) as usize;
    let signer: &[u8; 32] = ed25519_data
        .get(key_offset..key_offset + 32)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| refuse(EscrowError::InvalidEd25519Instruction))?;
    let msg: &[u8; RECEIPT_LEN] = ed25519_data
        .get(msg_offset..msg_offset + RECEIPT_LEN)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| refuse(EscrowError::InvalidEd25519Instruction))?;
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&msg[at..at + 8]);
        u64::from_le_bytes(w)
    };
    // Tag and version as one word compare, the execution as four.
    const HEAD: u64 = u64::from_le_bytes([RECEIPT_TAG[0], RECEIPT_TAG[1], RECEIPT_TAG[2], RECEIPT_TAG[3], RECEIPT_VERSION, 0, 0, 0]);
    if word(0) & 0xff_ffff_ffff != HEAD {
        return Err(refuse(EscrowError::MalformedReceipt));
    }
    let named: &[u8; 32] = msg[5..37].try_into().map_err(|_| refuse(EscrowError::MalformedReceipt))?;
    if !crate::state::eq32(named, execution.as_array()) {
        return Err(refuse(EscrowError::ReceiptWrongExecution));
    }
    Ok(Receipt {
        signer,
        signer_offset: key_offset,
        segment: msg[37],
        sku: msg[38..46].try_into().map_err(|_| refuse(EscrowError::MalformedReceipt))?,
        cumulative_units: word(46),
        sequence: u32::from_le_bytes([msg[54], msg[55], msg[56], msg[57]]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One precompile instruction with `n` receipts sharing one public key.
    fn precompile(n: usize, execution: &Address, ix_index: u16) -> Vec<u8> {
        let mut data = vec![n as u8, 0];
        let key_at = HEADER_LEN + n * OFFSETS_LEN;
        let body_at = key_at + 32;
        for i in 0..n {
            let sig = body_at + i * (64 + RECEIPT_LEN);
            for v in [sig as u16, ix_index, key_at as u16, ix_index, (sig + 64) as u16, RECEIPT_LEN as u16, ix_index] {
                data.extend_from_slice(&v.to_le_bytes());
            }
        }
        data.extend_from_slice(&[7u8; 32]);
        for i in 0..n {
            data.extend_from_slice(&[0u8; 64]);
            data.extend_from_slice(&RECEIPT_TAG);
            data.push(RECEIPT_VERSION);
            data.extend_from_slice(execution.as_ref());
            data.push(i as u8);
            data.extend_from_slice(b"H100\0\0\0\0");
            data.extend_from_slice(&(100 * (i as u64 + 1)).to_le_bytes());
            data.extend_from_slice(&(i as u32 + 1).to_le_bytes());
        }
        data
    }

    #[test]
    fn reads_every_receipt_through_its_offsets() {
        let b = Address::new_from_array([9u8; 32]);
        let data = precompile(3, &b, THIS_INSTRUCTION);
        assert_eq!(signature_count(&data).unwrap(), 3);
        for i in 0..3 {
            let r = receipt_at(&data, i, &b).unwrap();
            assert_eq!(r.signer, &[7u8; 32]);
            assert_eq!(r.segment, i as u8);
            assert_eq!(r.cumulative_units, 100 * (i as u64 + 1));
            assert_eq!(r.sequence, i as u32 + 1);
            assert_eq!(r.sku, b"H100\0\0\0\0");
        }
    }

    #[test]
    fn refuses_data_from_other_instructions() {
        let b = Address::new_from_array([9u8; 32]);
        let data = precompile(1, &b, 0);
        assert_eq!(receipt_at(&data, 0, &b).err(), Some(EscrowError::InvalidEd25519Instruction.into()));
    }

    #[test]
    fn refuses_another_execution_and_zero_signatures() {
        let data = precompile(1, &Address::new_from_array([9u8; 32]), THIS_INSTRUCTION);
        assert_eq!(receipt_at(&data, 0, &Address::new_from_array([8u8; 32])).err(), Some(EscrowError::ReceiptWrongExecution.into()));
        assert_eq!(signature_count(&[0, 0]).err(), Some(EscrowError::NoReceipts.into()));
        assert_eq!(signature_count(&[2, 0, 1]).err(), Some(EscrowError::InvalidEd25519Instruction.into()));
    }
}
