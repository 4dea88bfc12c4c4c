/**
 * The client's wire types (client/types.ts, webhook.types.ts, merchant.types.ts) are plain
 * TypeScript, so that the package ships no schema library and its declarations pull in no
 * Cloudflare type. Two checks keep them the service's:
 *
 * - at compile time (`npm run typecheck`), against the service's own zod schemas (`z.input`
 *   for what the client sends) and view functions (what it answers);
 * - at run time, every object of every answer, fetched from the real Worker, has exactly the
 *   keys the client's type names: a field the service adds or drops fails here.
 */
import { describe, expect, inject, it } from "vitest";
import type * as z from "zod";
import type * as client from "../../client/index.js";
import type {
  AuditLogEntry,
  CheckoutSession,
  CreateCheckoutSessionParams,
  CreateWebhookEndpointParams,
  DeletedWebhookEndpoint,
  DeliveryAttempt,
  EndpointDelivery,
  Event,
  EventDelivery,
  EventWithData,
  JournalEntry,
  ListAuditLogParams,
  ListCheckoutSessionsParams,
  ListEventsParams,
  Merchant,
  Page,
  Payment,
  PaymentMethodType,
  Problem,
  Provider,
  RedeliverEventParams,
  RolledKey,
  RollKeyParams,
  RotateWebhookSecretParams,
  StablemintSessionFields,
  UpdateMerchantParams,
  WebhookEndpointWithSecret,
  WebhookEventOf,
} from "../../client/index.js";
import type * as machines from "../../machines/index.js";
import type { deliveryView, eventView } from "../../src/core/event-views.js";
import type { paymentView, sessionView } from "../../src/core/views.js";
import type { listEvents } from "../../src/d1/events.js";
import type {
  notificationFields,
  stablemintSessionView,
} from "../../src/dialects/stablemint/views.js";
import type { AuditAction, ListAuditLog, listAuditLog } from "../../src/merchants/audit.js";
import type { RollMerchantKey } from "../../src/merchants/keys.js";
import type { PaymentMethodType as ServerPaymentMethodType } from "../../src/merchants/merchants.js";
import type { KNOWN_PROVIDERS, merchantView, PatchMerchant } from "../../src/merchants/settings.js";
import type {
  CreateCheckoutSession,
  CreateRefund,
  CreateWebhookEndpoint,
  ListCheckoutSessions,
  ListEvents,
  RedeliverEvent,
  RotateWebhookSecret,
} from "../../src/schemas.js";
import type { journalEntryView } from "../../src/session/journal-view.js";
import {
  CARDS,
  call,
  confirm,
  merchant,
  newMerchant,
  projected,
  RETURN_URL,
  receivedBy,
} from "./api.js";
import { embeddedBody, stablemint } from "./stablemint-api.js";

// ---------------------------------------------------------------- compile-time checks

/** Exactly the same type (modifiers included). */
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** A key set without index signatures (a spread of `Record<string, unknown>` adds one). */
type KnownKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

/** The same named keys, and the client's type fits the service's (it may be narrower). */
type Fits<Client, Server> = [Client] extends [Server]
  ? Equal<KnownKeys<Client>, KnownKeys<Server>>
  : false;

/** What the client sends, the service's schema takes, and the other way round. */
type Sends<Client, Input> = [Client] extends [Input]
  ? [Input] extends [Client]
    ? Equal<KnownKeys<Client>, KnownKeys<Input>>
    : false
  : false;

const holds = <T extends true>(_proof?: T) => true;

type ServerSession = ReturnType<typeof sessionView>;
type ServerPayment = ReturnType<typeof paymentView>;
type ListedEvent = Awaited<ReturnType<typeof listEvents>>["data"][number];

