//! Reading SPL Token / Token-2022 accounts and mints, and the checked transfer CPI.
//! Both programs share the base layouts (mint: 82 bytes, account: 165 bytes); Token-2022
//! appends an account-type byte and TLV extensions after byte 165.

use super::checks::{same_address, is_owned_by};
use crate::errors::Result;
use pinocchio::{address::address_eq, cpi::Signer, AccountView, Address};
use pinocchio_token::instructions::TransferChecked;

use super::checks::{TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID};
use crate::{errors::EscrowError, state::Config};
use pinocchio::instruction::seeds;

const MINT_BASE_LEN: usize = 82;
const ACCOUNT_BASE_LEN: usize = 165;
const ACCOUNT_TYPE_MINT: u8 = 1;

/// Token-2022 mint extensions the escrow accepts: metadata and grouping only. Every other
/// extension (transfer fee or hook, permanent delegate, default frozen state, close
/// authority, non-transferable, confidential transfers, pausable, ...) can take or block
/// escrowed tokens or change amounts in flight, so such mints are refused.
const ALLOWED_MINT_EXTENSIONS: [u16; 6] = [
    18, // MetadataPointer
    19, // TokenMetadata
    20, // GroupPointer
    21, // TokenGroup
    22, // GroupMemberPointer
    23, // TokenGroupMember
];

#[inline(always)]
pub fn is_token_program(address: &Address) -> bool {
    same_address(address, &TOKEN_PROGRAM_ID) || same_address(address, &TOKEN_2022_PROGRAM_ID)
}

/// Checks a mint for configuration and returns its decimals.
#[inline(always)]
pub fn validate_mint(mint: &AccountView, token_program: &Address) -> Result<u8> {
    if !is_token_program(token_program) {
        return Err(EscrowError::InvalidTokenProgram.into());
    }
    if !is_owned_by(mint, token_program) {
        return Err(EscrowError::InvalidMint.into());
    }
    // SAFETY: mint data is only read here, no mutable borrow exists.
    let data = unsafe { mint.borrow_unchecked() };
    if data.len() < MINT_BASE_LEN || data[45] != 1 {
        return Err(EscrowError::InvalidMint.into());
    }
    if data.len() > MINT_BASE_LEN {
        // Only Token-2022 mints carry extensions.
        if !same_address(token_program, &TOKEN_2022_PROGRAM_ID)
            || data.len() <= ACCOUNT_BASE_LEN
            || data[ACCOUNT_BASE_LEN] != ACCOUNT_TYPE_MINT
        {
            return Err(EscrowError::InvalidMint.into());
        }
        check_mint_extensions(&data[ACCOUNT_BASE_LEN + 1..])?;
    }
    Ok(data[44])
}

fn check_mint_extensions(mut tlv: &[u8]) -> Result<()> {
    while tlv.len() >= 4 {
        let ext_type = u16::from_le_bytes([tlv[0], tlv[1]]);
        let len = u16::from_le_bytes([tlv[2], tlv[3]]) as usize;
        if ext_type == 0 {
            // Uninitialized: the rest is padding.
            break;
        }
        if !ALLOWED_MINT_EXTENSIONS.contains(&ext_type) {
            return Err(EscrowError::UnsupportedMintExtension.into());
        }
        let end = len.saturating_add(4);
        if tlv.len() < end {
            return Err(EscrowError::InvalidMint.into());
        }
        tlv = &tlv[end..];
    }
    Ok(())
}

/// The base layout (165 bytes) of an SPL Token / Token-2022 account, read in place: every
/// field has alignment 1, so a view of the account data needs no copy (copying the two
/// addresses out cost initialize ~1 KB of program).
#[repr(C)]
pub struct TokenAccount {
    pub mint: Address,
    pub owner: Address,
    amount: [u8; 8],
    delegate_tag: [u8; 4],
    delegate: Address,
    state: u8,
    is_native: [u8; 12],
    delegated_amount: [u8; 8],
    close_authority_tag: [u8; 4],
    close_authority: Address,
}

const _: () = assert!(core::mem::size_of::<TokenAccount>() == ACCOUNT_BASE_LEN);
const _: () = assert!(core::mem::align_of::<TokenAccount>() == 1);

impl TokenAccount {
    #[inline(always)]
    pub fn has_delegate(&self) -> bool {
        u32::from_le_bytes(self.delegate_tag) != 0
    }

    #[inline(always)]
    pub fn has_close_authority(&self) -> bool {
        u32::from_le_bytes(self.close_authority_tag) != 0
    }

    /// Initialized (1), not frozen (2) or uninitialized (0).
    #[inline(always)]
    pub fn initialized_not_frozen(&self) -> bool {
        self.state == 1
    }
}

