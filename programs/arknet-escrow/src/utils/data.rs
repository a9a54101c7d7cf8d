use crate::errors::{Error, Result};
use pinocchio::Address;

use crate::errors::EscrowError;

/// Reads borsh-encoded instruction arguments in order; `finish` refuses trailing bytes,
/// so one byte string has exactly one meaning.
pub struct DataReader<'a> {
    data: &'a [u8],
}

#[inline(always)]
fn bad_data() -> Error {
    EscrowError::InvalidInstructionData.into()
}

impl<'a> DataReader<'a> {
    #[inline(always)]
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    #[inline(always)]
    pub fn bytes<const N: usize>(&mut self) -> Result<&'a [u8; N]> {
        if self.data.len() < N {
            return Err(bad_data());
        }
        let (head, rest) = self.data.split_at(N);
        self.data = rest;
        head.try_into().map_err(|_| bad_data())
    }

    #[inline(always)]
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.bytes::<1>()?[0])
    }

    #[inline(always)]
    pub fn bool(&mut self) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(bad_data()),
        }
    }

    #[inline(always)]
    pub fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(*self.bytes::<2>()?))
    }

    #[inline(always)]
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(*self.bytes::<4>()?))
    }

    #[inline(always)]
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(*self.bytes::<8>()?))
    }

    #[inline(always)]
    pub fn address(&mut self) -> Result<Address> {
        Ok(Address::new_from_array(*self.bytes::<32>()?))
    }

    #[inline(always)]
    pub fn finish(self) -> Result<()> {
        if self.data.is_empty() {
            Ok(())
        } else {
            Err(bad_data())
        }
    }
}