const compileTimeChecks = [
  // Enums: the client's unions are the machines' and the service's, member for member.
  holds<Equal<client.SessionStatus, machines.SessionStatus>>(),
  holds<Equal<client.PaymentStatus, machines.PaymentStatus>>(),
  holds<Equal<client.ChargeStatus, machines.ChargeStatus>>(),
  holds<Equal<client.WebhookEventType, machines.WebhookEventType>>(),
  holds<Equal<PaymentMethodType, ServerPaymentMethodType>>(),
  holds<Equal<Provider, (typeof KNOWN_PROVIDERS)[number]>>(),
  holds<Equal<AuditLogEntry["action"], AuditAction>>(),
  // Request bodies: exactly what the schemas accept.
  holds<Sends<CreateCheckoutSessionParams, z.input<typeof CreateCheckoutSession>>>(),
  holds<
    Sends<
      NonNullable<CreateCheckoutSessionParams["custom_fields"]>[number],
      NonNullable<z.input<typeof CreateCheckoutSession>["custom_fields"]>[number]
    >
  >(),
  holds<
    Sends<
      NonNullable<CreateCheckoutSessionParams["payer_fields"]>,
      NonNullable<z.input<typeof CreateCheckoutSession>["payer_fields"]>
    >
  >(),
  holds<Sends<CreateWebhookEndpointParams, z.input<typeof CreateWebhookEndpoint>>>(),
  holds<Sends<RotateWebhookSecretParams, z.input<typeof RotateWebhookSecret>>>(),
  holds<Sends<RedeliverEventParams, z.input<typeof RedeliverEvent>>>(),
  holds<Sends<UpdateMerchantParams, z.input<typeof PatchMerchant>>>(),
  holds<Sends<RollKeyParams, z.input<typeof RollMerchantKey>>>(),
  // Query strings: the same parameters, each a value the schema takes.
  holds<Fits<ListCheckoutSessionsParams, z.input<typeof ListCheckoutSessions>>>(),
  holds<Fits<ListEventsParams, z.input<typeof ListEvents>>>(),
  holds<Fits<ListAuditLogParams, z.input<typeof ListAuditLog>>>(),
  // Answers: the views' own types (the dialect's part of a session is checked on its own).
  holds<Fits<Omit<CheckoutSession, "stablemint">, ServerSession>>(),
  holds<Fits<StablemintSessionFields, ReturnType<typeof stablemintSessionView>>>(),
  holds<Fits<Payment, ServerPayment>>(),
  holds<Fits<client.Charge, ServerPayment["charges"][number]>>(),
  holds<Fits<client.Refund, ServerPayment["refunds"][number]>>(),
  holds<Sends<client.CreateRefundParams, z.input<typeof CreateRefund>>>(),
  holds<Fits<JournalEntry, ReturnType<typeof journalEntryView>>>(),
  holds<Fits<EventDelivery, ReturnType<typeof deliveryView>>>(),
  holds<Fits<DeliveryAttempt, ReturnType<typeof deliveryView>["attempts"][number]>>(),
  holds<
    Fits<EndpointDelivery, NonNullable<ReturnType<typeof deliveryView>["endpoints"]>[number]>
  >(),
  holds<Fits<Event, Omit<ReturnType<typeof eventView>, "data">>>(),
  holds<Equal<KnownKeys<Event>, KnownKeys<ListedEvent>>>(),
  holds<Fits<Merchant, ReturnType<typeof merchantView>>>(),
  holds<Fits<AuditLogEntry, Awaited<ReturnType<typeof listAuditLog>>["data"][number]>>(),
  holds<
    Equal<
      KnownKeys<ReturnType<typeof notificationFields>>,
      "reference" | "websiteReference" | "customFields"
    >
  >(),
];

// ---------------------------------------------------------------- run-time checks

/** Every key of `T`, optional ones too: the object literal must name each, and no other. */
const keysOf = <T>(record: Record<keyof T, true>) => Object.keys(record).sort();