/// A token account owned by `token_program`, with the base layout (and, past it, the
/// Token-2022 account-type byte of an account).
#[inline(always)]
pub fn read_token_account<'a>(account: &'a AccountView, token_program: &Address) -> Result<&'a TokenAccount> {
    if !is_owned_by(account, token_program) {
        return Err(EscrowError::InvalidTokenAccount.into());
    }
    // SAFETY: read-only access, no mutable borrow exists.
    let data = unsafe { account.borrow_unchecked() };
    if data.len() < ACCOUNT_BASE_LEN || (data.len() > ACCOUNT_BASE_LEN && data[ACCOUNT_BASE_LEN] != 2) {
        return Err(EscrowError::InvalidTokenAccount.into());
    }
    // SAFETY: at least 165 bytes; TokenAccount is 165 bytes of alignment 1 (asserted).
    Ok(unsafe { &*(data.as_ptr() as *const TokenAccount) })
}

/// The token program and mint accounts passed to a transfer must be the configured ones.
#[inline(always)]
pub fn require_configured_token(
    config: &Config,
    mint: &AccountView,
    token_program: &AccountView,
) -> Result<()> {
    if !address_eq(token_program.address(), &config.token_program) {
        return Err(EscrowError::InvalidTokenProgram.into());
    }
    if !address_eq(mint.address(), &config.mint) {
        return Err(EscrowError::InvalidMint.into());
    }
    Ok(())
}

#[inline(always)]
pub fn require_vault(config: &Config, vault: &AccountView) -> Result<()> {
    if !address_eq(vault.address(), &config.vault) {
        return Err(EscrowError::InvalidVault.into());
    }
    Ok(())
}

/// What one token transfer moves, between which accounts.
pub struct Transfer<'a> {
    pub from: &'a AccountView,
    pub to: &'a AccountView,
    pub authority: &'a AccountView,
    pub mint: &'a AccountView,
    pub token_program: &'a AccountView,
    pub amount: u64,
    pub decimals: u8,
}

/// `TransferChecked` through the configured token program (already verified by
/// `require_configured_token`); `signers` holds the config PDA's seeds when the vault pays.
/// Out of line: one copy of the CPI code serves every transfer.
#[inline(never)]
pub fn transfer_checked(t: &Transfer, signers: &[Signer]) -> Result<()> {
    TransferChecked::<&AccountView>::new(
        t.from, t.mint, t.to, t.authority, t.amount, t.decimals,
    )
    .invoke_signed_with_unverified_program(signers, t.token_program.address())?;
    Ok(())
}

/// The accounts of a transfer into or out of the vault. The config PDA owns the vault.
pub struct VaultAccounts<'a> {
    pub config: &'a AccountView,
    pub vault: &'a AccountView,
    pub mint: &'a AccountView,
    pub token_program: &'a AccountView,
}

/// A token account paying into the vault, and its token authority (who signs).
pub struct TokenSource<'a> {
    pub account: &'a AccountView,
    pub authority: &'a AccountView,
}

/// Moves `amount` from `source` into the vault. (Arguments are grouped in structs: the
/// BPF backend passes at most five in registers, one of them the hidden result pointer.)
pub fn pull_in(c: &Config, v: &VaultAccounts, source: &TokenSource, amount: u64) -> Result {
    let TokenSource { account: source, authority } = *source;
    require_configured_token(c, v.mint, v.token_program)?;
    require_vault(c, v.vault)?;
    if address_eq(source.address(), v.vault.address()) {
        return Err(EscrowError::DuplicateAccount.into());
    }
    transfer_checked(
        &Transfer {
            from: source,
            to: v.vault,
            authority,
            mint: v.mint,
            token_program: v.token_program,
            amount,
            decimals: c.decimals,
        },
        &[],
    )
}

/// Pays `amount` out of the vault to `destination`, signed by the config PDA.
pub fn pay_out(c: &Config, v: &VaultAccounts, destination: &AccountView, amount: u64) -> Result {
    require_configured_token(c, v.mint, v.token_program)?;
    require_vault(c, v.vault)?;
    if address_eq(destination.address(), v.vault.address()) {
        return Err(EscrowError::DestinationIsVault.into());
    }
    let bump_seed = [c.bump];
    let config_seeds = seeds!(Config::SEED, &c.salt, &bump_seed);
    transfer_checked(
        &Transfer {
            from: v.vault,
            to: destination,
            authority: v.config,
            mint: v.mint,
            token_program: v.token_program,
            amount,
            decimals: c.decimals,
        },
        &[Signer::from(&config_seeds)],
    )
}
