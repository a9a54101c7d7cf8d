// JSON schemas of the HTTP API: fastify validates with them and @fastify/swagger publishes
// them at /openapi.json. Bytes travel as standard base64; addresses as base58.

export const BASE58_ADDRESS = "^[1-9A-HJ-NP-Za-km-z]{32,44}$";
export const BASE64 = "^[A-Za-z0-9+/]*={0,2}$";

export const address = { type: "string", pattern: BASE58_ADDRESS, description: "base58 address" } as const;

export const errorBody = {
  type: "object",
  required: ["error", "message"],
  properties: {
    error: { type: "string", description: "machine-readable reason" },
    message: { type: "string", description: "what was wrong, for a person" },
    index: { type: "integer", description: "position of the offending receipt in the batch" },
  },
} as const;

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, errorBody]));

export const receiptItem = {
  type: "object",
  additionalProperties: false,
  required: ["execution", "signer", "message", "signature"],
  properties: {
    execution: address,
    signer: { ...address, description: "operator key that signed the message" },
    message: { type: "string", pattern: BASE64, minLength: 4, maxLength: 344, description: "base64 of the signed receipt message" },
    signature: { type: "string", pattern: BASE64, minLength: 88, maxLength: 88, description: "base64 of the 64-byte ed25519 signature" },
  },
} as const;

export const postReceipts = (maxItems: number) => ({
  summary: "Submit one or many signed receipts",
  description:
    "Each receipt is verified (signature, binding, assignment, cumulative increase) before any is stored; the batch is stored atomically. 202 only once every receipt is durable.",
  tags: ["receipts"],
  body: {
    type: "object",
    additionalProperties: false,
    required: ["receipts"],
    properties: { receipts: { type: "array", minItems: 1, maxItems, items: receiptItem } },
  },
  response: {
    202: {
      type: "object",
      required: ["accepted"],
      properties: {
        accepted: {
          type: "array",
          items: {
            type: "object",
            properties: {
              execution: { type: "string" },
              segment: { type: "integer" },
              sequence: { type: "integer" },
              status: { type: "string", enum: ["accepted", "duplicate"] },
            },
          },
        },
      },
    },
    ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
  },
});

const executionParams = { type: "object", required: ["address"], properties: { address } } as const;
const routerSecurity = [{ router: [] }];

export const postSegment = {
  summary: "Assign a segment of an execution to an operator (router)",
  tags: ["executions"],
  security: routerSecurity,
  params: executionParams,
  body: {
    type: "object",
    additionalProperties: false,
    required: ["segment", "operator", "operatorKey", "sku"],
    properties: {
      segment: { type: "integer", minimum: 0, maximum: 15 },
      operator: { ...address, description: "operator account" },
      operatorKey: { ...address, description: "key that signs the operator's receipts" },
      sku: { type: "string", pattern: "^[\\x20-\\x7e]{1,8}$", description: "SKU code, 1–8 printable ASCII characters" },
      maxPrice: {
        type: "string",
        pattern: "^[0-9]{1,20}$",
        description: "the most the router agreed to pay per work unit (u64, decimal); the program refuses the assignment (RateAboveMaxPrice) if the operator's rate is above it. Default: the operator's rate when the settler assigns it",
      },
      budget: { type: "string", pattern: "^[0-9]{1,20}$", description: "tokens (fee included) this segment may charge (u64, decimal); 0 or absent: the whole max burn" },
    },
  },
  response: {
    202: {
      type: "object",
      properties: { execution: { type: "string" }, segment: { type: "integer" }, status: { type: "string", enum: ["created", "unchanged", "updated"] } },
    },
    ...errors(400, 401, 404, 409, 413, 415, 422, 429, 503),
  },
} as const;

export const postComplete = {
  summary: "Tell the settler an execution has ended (router)",
  tags: ["executions"],
  security: routerSecurity,
  params: executionParams,
  response: {
    202: { type: "object", properties: { execution: { type: "string" }, status: { type: "string", enum: ["completed", "unchanged"] } } },
    ...errors(400, 401, 404, 429),
  },
} as const;

