/**
 * The merchant's own settings, key roll and audit log: wire types, checked against the service
 * in test/worker/client-types.test.ts.
 */

export type PaymentMethodType = "card" | "bank_transfer";

/** The providers a merchant may route to today; `stripe` once its key is set. */
export type Provider = "sandbox" | "sandbox_backup" | "stripe";

/** What a routing rule looks at: every condition given must hold. */
export interface RoutingMatch {
  /** ISO 4217 codes, upper case. */
  currency?: string[];
  /** Minor units, inclusive. */
  amount_gte?: number;
  amount_lte?: number;
  payment_method?: PaymentMethodType;
  /** `visa`, `mastercard`, `amex`, `discover`, `jcb`, `troy`, `unknown`. */
  card_brand?: string[];
  /** The card's issuing country by its BIN (ISO 3166-1 alpha-2). */
  card_country?: string[];
}

/** One rule: the first whose match holds gives the payment its providers, in order. */
export interface RoutingRule {
  /** 1-64 letters, digits, `_`, `.` or `-`; recorded on each charge it routes. */
  name: string;
  match: RoutingMatch;
  providers: Provider[];
}

export interface Merchant {
  id: string;
  object: "merchant";
  name: string;
  logo_url: string | null;
  /** `#rrggbb`, lower case. */
  brand_color: string | null;
  support_url: string | null;
  /** Empty: any https URL (and local http in the sandbox). */
  allowed_origins: string[];
  payment_methods: PaymentMethodType[];
  /** The routing order, first tried first. */
  providers: string[];
  /** Evaluated in order at each confirm; none matching: `providers`. */
  routing_rules: RoutingRule[];
  risk: RiskSettings;
  /** The keys set at the merchant's own provider accounts, shown only as a hint. */
  provider_credentials: { stripe?: { key_hint: string; set_at: string } };
  sandbox: boolean;
  /** While a rolled key still works, until when. */
  previous_key_expires_at: string | null;
  created_at: string;
}

/** `PATCH /v1/merchant`: any subset; `null` clears an optional one. */
export interface UpdateMerchantParams {
  name?: string;
  logo_url?: string | null;
  brand_color?: string | null;
  support_url?: string | null;
  allowed_origins?: string[];
  payment_methods?: PaymentMethodType[];
  providers?: Provider[];
  /** At most 20; `[]` clears them. */
  routing_rules?: RoutingRule[];
  /** Only the thresholds sent change. */
  risk?: Partial<RiskSettings>;
  /** Write-only: the merchant's key at a provider (`rk_live_…` for Stripe); null removes it. */
  provider_credentials?: { stripe?: { secret_key: string } | null };
}

/** README "Risk checks": the scores at which a confirm is blocked or must pass 3-D Secure. */
export interface RiskSettings {
  /** Declined `risk_blocked` at or above it; null: never. 90 by default. */
  block_score: number | null;
  /** 3-D Secure at or above it; null: never. 60 by default. */
  require_3ds_score: number | null;
  /** By currency, the amount (minor units) above which a payment scores 60. */
  amount_thresholds: Record<string, number>;
}

/** `POST /v1/merchant/keys/roll`. */
export interface RollKeyParams {
  /** How long the old key keeps working: 0 (it stops now) to 604800; 86400 by default. */
  overlap_seconds?: number;
}

/** The new secret key, shown only here. */
export interface RolledKey {
  object: "secret_key";
  secret_key: string;
  previous_key_expires_at: string | null;
}

/** `GET /v1/merchant/audit-log`. */
export interface ListAuditLogParams {
  /** 1 to 100; 20 by default. */
  limit?: number;
  cursor?: string;
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

export interface AuditLogEntry {
  id: string;
  object: "audit_log_entry";
  /** Settings changes and key rolls over the API; an operator's actions on the ops screen. */
  action:
    | "merchant.updated"
    | "merchant.key_rolled"
    | "checkout_session.cancelled"
    | "payment.capture_requested"
    | "payment.refund_requested"
    | "event.redelivered"
    | "webhook_endpoint.created"
    | "webhook_endpoint.disabled"
    | "webhook_endpoint.enabled"
    | "webhook_endpoint.secret_rotated";
  created_at: string;
  request_id: string;
  /** The key that made the change, by the last 4 hex digits of its SHA-256 (never the key). */
  actor: { type: "secret_key" | "ops_session"; key_hash_suffix: string };
  /** Field → what it was and what it became. */
  changes: Record<string, { from: JsonValue; to: JsonValue }>;
}
