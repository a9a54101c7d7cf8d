// @arknet/escrow: the TypeScript SDK of ArkNet Escrow on @solana/kit. Flows send one user
// action each; receipts/ is the operator side; read/ fetches, lists and verifies; the Codama
// client is re-exported as-is for everything lower level.
export * from "./generated";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./program.ts";
export * from "./pdas.ts";
export * from "./deployment.ts";
export * from "./tx/client.ts";
export * from "./tx/send.ts";
export * from "./flows/index.ts";
export * from "./receipts/index.ts";
export * from "./read/index.ts";
// Browser-safe (no Node modules): amounts as people type and read them.
export { parseAmount, formatAmount } from "./cli/amounts.ts";
export { deployProgram, sameProgram, writeChunkSize, type DeployProgramInput, type DeployProgramResult, type DeployProgress } from "./deploy/loader.ts";
export { decodeLoaderAccount, programDataAddress, type LoaderAccount } from "./deploy/loaderAccounts.ts";
export { deployAll, defaultSalt, type DeployAllInput, type DeployAllResult, type DeploymentSettings } from "./deploy/run.ts";
export { publishIdl, type IdlPublishResult } from "./deploy/idl.ts";
