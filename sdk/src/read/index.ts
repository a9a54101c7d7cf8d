export * from "./accounts.ts";
export * from "./history.ts";
export * from "./receipts.ts";
export * from "./bill.ts";
export * from "./executions.ts";
export * from "./reputation.ts";
export * from "./deployments.ts";
export * from "./earnings.ts";
