// Deploys ArkNet Escrow to the cluster of Anchor.toml (or --url): the program through loader-v3
// (deploy, upgrade or nothing), a deployment when --mint is given, and the IDL on-chain where
// the cluster has the Program Metadata program. Idempotent. Thin over the SDK's `arknet deploy`:
//   npx tsx migrations/deploy.ts [--url devnet] [--keypair PATH] [--mint MINT] [--fee-bps 250]
import { runCli } from "../sdk/src/cli/main.ts";

process.exit(await runCli(["deploy", ...process.argv.slice(2)]));
