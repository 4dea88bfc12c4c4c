/** src/routes/merchant.ts as OpenAPI: the merchant's own settings, key and audit log. */
import { RiskSettings } from "../../core/risk.js";
import { ListAuditLog } from "../../merchants/audit.js";
import { RollMerchantKey } from "../../merchants/keys.js";
import { PatchMerchant } from "../../merchants/settings.js";
import type { Operation } from "../operation.js";
import { describeFields } from "../registry.js";
import { AuditLogList, MerchantAnswer, SecretKey } from "../resources.responses.js";

describeFields(PatchMerchant, {
  name: "Shown to payers.",
  logo_url: "A logo the payer pages show (fetched through our origin); null for none.",
  brand_color: "`#rrggbb`: the pages' accent, made readable; null for ours.",
  support_url: "The payer pages' help link; null for none.",
  allowed_origins:
    "Origins (`https://shop.example`) payers may be sent back to and that may frame the embedded checkout. Empty: any https URL (and local http in the sandbox).",
  payment_methods: "What sessions offer: `card`, `bank_transfer` or both.",
  providers: "In routing order: a retryable failure at one falls back to the next.",
  provider_credentials:
    'Write-only keys at your own provider accounts: `{ stripe: { secret_key: "rk_live_…" } }` (a restricted key with PaymentIntents and Refunds write access), or `{ stripe: null }` to remove it. Kept sealed, shown back only as `key_hint`.',
  risk: 'The risk thresholds (README "Risk checks"); only those sent change.',
  routing_rules:
    "At most 20, evaluated in order at each confirm: the first whose `match` holds (every condition given: `currency`, `amount_gte`, `amount_lte`, `payment_method`, `card_brand`, `card_country` by BIN) sends the payment to its `providers`, in order; each charge records the rule's `name`. None matching: `providers`.",
});
describeFields(RiskSettings, {
  block_score:
    "A risk score (1-100) at or above which a confirm is declined `risk_blocked`, nothing sent; null: never. Default 90.",
  require_3ds_score:
    "A score at or above which the card must pass 3-D Secure; null: never. Default 60.",
  amount_thresholds:
    "By currency, the amount (minor units) above which a payment scores `amount_over_threshold` (60).",
});
describeFields(RollMerchantKey, {
  overlap_seconds: "How long the old key keeps working (0 to 7 days; 0: it stops now).",
});
describeFields(ListAuditLog, {
  limit: "Page size.",
  cursor: "`next_cursor` of the previous page.",
});

const tag = "Merchant" as const;

export const merchantOperations: Operation[] = [
  {
    id: "retrieveMerchant",
    method: "get",
    path: "/v1/merchant",
    tag,
    summary: "Read the merchant's settings",
    description: "Name, branding, support link, allowed origins, payment methods and providers.",
    access: "secretKey",
    replies: [{ status: 200, description: "The merchant.", schema: MerchantAnswer }],
    errors: ["not_found"],
  },
  {
    id: "updateMerchant",
    method: "patch",
    path: "/v1/merchant",
    tag,
    summary: "Change the merchant's settings",
    description:
      "Changes any of the fields, audited; a refused change changes nothing. New sessions see it at once.",
    access: "secretKey",
    body: {
      schema: PatchMerchant,
      id: "UpdateMerchantRequest",
      example: { brand_color: "#0a7d38", allowed_origins: ["https://shop.example"] },
    },
    replies: [{ status: 200, description: "The merchant as changed.", schema: MerchantAnswer }],
    errors: ["not_found", "concurrent_change"],
  },
  {
    id: "rollMerchantKey",
    method: "post",
    path: "/v1/merchant/keys/roll",
    tag,
    summary: "Roll the secret key",
    description:
      "A new secret key, answered once and stored only as its hash; the old one works for `overlap_seconds` more. Only the current key may roll; rolling again ends an older key at once.",
    access: "secretKey",
    body: {
      schema: RollMerchantKey,
      id: "RollMerchantKeyRequest",
      optional: true,
      example: { overlap_seconds: 86400 },
    },
    replies: [{ status: 200, description: "The new key.", schema: SecretKey }],
    errors: ["not_found", "previous_key_cannot_roll", "concurrent_change"],
  },
  {
    id: "listAuditLog",
    method: "get",
    path: "/v1/merchant/audit-log",
    tag,
    summary: "Read the audit log",
    description:
      "Who changed what, newest first: every settings change and key roll, naming the key by the end of its hash.",
    access: "secretKey",
    query: ListAuditLog,
    replies: [{ status: 200, description: "A page of entries.", schema: AuditLogList }],
    errors: ["invalid_cursor"],
  },
];
