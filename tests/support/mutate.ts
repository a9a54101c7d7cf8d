// Changing a built instruction for per-instruction and attack tests: a second signer, an
// account passed without its signature or swapped for another, an argument the SDK would not
// encode. The instruction itself always comes from the SDK's builders; these only alter it.
import {
  addSignersToInstruction,
  downgradeRoleToNonSigner,
  type Address,
  type Instruction,
  type ReadonlyUint8Array,
  type KeyPairSigner,
} from "@solana/kit";

/** `instruction` also signed by `signers` (besides the fee payer `send` signs with). */
export function signedBy(instruction: Instruction, ...signers: KeyPairSigner[]): Instruction {
  return addSignersToInstruction(signers, instruction);
}

/** `instruction` with `account` passed without its signature (writability kept). */
export function unsigned(instruction: Instruction, account: Address): Instruction {
  let found = false;
  const accounts = (instruction.accounts ?? []).map((meta) => {
    if (meta.address !== account) return meta;
    found = true;
    return { address: meta.address, role: downgradeRoleToNonSigner(meta.role) };
  });
  if (!found) throw new Error(`${account} is not an account of the instruction`);
  return { ...instruction, accounts };
}

/** `instruction` with account `from` replaced by `to` in every slot (same roles, no signer attached). */
export function replaceAccount(instruction: Instruction, from: Address, to: Address): Instruction {
  if (!(instruction.accounts ?? []).some((meta) => meta.address === from)) {
    throw new Error(`${from} is not an account of the instruction`);
  }
  const accounts = instruction.accounts!.map((meta) => (meta.address === from ? { address: to, role: meta.role } : meta));
  return { ...instruction, accounts };
}

/** Reads and writes an instruction's arguments: one of the SDK's generated `get*InstructionDataCodec()`. */
type ArgsCodec<T> = { decode(data: Uint8Array): T; encode(args: T): Uint8Array | ReadonlyUint8Array };

/** `instruction` with some arguments changed (decoded and encoded again by the SDK's generated codec). */
export function withArgs<T extends object>(instruction: Instruction, codec: ArgsCodec<T>, change: Partial<T>): Instruction {
  const args = codec.decode(instruction.data as Uint8Array);
  return { ...instruction, data: codec.encode({ ...args, ...change }) };
}
