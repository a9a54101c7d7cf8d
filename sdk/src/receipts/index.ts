export * from "./sku.ts";
export * from "./message.ts";
export * from "./sign.ts";
export * from "./precompile.ts";
export * from "./pack.ts";