const KEYS = {
  session: keysOf<CheckoutSession>({
    id: true,
    object: true,
    status: true,
    amount: true,
    currency: true,
    url: true,
    token: true,
    return_url: true,
    cancel_url: true,
    metadata: true,
    customer: true,
    line_items: true,
    capture_method: true,
    secure_mode: true,
    custom_fields: true,
    custom_field_values: true,
    stablemint: true,
    payment: true,
    closed_reason: true,
    created_at: true,
    updated_at: true,
    expires_at: true,
  }),
  stablemint: keysOf<StablemintSessionFields>({
    flow: true,
    user_id: true,
    user_email: true,
    user_country_code: true,
    website_reference: true,
    custom_fields: true,
    success_url: true,
    support_url: true,
    exit_url: true,
    error_url: true,
  }),
  payment: keysOf<Payment>({
    id: true,
    object: true,
    checkout_session_id: true,
    status: true,
    amount: true,
    currency: true,
    capture_method: true,
    last_error: true,
    paid_after_close: true,
    amount_refunded: true,
    charges: true,
    refunds: true,
    created_at: true,
    updated_at: true,
  }),
  refund: keysOf<client.Refund>({
    id: true,
    object: true,
    payment_id: true,
    charge_id: true,
    amount: true,
    status: true,
    reason: true,
    failure_code: true,
    failure_message: true,
    created_at: true,
    updated_at: true,
  }),
  charge: keysOf<client.Charge>({
    id: true,
    object: true,
    provider: true,
    status: true,
    payment_method: true,
    failure_code: true,
    failure_message: true,
    next_action_url: true,
    late: true,
    routing_rule: true,
    risk: true,
    created_at: true,
  }),
  journal: keysOf<JournalEntry>({
    object: true,
    seq: true,
    type: true,
    at: true,
    cause: true,
    request_id: true,
    state: true,
    event: true,
  }),
  page: keysOf<Page<unknown>>({ object: true, data: true, next_cursor: true }),
  list: keysOf<client.List<unknown>>({ object: true, data: true }),
  endpoint: keysOf<WebhookEndpointWithSecret>({
    id: true,
    object: true,
    url: true,
    events: true,
    status: true,
    disabled_reason: true,
    previous_secret_expires_at: true,
    created_at: true,
    secret: true,
  }),
  deleted: keysOf<DeletedWebhookEndpoint>({ id: true, object: true, deleted: true }),
  event: keysOf<EventWithData>({
    id: true,
    object: true,
    type: true,
    created: true,
    sequence: true,
    checkout_session_id: true,
    delivery: true,
    data: true,
  }),
  delivery: keysOf<EventDelivery>({
    status: true,
    attempts: true,
    next_attempt_at: true,
    endpoints: true,
  }),
  attempt: keysOf<DeliveryAttempt>({
    at: true,
    endpoint_id: true,
    ok: true,
    status_code: true,
    latency_ms: true,
    error: true,
  }),
  endpointDelivery: keysOf<EndpointDelivery>({
    endpoint_id: true,
    status: true,
    failures_in_row: true,
    next_attempt_at: true,
    reason: true,
  }),
  merchant: keysOf<Merchant>({
    id: true,
    object: true,
    name: true,
    logo_url: true,
    brand_color: true,
    support_url: true,
    allowed_origins: true,
    payment_methods: true,
    providers: true,
    routing_rules: true,
    risk: true,
    provider_credentials: true,
    sandbox: true,
    previous_key_expires_at: true,
    created_at: true,
  }),
  rolled: keysOf<RolledKey>({ object: true, secret_key: true, previous_key_expires_at: true }),
  audit: keysOf<AuditLogEntry>({
    id: true,
    object: true,
    action: true,
    created_at: true,
    request_id: true,
    actor: true,
    changes: true,
  }),
  webhook: keysOf<WebhookEventOf<"payment.succeeded">>({
    id: true,
    type: true,
    created: true,
    sequence: true,
    checkoutSessionId: true,
    paymentId: true,
    requestId: true,
    metadata: true,
    reference: true,
    websiteReference: true,
    customFields: true,
    data: true,
  }),
  problem: keysOf<Problem>({
    type: true,
    title: true,
    status: true,
    code: true,
    detail: true,
    request_id: true,
    errors: true,
  }),
};

/** The StableMint-only keys of a webhook body, absent from a checkout API session's. */
const STABLEMINT_ONLY = ["customFields", "reference", "websiteReference"];

const keys = (value: unknown) => Object.keys(value ?? {}).sort();