const storedReceipt = {
  type: ["object", "null"],
  properties: {
    cumulativeUnits: { type: "string" },
    sequence: { type: "integer" },
    acceptedAt: { type: "integer" },
    settledUnits: { type: "string" },
    settledSequence: { type: "integer" },
    pending: { type: "boolean" },
  },
} as const;

const quarantinedItem = {
  type: "object",
  properties: {
    execution: { type: "string" },
    segment: { type: "integer" },
    sequence: { type: "integer" },
    cumulativeUnits: { type: "string" },
    signer: { type: "string" },
    message: { type: "string", description: "base64" },
    signature: { type: "string", description: "base64" },
    reason: { type: "string" },
    quarantinedAt: { type: "integer" },
  },
} as const;

export const getExecution = {
  summary: "Status of an execution as the settler knows it",
  description: "`chain` (live burn, max burn, bill) is filled by the SDK's reader once it lands; null until then.",
  tags: ["executions"],
  params: executionParams,
  response: {
    200: {
      type: "object",
      properties: {
        address: { type: "string" },
        status: { type: "string" },
        createdAt: { type: "integer" },
        completedAt: { type: ["integer", "null"] },
        segments: {
          type: "array",
          items: {
            type: "object",
            properties: {
              segment: { type: "integer" },
              operator: { type: "string" },
              operatorKey: { type: "string" },
              sku: { type: "string" },
              maxPrice: { type: ["string", "null"] },
              budget: { type: ["string", "null"] },
              landed: { type: "boolean" },
              refused: { type: ["string", "null"], description: "why the program refused to assign it; POST the segment again to retry" },
              receipt: storedReceipt,
            },
          },
        },
        quarantined: { type: "array", items: quarantinedItem },
        chain: { type: ["object", "null"], additionalProperties: true },
      },
    },
    ...errors(400, 404, 429),
  },
} as const;

export const listQuarantine = {
  summary: "Receipts the program refused for a permanent reason (router)",
  description: "Never sent again and never dropped: each is kept with the program's reason. A newer receipt for the same segment is still taken and tried.",
  tags: ["receipts"],
  security: routerSecurity,
  querystring: { type: "object", additionalProperties: false, properties: { execution: address, limit: { type: "integer", minimum: 1, maximum: 1000 } } },
  response: {
    200: { type: "object", properties: { receipts: { type: "array", items: quarantinedItem } } },
    ...errors(400, 401, 429),
  },
} as const;

export const postWebhook = {
  summary: "Subscribe a URL to settlement, bill and refund events (router)",
  description: "The response carries the HMAC secret once. Deliveries carry `ArkNet-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>`.",
  tags: ["webhooks"],
  security: routerSecurity,
  body: {
    type: "object",
    additionalProperties: false,
    required: ["url"],
    properties: {
      url: { type: "string", format: "uri", pattern: "^https?://", maxLength: 2048 },
      events: { type: "array", maxItems: 16, uniqueItems: true, items: { type: "string", pattern: "^[a-z][a-z._]{0,63}$" } },
    },
  },
  response: {
    201: {
      type: "object",
      properties: { id: { type: "string" }, url: { type: "string" }, events: { type: "array", items: { type: "string" } }, secret: { type: "string" } },
    },
    ...errors(400, 401, 413, 415, 429),
  },
} as const;

export const listWebhooks = {
  summary: "List webhook subscriptions (router)",
  tags: ["webhooks"],
  security: routerSecurity,
  response: {
    200: {
      type: "object",
      properties: {
        subscriptions: {
          type: "array",
          items: { type: "object", properties: { id: { type: "string" }, url: { type: "string" }, events: { type: "array", items: { type: "string" } } } },
        },
      },
    },
    ...errors(401, 429),
  },
} as const;

export const deleteWebhook = {
  summary: "Remove a webhook subscription (router)",
  tags: ["webhooks"],
  security: routerSecurity,
  params: { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" } } },
  response: { 204: { type: "null" }, ...errors(400, 401, 404, 429) },
} as const;

export const healthz = {
  summary: "Liveness and readiness",
  tags: ["ops"],
  response: {
    200: { type: "object", properties: { status: { type: "string" }, checks: { type: "object", additionalProperties: { type: "string" } } } },
    503: { type: "object", properties: { status: { type: "string" }, checks: { type: "object", additionalProperties: { type: "string" } } } },
  },
} as const;
