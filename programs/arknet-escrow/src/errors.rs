//! Every way the program can refuse an instruction. Codes start at 6000 like Anchor's
//! `#[error_code]`, so explorers and `@coral-xyz/anchor` map them to these names through
//! the IDL. The table in docs/errors.md and the IDL's `errors` are checked against this
//! list by `tests/idl_consistency.rs`.

use core::num::NonZeroU64;

use pinocchio::error::ProgramError;

macro_rules! escrow_errors {
    ($($name:ident = $code:literal : $msg:literal,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u32)]
        pub enum EscrowError {
            $(#[doc = $msg] $name = $code,)*
        }

        impl EscrowError {
            /// Every error as (code, name, message): the source of the documented table.
            pub const ALL: &'static [(u32, &'static str, &'static str)] =
                &[$(($code, stringify!($name), $msg),)*];
        }
    };
}

escrow_errors! {
    UnknownInstruction = 6000: "Instruction discriminator is not one of this program's",
    InvalidInstructionData = 6001: "Instruction data has the wrong length or an invalid field",
    MissingSigner = 6002: "A required signer did not sign",
    AccountNotWritable = 6003: "An account that must be writable was passed read-only",
    InvalidAccountOwner = 6004: "Account is not owned by the expected program",
    InvalidAccountType = 6005: "Account discriminator is not the expected account type",
    InvalidAccountData = 6006: "Account data has the wrong size or is corrupt",
    AlreadyInitialized = 6007: "Account already exists",
    InvalidPda = 6008: "Account address is not the expected program-derived address",
    Unauthorized = 6009: "Signer is not the admin",
    NotPendingAdmin = 6010: "Signer is not the pending admin",
    ProgramPaused = 6011: "Program is paused: new deposits and reservations are refused",
    FeeTooHigh = 6012: "Fee above the hard cap of 1000 bps",
    InvalidMint = 6013: "Mint is not the configured mint or is not a valid mint",
    UnsupportedMintExtension = 6014: "Token-2022 mint has an extension the escrow refuses",
    InvalidTokenProgram = 6015: "Token program is not the configured SPL Token or Token-2022 program",
    InvalidVault = 6016: "Vault is not the configured vault",
    InvalidTokenAccount = 6017: "Token account has the wrong mint, owner, delegate or state",
    InvalidTreasury = 6018: "Fee destination is not the configured treasury",
    ZeroAmount = 6019: "Amount must be greater than zero",
    InsufficientBalance = 6020: "Available balance is below the amount",
    InsufficientClaimable = 6021: "Operator claimable balance is below the amount",
    InsufficientFees = 6022: "Unwithdrawn fees are below the amount",
    ArithmeticOverflow = 6023: "Arithmetic overflow",
    WrongBuyer = 6024: "Account belongs to another buyer",
    WrongRouter = 6025: "Signer is not the execution's router",
    ExecutionIdNotIncreasing = 6026: "Execution id must be greater than the buyer's last execution id",
    InvalidExpiry = 6027: "Expiry duration is zero or longer than 30 days",
    InvalidSegmentIndex = 6028: "Segment index is not the next unassigned segment",
    TooManySegments = 6029: "Execution already has the maximum number of segments",
    OperatorNotActive = 6030: "Operator is not active",
    SkuNotOffered = 6031: "Operator has no rate for this SKU",
    PriceAboveCap = 6032: "Operator's rate is above the buyer's price cap for this SKU",
    RateCardFull = 6033: "Operator rate card is full",
    InvalidSku = 6034: "SKU code is empty or not printable ASCII",
    InvalidSigningKey = 6035: "Receipt signing key must be a non-zero key",
    InvalidOperatorStatus = 6036: "Operator status value is not valid",
    NoReceipts = 6037: "Ed25519 instruction carries no signatures",
    MissingEd25519Instruction = 6038: "The instruction before submit_receipts is not an Ed25519 precompile instruction",
    InvalidEd25519Instruction = 6039: "Ed25519 instruction references data outside itself or is malformed",
    ReceiptWrongExecution = 6040: "Receipt names another execution",
    MalformedReceipt = 6041: "Receipt message has the wrong size, tag or version",
    SegmentNotAssigned = 6042: "Receipt names a segment that is not assigned",
    ReceiptSkuMismatch = 6043: "Receipt SKU differs from the segment's SKU",
    ReceiptSignerMismatch = 6044: "Receipt is not signed by the segment operator's current key",
    ReceiptNotNewer = 6045: "Receipt cumulative units or sequence is not above the settled value",
    OperatorAccountMissing = 6046: "The segment's operator account was not passed",
    CpiNotAllowed = 6047: "submit_receipts must be a top-level instruction",
    FinalizeNotAllowed = 6048: "Signer may not finalize this execution yet",
    DuplicateAccount = 6049: "The same account was passed in two slots that must differ",
    InvalidRentPayer = 6050: "Rent destination is not the account that paid the rent",
    TooManyPriceCaps = 6051: "Too many price caps",
    InvalidProgramData = 6052: "Program data account or upgrade authority does not match",
    DestinationIsVault = 6053: "Destination may not be the vault",
    InvalidSysvar = 6054: "Sysvar account is not the expected sysvar",
    InvalidRate = 6055: "Price per work unit must be greater than zero",
    InvalidSystemProgram = 6056: "System program account is not the system program",
    WrongAuthority = 6057: "Signer is not the operator's authority",
    TooManyReceipts = 6058: "More than 8 receipts in one instruction",
    RateAboveMaxPrice = 6059: "Operator's current rate is above the max price the router agreed to",
    ExecutionSettled = 6060: "Execution is settled: it takes no more receipts, segments or top-ups",
    ExecutionNotSettled = 6061: "Execution is still open",
    InvalidEndReason = 6062: "End reason is not one this signer may give",
    CancelNotAllowed = 6063: "Only the buyer may cancel, and only before any segment is assigned",
    DurationTooShort = 6064: "Duration is below the deployment's minimum",
    InvalidTiming = 6065: "Settlement window is longer than the expiry grace",
    InvalidRating = 6066: "Rating must be 1 to 5 stars",
    AlreadyRated = 6067: "The buyer already rated this operator for this execution",
    OperatorNotPaid = 6068: "Operator was paid nothing in this execution",
    ReviewWindowClosed = 6069: "The execution's review window has ended",
    CloseNotAllowed = 6070: "Signer may not close this execution yet",
    WrongDeployment = 6071: "Account belongs to another deployment (config)",
}

