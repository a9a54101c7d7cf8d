// The admin's setters: fee, pause, router, timing, treasury, admin handover, operator status.
// None touches escrowed or claimable tokens; each applies to executions reserved afterwards.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import {
  getAcceptAdminInstruction,
  getProposeAdminInstruction,
  getSetFeeInstruction,
  getSetOperatorStatusInstruction,
  getSetPausedInstruction,
  getSetRouterInstruction,
  getSetTimingInstruction,
  getSetTreasuryInstruction,
} from "../generated/instructions";
import type { Deployment } from "../deployment.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

type Admin = { admin: TransactionSigner };
const run = async (client: SolanaClient, d: Deployment, signer: TransactionSigner, ix: Instruction, opts?: FlowOptions): Promise<FlowResult> => ({
  signature: await sendFlow(client, d, signer, [ix], opts),
});
const cfg = (d: Deployment) => ({ programAddress: d.programAddress });

export const setFee = (client: SolanaClient, d: Deployment, input: Admin & { feeBps: number }, opts?: FlowOptions) =>
  run(client, d, input.admin, getSetFeeInstruction({ admin: input.admin, config: d.config, feeBps: input.feeBps }, cfg(d)), opts);

export const setPaused = (client: SolanaClient, d: Deployment, input: Admin & { paused: boolean }, opts?: FlowOptions) =>
  run(client, d, input.admin, getSetPausedInstruction({ admin: input.admin, config: d.config, paused: input.paused }, cfg(d)), opts);

export const setRouter = (client: SolanaClient, d: Deployment, input: Admin & { router: Address }, opts?: FlowOptions) =>
  run(client, d, input.admin, getSetRouterInstruction({ admin: input.admin, config: d.config, router: input.router }, cfg(d)), opts);

export interface Timing {
  expiryGraceSecs: bigint;
  settlementWindowSecs: bigint;
  minDurationSecs: bigint;
  reviewWindowSecs: bigint;
}

export const setTiming = (client: SolanaClient, d: Deployment, input: Admin & Timing, opts?: FlowOptions) =>
  run(client, d, input.admin, getSetTimingInstruction({ ...input, config: d.config }, cfg(d)), opts);

export const setTreasury = (client: SolanaClient, d: Deployment, input: Admin & { treasury: Address }, opts?: FlowOptions) =>
  run(client, d, input.admin, getSetTreasuryInstruction({ admin: input.admin, config: d.config, treasury: input.treasury }, cfg(d)), opts);

export const proposeAdmin = (client: SolanaClient, d: Deployment, input: Admin & { newAdmin: Address }, opts?: FlowOptions) =>
  run(client, d, input.admin, getProposeAdminInstruction({ admin: input.admin, config: d.config, newAdmin: input.newAdmin }, cfg(d)), opts);

export const acceptAdmin = (client: SolanaClient, d: Deployment, input: { newAdmin: TransactionSigner }, opts?: FlowOptions) =>
  run(client, d, input.newAdmin, getAcceptAdminInstruction({ newAdmin: input.newAdmin, config: d.config }, cfg(d)), opts);

/** Operator status: 1 active, 2 suspended. */
export const OperatorStatus = { Pending: 0, Active: 1, Suspended: 2 } as const;

export const setOperatorStatus = (client: SolanaClient, d: Deployment, input: Admin & { operator: Address; status: number }, opts?: FlowOptions) =>
  run(client, d, input.admin, getSetOperatorStatusInstruction({ admin: input.admin, config: d.config, operator: input.operator, status: input.status }, cfg(d)), opts);