describe("the client's wire types name exactly the keys of the real answers", () => {
  it("sessions, payments, charges and journal entries", async () => {
    expect(compileTimeChecks.every(Boolean)).toBe(true);
    const m = await newMerchant();
    const created = await m.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
      capture_method: "manual",
    });
    const session = created.json.checkout_session;
    expect(keys(session)).toEqual(KEYS.session);
    await confirm(session.token, CARDS.success);
    const paid = (await m.call("GET", `/v1/checkout-sessions/${session.id}`)).json;
    expect(keys(paid.checkout_session)).toEqual(KEYS.session);
    expect(keys(paid.checkout_session.payment)).toEqual(KEYS.payment);
    const payment = (await m.call("GET", `/v1/payments/${paid.checkout_session.payment.id}`)).json
      .payment;
    expect(keys(payment)).toEqual(KEYS.payment);
    expect(keys(payment.charges[0])).toEqual(KEYS.charge);
    const journal = (await m.call("GET", `/v1/checkout-sessions/${session.id}/journal`)).json;
    expect(keys(journal)).toEqual(KEYS.list);
    expect(keys(journal.data[0])).toEqual(KEYS.journal);
    await projected(session.id);
    const page = (await m.call("GET", "/v1/checkout-sessions")).json;
    expect(keys(page)).toEqual(KEYS.page);
    expect(keys(page.data[0])).toEqual(KEYS.session);
  });

  it("a StableMint session's own part", async () => {
    const created = await stablemint("embedded", embeddedBody());
    expect(created.status).toBe(200);
    const { json } = await merchant("GET", `/v1/checkout-sessions/${created.json.reference}`);
    expect(keys(json.checkout_session)).toEqual(KEYS.session);
    expect(keys(json.checkout_session.stablemint)).toEqual(KEYS.stablemint);
  });

  it("webhook endpoints, events with their deliveries, and webhook bodies", async () => {
    const m = await newMerchant();
    const hook = crypto.randomUUID();
    const url = `${inject("receiverUrl")}/hooks/${hook}`;
    const endpoint = (await m.call("POST", "/v1/webhook-endpoints", { url })).json.webhook_endpoint;
    expect(keys(endpoint)).toEqual(KEYS.endpoint);
    const listed = (await m.call("GET", "/v1/webhook-endpoints")).json;
    expect(keys(listed)).toEqual(KEYS.list);
    expect(keys(listed.data[0])).toEqual(KEYS.endpoint.filter((key) => key !== "secret"));

    const session = (
      await m.call("POST", "/v1/checkout-sessions", {
        amount: 1050,
        currency: "EUR",
        return_url: RETURN_URL,
      })
    ).json.checkout_session;
    await confirm(session.token, CARDS.success);
    const delivered = await receivedBy(hook, 3);
    expect(delivered).toHaveLength(3);
    for (const { body } of delivered) {
      const event = JSON.parse(body);
      expect(keys(event)).toEqual(KEYS.webhook.filter((key) => !STABLEMINT_ONLY.includes(key)));
      const charge = event.type.startsWith("charge.");
      expect(keys(event.data)).toEqual(charge ? ["charge_id", "object"] : ["object"]);
      const session = event.type.startsWith("checkout_session.");
      expect(keys(event.data.object)).toEqual(session ? KEYS.session : KEYS.payment);
    }

    await projected(session.id);
    const events = (await m.call("GET", `/v1/events?checkout_session_id=${session.id}`)).json;
    expect(keys(events)).toEqual(KEYS.page);
    expect(events.data).toHaveLength(3);
    const withoutData = KEYS.event.filter((key) => key !== "data");
    for (const event of events.data) {
      expect(keys(event)).toEqual(withoutData);
      expect(keys(event.delivery)).toEqual(KEYS.delivery);
    }
    const one = (await m.call("GET", `/v1/events/${events.data[0].id}`)).json.event;
    expect(keys(one)).toEqual(KEYS.event);
    expect(keys(one.delivery.attempts[0])).toEqual(KEYS.attempt);
    expect(keys(one.delivery.endpoints[0])).toEqual(KEYS.endpointDelivery);
    const redelivered = await m.call("POST", `/v1/events/${one.id}/redeliver`);
    expect(keys(redelivered.json.event)).toEqual(withoutData);
    const deleted = (await m.call("DELETE", `/v1/webhook-endpoints/${endpoint.id}`)).json;
    expect(keys(deleted)).toEqual(KEYS.deleted);
  });

  it("the merchant's settings, key roll and audit log", async () => {
    const m = await newMerchant();
    const settings = (await m.call("GET", "/v1/merchant")).json.merchant;
    expect(keys(settings)).toEqual(KEYS.merchant);
    await m.call("PATCH", "/v1/merchant", { brand_color: "#0a7d38" });
    const rolled = (await m.call("POST", "/v1/merchant/keys/roll")).json;
    expect(keys(rolled)).toEqual(KEYS.rolled);
    const log = await call("GET", "/v1/merchant/audit-log", undefined, {
      authorization: `Bearer ${rolled.secret_key}`,
    });
    expect(keys(log.json)).toEqual(KEYS.page);
    expect(log.json.data.map((e: AuditLogEntry) => e.action)).toEqual([
      "merchant.key_rolled",
      "merchant.updated",
    ]);
    for (const entry of log.json.data) expect(keys(entry)).toEqual(KEYS.audit);
  });

  it("a problem body", async () => {
    const refused = await merchant("POST", "/v1/checkout-sessions", { amount: -1 });
    expect(keys(refused.json)).toEqual(KEYS.problem);
    const unauthenticated = await call("GET", "/v1/merchant");
    expect(keys(unauthenticated.json)).toEqual(KEYS.problem.filter((key) => key !== "errors"));
  });
});
