//! Shared building blocks of the processors: instruction data reading, account checks,
//! token-account parsing and the system/token CPIs.

pub mod checks;
pub mod cpi;
pub mod data;
pub mod hash;
pub mod token;

pub use checks::*;
pub use data::DataReader;
