// Typed refusals of the store. The API maps `code` to an HTTP status and says `message`.

export type StoreErrorCode =
  | "UnknownExecution"
  | "UnknownSegment"
  | "SegmentConflict"
  | "ExecutionClosed"
  | "ReceiptNotNewer"
  | "ReceiptConflict"
  | "InvalidTransition"
  | "OutboxMissing"
  | "OutboxExists"
  | "LeaseLost"
  | "SchemaTooNew";

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** Position in a batch, when the error is about one element of it. */
  readonly index: number | undefined;
  constructor(code: StoreErrorCode, message: string, index?: number) {
    super(message);
    this.name = "StoreError";
    this.code = code;
    this.index = index;
  }
}

export const isStoreError = (e: unknown, code?: StoreErrorCode): e is StoreError =>
  e instanceof StoreError && (code === undefined || e.code === code);