impl From<EscrowError> for ProgramError {
    #[inline(always)]
    fn from(e: EscrowError) -> Self {
        ProgramError::Custom(e as u32)
    }
}

/// A refusal as the exact u64 the entrypoint hands the runtime: the program's own codes
/// (6000 and up) as themselves, the runtime's builtin errors as `ProgramError` encodes
/// them. One non-zero word, so `Result<(), Error>` is a single register: a
/// `Result<(), ProgramError>` (tag and payload) is returned through a stack slot, which
/// every call and every refusal paid for in size and CU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error(NonZeroU64);

/// The program's result type (`Result<()>` replaces pinocchio's `ProgramResult`).
pub type Result<T = (), E = Error> = core::result::Result<T, E>;

impl Error {
    /// `ProgramError::NotEnoughAccountKeys`, as a constant (checked in the tests).
    pub const NOT_ENOUGH_ACCOUNT_KEYS: Error = Error(NonZeroU64::new(11 << 32).unwrap());

    /// The value the runtime receives.
    #[inline(always)]
    pub const fn code(self) -> u64 {
        self.0.get()
    }
}

/// `e` as an `Error`, in a cold out-of-line call. For checks on the per-receipt path:
/// returned directly, LLVM loads each check's code into `r0` before its branch (so that
/// every refusal shares one `exit`), one instruction per check on the path that passes;
/// behind a call the code is loaded only when the refusal happens.
#[cold]
#[inline(never)]
pub fn refuse(e: EscrowError) -> Error {
    e.into()
}

impl From<EscrowError> for Error {
    #[inline(always)]
    fn from(e: EscrowError) -> Self {
        // Every code is 6000 or more: never zero.
        match NonZeroU64::new(e as u64) {
            Some(code) => Error(code),
            None => Error(NonZeroU64::MIN),
        }
    }
}

impl From<ProgramError> for Error {
    /// Out of line: only pinocchio's CPI and account helpers return a `ProgramError`,
    /// and its encoding is a table.
    #[inline(never)]
    #[cold]
    fn from(e: ProgramError) -> Self {
        // `ProgramError` never encodes to 0 (that is success).
        Error(NonZeroU64::new(u64::from(e)).unwrap_or(NonZeroU64::MIN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_what_the_runtime_receives() {
        assert_eq!(Error::NOT_ENOUGH_ACCOUNT_KEYS.code(), u64::from(ProgramError::NotEnoughAccountKeys));
        assert_eq!(Error::from(ProgramError::NotEnoughAccountKeys), Error::NOT_ENOUGH_ACCOUNT_KEYS);
        assert_eq!(Error::from(EscrowError::WrongDeployment).code(), 6071);
        assert_eq!(
            Error::from(ProgramError::from(EscrowError::InvalidRate)).code(),
            Error::from(EscrowError::InvalidRate).code()
        );
        assert_eq!(Error::from(ProgramError::Custom(0)).code(), u64::from(ProgramError::Custom(0)));
    }
}
