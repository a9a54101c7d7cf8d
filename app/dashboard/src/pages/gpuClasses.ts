// "eqv/hr": what an hour of work costs in H100-equivalents, for comparing SKUs. A work unit is
// taken as one GPU-second of the SKU's class, and each class's throughput relative to an H100 is
// an assumption shown on the page (not protocol data: the program only knows prices per unit).
export const GPU_CLASSES: { sku: string; relative: number }[] = [
  { sku: "H200", relative: 1.4 },
  { sku: "H100", relative: 1 },
  { sku: "A100", relative: 0.5 },
  { sku: "L40S", relative: 0.45 },
  { sku: "RTX4090", relative: 0.35 },
  { sku: "A10", relative: 0.18 },
  { sku: "L4", relative: 0.15 },
  { sku: "T4", relative: 0.08 },
];

/** Price per H100-equivalent hour in base units, or null for a SKU of unknown class. */
export function eqvPerHour(sku: string, pricePerUnit: bigint): number | null {
  const cls = GPU_CLASSES.find((c) => c.sku.toUpperCase() === sku.toUpperCase());
  return cls ? (Number(pricePerUnit) * 3600) / cls.relative : null;
}
