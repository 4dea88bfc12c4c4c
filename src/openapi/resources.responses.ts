/**
 * The answers of the merchant's other resources, written from the code that shapes them:
 * events (src/core/event-views.ts `eventView`, `deliveryView`; src/d1/events.ts `listEvents`),
 * webhook endpoints (`endpointView` in src/routes/webhook-endpoints.ts), the merchant
 * (`merchantView` in src/merchants/settings.ts), its key roll and its audit log.
 */
import * as z from "zod";
import { WebhookEventType } from "../../machines/index.js";
import { component, Timestamp } from "./registry.js";
import { CheckoutSession, Payment } from "./session.responses.js";

const Nullable = z.string().nullable();
const NullableTime = Timestamp.nullable();

export const Delivery = component(
  "Delivery",
  z
    .object({
      status: z.enum(["pending", "delivered", "failed", "skipped"]),
      attempts: z.array(
        z.object({
          at: Timestamp,
          endpoint_id: Nullable,
          ok: z.boolean(),
          status_code: z.number().int().nullable(),
          latency_ms: z.number().nullable(),
          error: Nullable,
        }),
      ),
      next_attempt_at: NullableTime,
      endpoints: z
        .array(
          z.object({
            endpoint_id: z.string(),
            status: z.enum(["pending", "delivered", "failed", "disabled"]),
            failures_in_row: z.number().int(),
            next_attempt_at: NullableTime,
            reason: Nullable,
          }),
        )
        .nullable()
        .describe("Each endpoint's own delivery; null until the event falls due."),
    })
    .describe("How an event's delivery stands: every attempt, and each endpoint's schedule."),
);

const eventFields = {
  id: z.string().describe("`evt_…`, the `webhook-id` of its deliveries."),
  object: z.literal("event"),
  type: WebhookEventType,
  created: z.number().int().describe("Unix seconds."),
  sequence: z.number().int().describe("1, 2, 3… per session."),
  checkout_session_id: z.string(),
  delivery: Delivery,
};

export const Event = component("Event", z.object(eventFields));

export const EventData = component(
  "EventData",
  z
    .object({
      object: z.union([CheckoutSession, Payment]),
      charge_id: z.string().optional().describe("`charge.*` events: the charge."),
    })
    .describe(
      "The session (`checkout_session.*`) or payment (`payment.*`, `charge.*`) as it was when the event happened.",
    ),
);

export const EventWithData = component(
  "EventWithData",
  z.object({ ...eventFields, data: EventData }),
);

export const EventList = component(
  "EventList",
  z.object({ object: z.literal("list"), data: z.array(Event), next_cursor: Nullable }),
);

export const EventAnswer = component("EventAnswer", z.object({ event: EventWithData }));
export const RedeliveredAnswer = component("RedeliveredAnswer", z.object({ event: Event }));

const endpointFields = {
  id: z.string().describe("`we_…`"),
  object: z.literal("webhook_endpoint"),
  url: z.string(),
  events: z.array(WebhookEventType),
  status: z.enum(["enabled", "disabled"]),
  disabled_reason: Nullable,
  previous_secret_expires_at: NullableTime.describe("While a rotated-out secret still signs."),
  created_at: Timestamp,
};

export const WebhookEndpoint = component("WebhookEndpoint", z.object(endpointFields));

const WebhookEndpointWithSecret = component(
  "WebhookEndpointWithSecret",
  z.object({
    ...endpointFields,
    secret: z.string().describe("`whsec_…`: shown only here. Verify deliveries with it."),
  }),
);

export const EndpointAnswer = component(
  "WebhookEndpointAnswer",
  z.object({ webhook_endpoint: WebhookEndpoint }),
);
export const EndpointSecretAnswer = component(
  "WebhookEndpointSecretAnswer",
  z.object({ webhook_endpoint: WebhookEndpointWithSecret }),
);
export const EndpointList = component(
  "WebhookEndpointList",
  z.object({ object: z.literal("list"), data: z.array(WebhookEndpoint) }),
);
export const EndpointDeleted = component(
  "WebhookEndpointDeleted",
  z.object({ id: z.string(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) }),
);

export const Merchant = component(
  "Merchant",
  z.object({
    id: z.string(),
    object: z.literal("merchant"),
    name: z.string(),
    logo_url: Nullable,
    brand_color: Nullable.describe("`#rrggbb`"),
    support_url: Nullable,
    allowed_origins: z.array(z.string()),
    payment_methods: z.array(z.enum(["card", "bank_transfer"])),
    providers: z.array(z.string()).describe("In routing order."),
    routing_rules: z
      .array(
        z.object({
          name: z.string(),
          match: z.record(z.string(), z.unknown()).describe("Every condition given must hold."),
          providers: z.array(z.string()),
        }),
      )
      .describe("Evaluated in order at each confirm; none matching: `providers`."),
    risk: z
      .object({
        block_score: z.number().int().nullable(),
        require_3ds_score: z.number().int().nullable(),
        amount_thresholds: z.record(z.string(), z.number().int()),
      })
      .describe('Risk thresholds (README "Risk checks"); null: never.'),
    provider_credentials: z
      .object({
        stripe: z.object({ key_hint: z.string(), set_at: Timestamp }).optional(),
      })
      .describe("The keys set at the merchant's own provider accounts: only a hint of each."),
    sandbox: z.boolean().describe("Every provider is a sandbox one."),
    previous_key_expires_at: NullableTime.describe("While a rolled-out secret key still works."),
    created_at: Timestamp,
  }),
);

export const MerchantAnswer = component("MerchantAnswer", z.object({ merchant: Merchant }));

export const SecretKey = component(
  "SecretKey",
  z.object({
    object: z.literal("secret_key"),
    secret_key: z.string().describe("`sk_test_…` or `sk_live_…`: shown only here."),
    previous_key_expires_at: NullableTime.describe("null: the old key stopped at once."),
  }),
);

export const AuditLogEntry = component(
  "AuditLogEntry",
  z.object({
    id: z.string().describe("`aud_…`"),
    object: z.literal("audit_log_entry"),
    action: z.enum(["merchant.updated", "merchant.key_rolled"]),
    created_at: Timestamp,
    request_id: z.string(),
    actor: z.object({
      type: z.literal("secret_key"),
      key_hash_suffix: z.string().describe("The last 4 hex digits of the key's SHA-256."),
    }),
    changes: z
      .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
      .describe("Field → what it was and what it became (no secret ever)."),
  }),
);

export const AuditLogList = component(
  "AuditLogList",
  z.object({ object: z.literal("list"), data: z.array(AuditLogEntry), next_cursor: Nullable }),
);
