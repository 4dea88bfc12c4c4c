/**
 * Every route of the Worker as a fast-check arbitrary of hostile requests: the checkout API,
 * the payer's token API, both StableMint routes, the payer's pages, the sandbox challenge, the
 * assets, and paths no route has. Each route starts from a request it would accept (the right
 * method, a target's id, a valid body, valid credentials) and mostly breaks one to three things,
 * so validation is reached and not only the 401.
 */
import fc from "fast-check";
import { encodeCursor } from "../../src/cursor.js";
import { CARDS, PAYER, RETURN_URL } from "./api.js";
import {
  type FuzzCase,
  idOf,
  listQuery,
  noQuery,
  pathOf,
  queryOf,
  type RouteSpec,
  ref,
  route,
} from "./fuzz-case.js";
import { browserHeaders, merchantAuth, payerAuth, stablemintAuth } from "./fuzz-credentials.js";
import { hostileSegment } from "./fuzz-http.js";
import { SHOP } from "./stablemint-api.js";

const address = { line1: "1 Main St", city: "Berlin", postal_code: "10115", country: "DE" };

const CREATE = [
  { amount: 1050, currency: "EUR", return_url: RETURN_URL },
  {
    amount: 1050,
    currency: "EUR",
    url: "https://shop.example/checkout",
    return_url: RETURN_URL,
    cancel_url: "https://shop.example/cancel?order={CHECKOUT_SESSION_ID}",
    expires_in: 3600,
    metadata: { order_id: "ord_123" },
    customer: { email: "ada@example.com", name: "Ada Lovelace", phone: "+44 20 7946 0000" },
    line_items: [{ name: "Tea", quantity: 2, unit_amount: 525 }],
    capture_method: "manual",
    secure_mode: false,
    custom_fields: [{ key: "note", label: "Note", type: "text", optional: true }],
    payer_fields: {
      name: "required",
      email: "optional",
      phone: "hidden",
      billing_address: "optional",
    },
  },
];

const cardOf = (number: string) => ({
  type: "card",
  card: { number, exp_month: 12, exp_year: 2030, cvc: "123" },
});

const CONFIRM = [
  {
    payment_method: cardOf(CARDS.declined),
    payer: {
      ...PAYER,
      phone: "+4915123456789",
      billing_address: address,
      shipping_same_as_billing: true,
    },
    custom_fields: { note: "hello" },
  },
  { payment_method: cardOf(CARDS.success), payer: PAYER, amount: 1050 },
  { payment_method: { type: "bank_transfer", bank_id: "sandbox_de_1" }, payer: PAYER },
];

const EMBEDDED = {
  userId: "user-fuzz-1",
  userEmail: "ada@example.com",
  userCountryCode: "DE",
  currency: "EUR",
  amount: 5.5,
};
const URLS = {
  successUrl: `${SHOP}/success`,
  supportUrl: `${SHOP}/support`,
  exitUrl: `${SHOP}/exit`,
  errorUrl: `${SHOP}/error`,
};
const EXTRAS = {
  idempotencyKey: "fuzz-key-1",
  websiteReference: "web-1",
  customFields: { cart: { items: [{ sku: "A-1" }] } },
  userKyc: {
    fullName: "Ada Lovelace",
    citizenshipCountryCode: "GB",
    residenceAddress: "1 Main St",
    dateOfBirth: "1990-12-10",
    placeOfBirth: "London",
    gender: "female",
    mobilePhone: "+447700900000",
    personalIdentificationNumber: "X1",
  },
};

const cursor = encodeCursor([Date.now(), "cs_0"]);
const tokens = () => idOf("open.token", "sm.sessionId", "challenge.token", "foreign.token");
const sessionIds = () => idOf("open.id", "sm.id", "challenge.id", "authorized.id");
const payments = () => idOf("authorized.pay", "challenge.id", "open.pay");
const events = () => idOf("authorized.event");
const endpoint = () => idOf("endpoint.id");
const charges = () => idOf("challenge.charge", "authorized.charge");
const payerSession = () => idOf("open.id", "sm.id");

