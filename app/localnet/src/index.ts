// @arknet/localnet: a local Solana validator on LiteSVM, and launchers for it and for Agave's.
export { startNode, defaultEscrowProgram, USDC_DECIMALS, type Localnet, type LocalnetOptions } from "./node.ts";
export { startLocalnet, startAgave, startValidator, selectedValidator, findAgave, type RunningValidator, type AgaveOptions } from "./launch.ts";
export { DEV_KEYS, devKeypair, keypairFromSeed, readKeypairFile, writeKeypairFile, type Keypair } from "./chain/keys.ts";
