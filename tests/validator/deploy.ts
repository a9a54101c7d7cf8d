// Deploys a program through the upgradeable loader (loader-v3) over JSON-RPC, the way
// `solana program deploy` does: a buffer, the .so written into it in chunks, then
// DeployWithMaxDataLen, which verifies the ELF (and its SBPF version) against the
// cluster's active features.
import { readFileSync } from "node:fs";
import type { KeyPairSigner, Rpc, Signature, SolanaRpcApi } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  LOADER_V3_PROGRAM_ADDRESS,
  getDeployWithMaxDataLenInstruction,
  getInitializeBufferInstruction,
  getWriteInstruction,
} from "@solana-program/loader-v3";
import { programDataAddress } from "@arknet/escrow";
import { confirm, submit, type Chain } from "./chains.ts";

const BUFFER_HEADER = 37; // UpgradeableLoaderState::Buffer: tag, option, authority
const PROGRAM_ACCOUNT_LEN = 36; // UpgradeableLoaderState::Program: tag, programdata address
const CHUNK = 950; // keeps each Write transaction under 1232 bytes
const IN_FLIGHT = 16;

/**
 * Deploys `soPath` at `program`'s address with `authority` as upgrade authority (and payer).
 * Returns the result of the deploying transaction (its logs say why a refusal happened).
 */
export async function deployProgram(
  rpc: Rpc<SolanaRpcApi>,
  chain: Chain,
  authority: KeyPairSigner,
  program: KeyPairSigner,
  buffer: KeyPairSigner,
  soPath: string,
) {
  const so = readFileSync(soPath);
  const created = await chain.send(authority, [
    getCreateAccountInstruction({
      payer: authority,
      newAccount: buffer,
      lamports: await chain.rentExempt(BUFFER_HEADER + so.length),
      space: BUFFER_HEADER + so.length,
      programAddress: LOADER_V3_PROGRAM_ADDRESS,
    }),
    getInitializeBufferInstruction({ sourceAccount: buffer.address, bufferAuthority: authority.address }),
  ]);
  if (!created.ok) throw new Error(`buffer creation failed: ${created.error}\n${created.logs.join("\n")}`);

  const offsets = Array.from({ length: Math.ceil(so.length / CHUNK) }, (_, i) => i * CHUNK);
  for (let i = 0; i < offsets.length; i += IN_FLIGHT) {
    const sigs: Signature[] = await Promise.all(
      offsets.slice(i, i + IN_FLIGHT).map((offset) =>
        submit(rpc, authority, [
          getWriteInstruction({
            bufferAccount: buffer.address,
            bufferAuthority: authority,
            offset,
            bytes: so.subarray(offset, offset + CHUNK),
          }),
        ]),
      ),
    );
    await confirm(rpc, sigs);
  }
  const written = await chain.accountData(buffer.address);
  if (Buffer.compare(Buffer.from(written.subarray(BUFFER_HEADER)), so) !== 0) {
    throw new Error("the buffer does not hold the .so after the writes");
  }

  return chain.send(authority, [
    getCreateAccountInstruction({
      payer: authority,
      newAccount: program,
      lamports: await chain.rentExempt(PROGRAM_ACCOUNT_LEN),
      space: PROGRAM_ACCOUNT_LEN,
      programAddress: LOADER_V3_PROGRAM_ADDRESS,
    }),
    getDeployWithMaxDataLenInstruction({
      payerAccount: authority,
      programDataAccount: await programDataAddress(program.address),
      programAccount: program.address,
      bufferAccount: buffer.address,
      authority,
      maxDataLen: BigInt(so.length),
    }),
  ]);
}