const ROUTES: RouteSpec[] = [
  {
    name: "create",
    method: "POST",
    path: pathOf("v1", "checkout-sessions"),
    auth: merchantAuth,
    json: CREATE,
    headers: fc
      .option(fc.constantFrom("fuzz-idem-1", "x".repeat(256), " ", "\u007f"))
      .map((key) => (key === null ? [] : [["idempotency-key", key]])),
  },
  {
    name: "list",
    method: "GET",
    path: pathOf("v1", "checkout-sessions"),
    auth: merchantAuth,
    ...listQuery({
      status: "PENDING",
      created_gte: "0",
      created_lte: "2100-01-01T00:00:00Z",
      limit: "5",
      cursor,
    }),
  },
  {
    name: "retrieve",
    method: "GET",
    path: pathOf("v1", "checkout-sessions", sessionIds()),
    auth: merchantAuth,
  },
  {
    name: "journal",
    method: "GET",
    path: pathOf("v1", "checkout-sessions", sessionIds(), "journal"),
    auth: merchantAuth,
  },
  {
    name: "cancel",
    method: "POST",
    path: pathOf("v1", "checkout-sessions", sessionIds(), "cancel"),
    auth: merchantAuth,
  },
  {
    name: "payment",
    method: "GET",
    path: pathOf("v1", "payments", payments()),
    auth: merchantAuth,
  },
  {
    name: "capture",
    method: "POST",
    path: pathOf("v1", "payments", payments(), "capture"),
    auth: merchantAuth,
  },
  {
    name: "refund",
    method: "POST",
    path: pathOf("v1", "payments", payments(), "refunds"),
    auth: merchantAuth,
    json: [{}, { amount: 100, reason: "requested_by_customer" }],
  },
  {
    name: "refunds",
    method: "GET",
    path: pathOf("v1", "payments", payments(), "refunds"),
    auth: merchantAuth,
  },
  {
    name: "test-advance-clock",
    method: "POST",
    path: pathOf("v1", "test_helpers", "checkout-sessions", sessionIds(), "advance_clock"),
    auth: merchantAuth,
    json: [{ seconds: 60 }, { to: "expires_at" }, { to: "provider_deadline" }],
  },
  {
    name: "test-provider-answer",
    method: "POST",
    path: pathOf("v1", "test_helpers", "payments", payments(), "provider_answer"),
    auth: merchantAuth,
    json: [{ outcome: "succeeded" }, { outcome: "declined", charge_id: "pay_x_ch1" }],
  },
  {
    name: "test-trigger",
    method: "POST",
    path: pathOf("v1", "test_helpers", "webhook-endpoints", endpoint(), "trigger"),
    auth: merchantAuth,
    json: [{ type: "payment.succeeded" }],
  },
  {
    name: "endpoint-create",
    method: "POST",
    path: pathOf("v1", "webhook-endpoints"),
    auth: merchantAuth,
    json: [
      {
        url: "https://hooks.example/fuzz",
        events: ["checkout_session.completed", "payment.succeeded"],
      },
    ],
  },
  {
    name: "endpoint-list",
    method: "GET",
    path: pathOf("v1", "webhook-endpoints"),
    auth: merchantAuth,
  },
  {
    name: "endpoint-get",
    method: "GET",
    path: pathOf("v1", "webhook-endpoints", endpoint()),
    auth: merchantAuth,
  },
  {
    name: "endpoint-delete",
    method: "DELETE",
    path: pathOf("v1", "webhook-endpoints", endpoint()),
    auth: merchantAuth,
  },
  {
    name: "endpoint-rotate",
    method: "POST",
    path: pathOf("v1", "webhook-endpoints", endpoint(), "rotate-secret"),
    auth: merchantAuth,
    json: [{ overlap_seconds: 60 }, {}],
  },
  {
    name: "endpoint-enable",
    method: "POST",
    path: pathOf("v1", "webhook-endpoints", endpoint(), "enable"),
    auth: merchantAuth,
  },
  {
    name: "events",
    method: "GET",
    path: pathOf("v1", "events"),
    auth: merchantAuth,
    ...listQuery({
      checkout_session_id: ref("authorized.id"),
      type: "payment.authorized",
      delivery_status: "delivered",
      limit: "5",
      cursor,
    }),
  },
  { name: "event", method: "GET", path: pathOf("v1", "events", events()), auth: merchantAuth },
  {
    name: "redeliver",
    method: "POST",
    path: pathOf("v1", "events", events(), "redeliver"),
    auth: merchantAuth,
  },
  { name: "merchant", method: "GET", path: pathOf("v1", "merchant"), auth: merchantAuth },
  {
    name: "merchant-patch",
    method: "PATCH",
    path: pathOf("v1", "merchant"),
    auth: merchantAuth,
    json: [
      {
        name: "Fuzz Store",
        brand_color: "#1a56db",
        support_url: "https://help.example/",
        allowed_origins: ["https://shop.example"],
        payment_methods: ["card"],
        providers: ["sandbox_backup", "sandbox"],
      },
      { brand_color: "#0a7d38", logo_url: null },
      {
        routing_rules: [
          { name: "try", match: { currency: ["TRY"] }, providers: ["sandbox_backup"] },
        ],
      },
    ],
  },
  {
    name: "key-roll",
    method: "POST",
    path: pathOf("v1", "merchant", "keys", "roll"),
    auth: merchantAuth,
    json: [{ overlap_seconds: 86_400 }, {}],
  },
  {
    name: "audit-log",
    method: "GET",
    path: pathOf("v1", "merchant", "audit-log"),
    auth: merchantAuth,
    ...listQuery({ limit: "5", cursor: encodeCursor([Date.now(), "aud_1"]) }),
  },
  {
    name: "token-preflight",
    method: "OPTIONS",
    path: pathOf("v1", "checkout-sessions", "token", tokens(), "confirm"),
    auth: fc.constant({ kind: "none" }),
  },
  {
    name: "token-view",
    method: "GET",
    path: pathOf("v1", "checkout-sessions", "token", tokens()),
    auth: fc.constant({ kind: "none" }),
  },
  {
    name: "token-confirm",
    method: "POST",
    path: pathOf("v1", "checkout-sessions", "token", tokens(), "confirm"),
    auth: fc.constant({ kind: "none" }),
    json: CONFIRM,
  },
  {
    name: "token-exit",
    method: "POST",
    path: pathOf("v1", "checkout-sessions", "token", tokens(), "exit"),
    auth: fc.constant({ kind: "none" }),
  },
  {
    name: "challenge-return",
    method: "GET",
    path: pathOf("v1", "checkout-sessions", "challenge-return"),
    auth: fc.constant({ kind: "none" }),
    query: queryOf({ charge_id: ref("challenge.charge") }),
    headers: browserHeaders,
  },
  {
    name: "sm-hosted",
    method: "POST",
    path: pathOf("session", "hosted"),
    auth: stablemintAuth,
    json: [
      { ...EMBEDDED, ...URLS },
      { ...EMBEDDED, ...URLS, ...EXTRAS },
    ],
  },
  {
    name: "sm-embedded",
    method: "POST",
    path: pathOf("session", "embedded"),
    auth: stablemintAuth,
    json: [EMBEDDED, { ...EMBEDDED, amount: null, ...EXTRAS, idempotencyKey: "fuzz-key-2" }],
  },
  {
    name: "bank-logo",
    method: "GET",
    path: pathOf(
      "banks",
      fc.oneof(fc.constantFrom("sandbox_de_1", "fail_pl_1"), hostileSegment),
      "logo.svg",
    ),
    auth: fc.constant({ kind: "none" }),
  },
  {
    name: "assets",
    method: "GET",
    path: fc.oneof(
      pathOf("assets", fc.constantFrom("checkout.js", "checkout.css")),
      pathOf("widget.js"),
      pathOf(
        "assets",
        "brand",
        fc.oneof(fc.constantFrom("1a56db.css", "FFFFFF.css", "000000.css"), hostileSegment),
      ),
    ),
    auth: fc.constant({ kind: "none" }),
  },
  {
    name: "pay-link",
    method: "GET",
    path: pathOf("pay"),
    auth: fc.constant({ kind: "none" }),
    query: queryOf({ token: ref("open.token") }),
  },
  {
    name: "pay-page",
    method: "GET",
    path: pathOf("pay", idOf("open.token", "open.id", "sm.sessionId", "foreign.id")),
    auth: payerAuth("open.token"),
    query: fc.oneof(
      { weight: 4, arbitrary: noQuery },
      { weight: 1, arbitrary: queryOf({ token: ref("open.token") }) },
    ),
    headers: browserHeaders,
  },
  {
    name: "pay-session",
    method: "GET",
    path: pathOf("pay", payerSession(), "session"),
    auth: payerAuth("open.token"),
    headers: browserHeaders,
  },
  {
    name: "pay-confirm",
    method: "POST",
    path: pathOf("pay", payerSession(), "confirm"),
    auth: payerAuth("open.token"),
    json: CONFIRM,
    headers: browserHeaders,
  },
  {
    name: "pay-exit",
    method: "POST",
    path: pathOf("pay", payerSession(), "exit"),
    auth: payerAuth("open.token"),
    headers: browserHeaders,
  },
  {
    name: "pay-logo",
    method: "GET",
    path: pathOf("pay", payerSession(), "logo"),
    auth: payerAuth("open.token"),
  },
  {
    name: "embed",
    method: "GET",
    path: pathOf("embed", idOf("open.id", "sm.sessionId", "foreign.id")),
    auth: fc.constant({ kind: "none" }),
    headers: browserHeaders,
  },
  {
    name: "demo-return",
    method: "GET",
    path: pathOf("demo", "return"),
    auth: fc.constant({ kind: "none" }),
    query: queryOf({ session_id: ref("open.id") }),
  },
  {
    name: "challenge-page",
    method: "GET",
    path: pathOf("sandbox", "challenge", charges()),
    auth: fc.constant({ kind: "none" }),
  },
  {
    name: "challenge-decide",
    method: "POST",
    path: pathOf("sandbox", "challenge", charges()),
    auth: fc.constant({ kind: "none" }),
    form: true,
    headers: browserHeaders,
  },
];

/** A request to no route in particular: any method, any segments. */
const anywhere: RouteSpec = {
  name: "anywhere",
  method: "GET",
  path: fc.array(
    fc.oneof(
      fc.constantFrom("v1", "session", "pay", "assets", "sandbox", "..", "checkout-sessions"),
      hostileSegment,
    ),
    { maxLength: 6 },
  ),
  auth: fc.oneof(merchantAuth, stablemintAuth),
};

/** Every route, the ones that read a body twice as often. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  ...[...ROUTES, anywhere].map((spec) => ({
    weight: spec.json !== undefined || spec.form ? 2 : 1,
    arbitrary: route(spec),
  })),
);

/** The names of every route the fuzzer covers, for the figures. */
export const ROUTE_NAMES = [...ROUTES, anywhere].map((spec) => spec.name);
