/**
 * The checkout API's wire types, as the service takes and answers them: snake_case, amounts in
 * minor units (1050 = 10.50 EUR), times ISO 8601 strings. Plain types, so the client ships no
 * schema library and its declarations pull in nothing; test/worker/client-types.test.ts checks
 * them against the service's own zod schemas and views and against real answers.
 */

export type SessionStatus =
  | "PENDING"
  | "PROCESSING"
  | "COMPLETED"
  | "EXPIRED"
  | "CANCELLED"
  | "FAILED";

export type PaymentStatus =
  | "CREATED"
  | "REQUIRES_PAYMENT_METHOD"
  | "REQUIRES_ACTION"
  | "AUTHORIZED"
  | "SUCCEEDED"
  | "FAILED";

export type ChargeStatus =
  | "pending"
  | "requires_action"
  | "authorized"
  | "succeeded"
  | "declined"
  | "failed";

export type CaptureMethod = "automatic" | "manual";

/** Whether the payer's page asks for a detail, and whether it may be left empty. */
export type FieldRequirement = "required" | "optional" | "hidden";

/** A list answer: `GET /v1/webhook-endpoints`, a session's journal. */
export interface List<T> {
  object: "list";
  data: T[];
}

/** One page of a keyset-paginated list, newest first: pass `next_cursor` as `cursor` for the next. */
export interface Page<T> extends List<T> {
  /** Null on the last page. */
  next_cursor: string | null;
}

export interface LineItem {
  name: string;
  quantity: number;
  /** Minor units. */
  unit_amount: number;
}

export interface CustomFieldDefinition {
  /** Lower-case letters, digits and `_`, starting with a letter (at most 40). */
  key: string;
  label: string;
  type?: "text" | "number";
  optional?: boolean;
}

export interface Customer {
  email?: string;
  name?: string;
  phone?: string;
}

/** `POST /v1/checkout-sessions`. */
export interface CreateCheckoutSessionParams {
  /** Minor units; may be left out when `line_items` give it (they must add up to it). */
  amount?: number;
  /** ISO 4217, any case. */
  currency: string;
  /** The merchant's own checkout page (semi-hosted); left out: our hosted page. */
  url?: string;
  return_url: string;
  cancel_url?: string;
  /** 60 to 86400 seconds; 3600 by default. */
  expires_in?: number;
  metadata?: Record<string, string>;
  customer?: Customer;
  line_items?: LineItem[];
  capture_method?: CaptureMethod;
  secure_mode?: boolean;
  custom_fields?: CustomFieldDefinition[];
  payer_fields?: {
    name?: FieldRequirement;
    email?: FieldRequirement;
    phone?: FieldRequirement;
    billing_address?: FieldRequirement;
    shipping_address?: FieldRequirement;
  };
  /** The payer pages' language: `auto` (the browser's, the default), `en`, `tr`, `de`, `fr`, `es`, or a region form such as `tr-TR`. */
  locale?: string;
}

/** `GET /v1/checkout-sessions`. */
export interface ListCheckoutSessionsParams {
  status?: SessionStatus;
  /** ISO 8601 with an offset, or epoch milliseconds. */
  created_gte?: string | number;
  created_lte?: string | number;
  /** 1 to 100; 20 by default. */
  limit?: number;
  cursor?: string;
}

export interface Charge {
  id: string;
  object: "charge";
  provider: string;
  status: ChargeStatus;
  payment_method:
    | { type: "card"; card: { brand: string; last4: string } }
    | { type: "bank_transfer"; bank_id: string };
  failure_code: string | null;
  failure_message: string | null;
  /** The 3-D Secure page the payer must pass, while the charge waits on it. */
  next_action_url: string | null;
  /** The provider reported success after the session had moved on without this charge. */
  late: boolean;
  /** The routing rule that chose this charge's provider; null: the merchant's default order. */
  routing_rule: string | null;
  /** What the merchant's risk rules made of the confirm; null: none was made. */
  risk: RiskAssessment | null;
  created_at: string;
}

/** README "Risk checks": each rule that spoke, added up, held against the merchant's thresholds. */
export interface RiskAssessment {
  /** `block`: declined `risk_blocked` with nothing sent; `require_3ds`: 3-D Secure was asked. */
  decision: "allow" | "require_3ds" | "block";
  score: number;
  reasons: Array<{ rule: string; score: number; reason: string }>;
}

export type RefundReason = "requested_by_customer" | "duplicate" | "fraudulent";

/** Money given back through the charge's provider. */
export interface Refund {
  /** `re_…`, from the idempotency key when one was sent. */
  id: string;
  object: "refund";
  payment_id: string;
  /** The charge the money goes back from. */
  charge_id: string;
  /** Minor units. */
  amount: number;
  /** `pending` while the provider has not said; it is asked again. */
  status: "pending" | "succeeded" | "failed";
  reason: RefundReason | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
}

/** `POST /v1/payments/:id/refunds`: all that is left when `amount` is left out. */
export interface CreateRefundParams {
  /** Minor units. */
  amount?: number;
  reason?: RefundReason;
}

export interface Payment {
  id: string;
  object: "payment";
  checkout_session_id: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  capture_method: CaptureMethod;
  last_error: { code: string; message: string } | null;
  /** Money arrived after the session expired, was cancelled or failed: kept, flagged for refund. */
  paid_after_close: boolean;
  /** What succeeded refunds gave back, minor units. */
  amount_refunded: number;
  /** Attempts at providers, in order: routing and fallback as they happened. */
  charges: Charge[];
  /** Oldest first. */
  refunds: Refund[];
  created_at: string;
  updated_at: string;
}

/** What a session created through the StableMint dialect adds to the checkout API's view. */
export interface StablemintSessionFields {
  flow: "hosted" | "embedded";
  user_id: string;
  user_email: string;
  user_country_code: string;
  website_reference: string | null;
  custom_fields: Record<string, unknown> | null;
  success_url: string | null;
  support_url: string | null;
  exit_url: string | null;
  error_url: string | null;
}

export interface CheckoutSession {
  id: string;
  object: "checkout_session";
  status: SessionStatus;
  /** Minor units; null until the payer chooses it (StableMint sessions made without one). */
  amount: number | null;
  currency: string;
  /** The payer's way in (`${url}?token=${token}`) while the session is open; null once final. */
  url: string | null;
  /** Null once final, and in webhook bodies. */
  token: string | null;
  return_url: string | null;
  cancel_url: string | null;
  metadata: Record<string, string>;
  customer: Customer | null;
  line_items: LineItem[] | null;
  capture_method: CaptureMethod;
  secure_mode: boolean;
  custom_fields: Required<CustomFieldDefinition>[];
  /** What the payer entered in `custom_fields`. */
  custom_field_values: Record<string, string>;
  stablemint: StablemintSessionFields | null;
  payment: Payment | null;
  /** `completed`, `payment_failed`, `merchant_cancelled`, `payer_exited`, `expired`; null while open. */
  closed_reason: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

/** One accepted event of a session's machine (`GET /v1/checkout-sessions/:id/journal`). */
export interface JournalEntry {
  object: "journal_entry";
  seq: number;
  /** The machine event, UPPER_SNAKE (`CONFIRM`, `PROVIDER_SUCCEEDED`, …). */
  type: string;
  at: string;
  cause: "merchant" | "payer" | "provider" | "alarm";
  /** The request that caused it (`alarm_…` for a deadline), as in webhook bodies. */
  request_id: string | null;
  /** The machine state it led to. */
  state: string;
  /** The event's own fields. */
  event: Record<string, unknown>;
}
