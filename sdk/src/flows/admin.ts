// The admin's setters: fee, pause, router, timing, treasury, admin handover, operator status.
// None touches escrowed or claimable tokens; each applies to executions reserved afterwards.
// Each has a builder (`*Instructions`, nothing sent) and a flow that sends what it builds.
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
import type { Deployment, DeploymentAccounts } from "../deployment.ts";
import type { SolanaClient } from "../tx/client.ts";
import { sendFlow, type FlowOptions, type FlowResult } from "./send.ts";

type Admin = { admin: TransactionSigner };
type Accounts = Pick<DeploymentAccounts, "programAddress" | "config">;
const run = async (client: SolanaClient, d: Deployment, signer: TransactionSigner, instructions: Instruction[], opts?: FlowOptions): Promise<FlowResult> => ({
  signature: await sendFlow(client, d, signer, instructions, opts),
});
const cfg = (d: Accounts) => ({ programAddress: d.programAddress });

export const setFeeInstructions = (d: Accounts, input: Admin & { feeBps: number }): Instruction[] => [
  getSetFeeInstruction({ admin: input.admin, config: d.config, feeBps: input.feeBps }, cfg(d)),
];
export const setFee = (client: SolanaClient, d: Deployment, input: Admin & { feeBps: number }, opts?: FlowOptions) =>
  run(client, d, input.admin, setFeeInstructions(d, input), opts);

export const setPausedInstructions = (d: Accounts, input: Admin & { paused: boolean }): Instruction[] => [
  getSetPausedInstruction({ admin: input.admin, config: d.config, paused: input.paused }, cfg(d)),
];
export const setPaused = (client: SolanaClient, d: Deployment, input: Admin & { paused: boolean }, opts?: FlowOptions) =>
  run(client, d, input.admin, setPausedInstructions(d, input), opts);

export const setRouterInstructions = (d: Accounts, input: Admin & { router: Address }): Instruction[] => [
  getSetRouterInstruction({ admin: input.admin, config: d.config, router: input.router }, cfg(d)),
];
export const setRouter = (client: SolanaClient, d: Deployment, input: Admin & { router: Address }, opts?: FlowOptions) =>
  run(client, d, input.admin, setRouterInstructions(d, input), opts);

export interface Timing {
  expiryGraceSecs: bigint;
  settlementWindowSecs: bigint;
  minDurationSecs: bigint;
  reviewWindowSecs: bigint;
}

export const setTimingInstructions = (d: Accounts, input: Admin & Timing): Instruction[] => [
  getSetTimingInstruction(
    {
      admin: input.admin,
      config: d.config,
      expiryGraceSecs: input.expiryGraceSecs,
      settlementWindowSecs: input.settlementWindowSecs,
      minDurationSecs: input.minDurationSecs,
      reviewWindowSecs: input.reviewWindowSecs,
    },
    cfg(d),
  ),
];
export const setTiming = (client: SolanaClient, d: Deployment, input: Admin & Timing, opts?: FlowOptions) =>
  run(client, d, input.admin, setTimingInstructions(d, input), opts);

export const setTreasuryInstructions = (d: Accounts, input: Admin & { treasury: Address }): Instruction[] => [
  getSetTreasuryInstruction({ admin: input.admin, config: d.config, treasury: input.treasury }, cfg(d)),
];
export const setTreasury = (client: SolanaClient, d: Deployment, input: Admin & { treasury: Address }, opts?: FlowOptions) =>
  run(client, d, input.admin, setTreasuryInstructions(d, input), opts);

export const proposeAdminInstructions = (d: Accounts, input: Admin & { newAdmin: Address }): Instruction[] => [
  getProposeAdminInstruction({ admin: input.admin, config: d.config, newAdmin: input.newAdmin }, cfg(d)),
];
export const proposeAdmin = (client: SolanaClient, d: Deployment, input: Admin & { newAdmin: Address }, opts?: FlowOptions) =>
  run(client, d, input.admin, proposeAdminInstructions(d, input), opts);

export const acceptAdminInstructions = (d: Accounts, input: { newAdmin: TransactionSigner }): Instruction[] => [
  getAcceptAdminInstruction({ newAdmin: input.newAdmin, config: d.config }, cfg(d)),
];
export const acceptAdmin = (client: SolanaClient, d: Deployment, input: { newAdmin: TransactionSigner }, opts?: FlowOptions) =>
  run(client, d, input.newAdmin, acceptAdminInstructions(d, input), opts);

/** Operator status: 1 active, 2 suspended. */
export const OperatorStatus = { Pending: 0, Active: 1, Suspended: 2 } as const;

export const setOperatorStatusInstructions = (d: Accounts, input: Admin & { operator: Address; status: number }): Instruction[] => [
  getSetOperatorStatusInstruction({ admin: input.admin, config: d.config, operator: input.operator, status: input.status }, cfg(d)),
];
export const setOperatorStatus = (client: SolanaClient, d: Deployment, input: Admin & { operator: Address; status: number }, opts?: FlowOptions) =>
  run(client, d, input.admin, setOperatorStatusInstructions(d, input), opts);
