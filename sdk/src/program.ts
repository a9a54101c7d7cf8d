// The program's address and the well-known addresses its instructions take.
import { address, type Address } from "@solana/kit";
import { ARKNET_ESCROW_PROGRAM_ADDRESS } from "./generated/programs";

/** The escrow program id in the IDL (the default deployment). */
export const PROGRAM_ID: Address = ARKNET_ESCROW_PROGRAM_ADDRESS;
export const ED25519_PROGRAM: Address = address("Ed25519SigVerify111111111111111111111111111");
export const INSTRUCTIONS_SYSVAR: Address = address("Sysvar1nstructions1111111111111111111111111");
export const SYSTEM_PROGRAM: Address = address("11111111111111111111111111111111");
export const UPGRADEABLE_LOADER: Address = address("BPFLoaderUpgradeab1e11111111111111111111111");
/** The leader's limits a transaction must fit. */
export const MAX_TRANSACTION_BYTES = 1232;
export const MAX_PRECOMPILE_SIGNATURES = 8;
