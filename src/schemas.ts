/**
 * Request bodies as zod schemas: validation, defaults and wire types from one definition.
 * Wire names are snake_case, as the checkout API documents them.
 */
import * as z from "zod";
import { RefundReason, WebhookEventType } from "../machines/index.js";
import {
  Address,
  Card,
  ConfirmCheckoutSession,
  MAX_AMOUNT,
  Payer,
  PaymentMethod,
  Text,
} from "./core/confirm-request.js";
import { WebUrl } from "./core/redirect-policy.js";

export { Address, Card, ConfirmCheckoutSession, Payer, PaymentMethod };

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** ISO 4217 code, any case in, upper case out. */
export const Currency = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine((code) => /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code), {
    message: "Must be an ISO 4217 currency code, e.g. EUR.",
  });

/** Digits after the decimal point for a currency (ISO 4217 exponent): 2 for EUR, 0 for JPY. */
export function currencyExponent(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** The languages the payer's pages speak: one catalogue each in src/pages/i18n/. */
export const PAYER_LANGUAGES = ["en", "tr", "de", "fr", "es"] as const;
export type PayerLanguage = (typeof PAYER_LANGUAGES)[number];

/**
 * The payer language a BCP 47 tag asks for, in canonical form, or null when the tag is not
 * well formed or its language is not one the pages speak.
 *
 * @example
 * payerLanguageOf("TR-tr"); // { language: "tr", tag: "tr-TR" }
 */
export function payerLanguageOf(tag: string): { language: PayerLanguage; tag: string } | null {
  let canonical: string | undefined;
  try {
    [canonical] = Intl.getCanonicalLocales(tag);
  } catch {
    return null; // Not a well-formed language tag.
  }
  const language = PAYER_LANGUAGES.find((known) => known === canonical?.split("-")[0]);
  return canonical === undefined || language === undefined ? null : { language, tag: canonical };
}

/** A session's page language: `auto` (the browser's), or a language the pages speak. */
export const PayerLocale = z
  .string()
  .max(35)
  .transform((value, ctx) => {
    if (value === "auto") return value;
    const known = payerLanguageOf(value);
    if (known !== null) return known.tag;
    ctx.addIssue({
      code: "custom",
      message: `Must be auto or one of ${PAYER_LANGUAGES.join(", ")}, or a region form such as tr-TR.`,
    });
    return z.NEVER;
  });

/** An idempotency key (the `Idempotency-Key` header, StableMint's `idempotencyKey`). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * A URL the payer may be sent to or shown (syntax only; the merchant's origins are checked by
 * `urlPolicyErrors` once the merchant is known): see src/core/redirect-policy.ts.
 */
export const RedirectUrl = WebUrl;

export const CustomFieldDefinition = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Lower-case letters, digits and _."),
  label: Text(80),
  type: z.enum(["text", "number"]).default("text"),
  optional: z.boolean().default(false),
});

const FieldRequirement = z.enum(["required", "optional", "hidden"]);

const LineItem = z.object({
  name: Text(200),
  quantity: z.number().int().min(1).max(10_000),
  unit_amount: z.number().int().nonnegative().max(MAX_AMOUNT),
});

/** What line items add up to, in minor units. */
export const lineItemsTotal = (items: ReadonlyArray<z.infer<typeof LineItem>>) =>
  items.reduce((sum, item) => sum + item.quantity * item.unit_amount, 0);

export const CreateCheckoutSession = z
  .object({
    /** Minor units; may be left out when `line_items` are given (then it is their total). */
    amount: z.number().int().positive().max(MAX_AMOUNT).optional(),
    currency: Currency,
    /**
     * The merchant's own checkout page (semi-hosted): `checkout_session.url` is then this page,
     * and the payer arrives there as `${url}?token=${token}`. Absent: our hosted page.
     */
    url: RedirectUrl.optional(),
    return_url: RedirectUrl,
    cancel_url: RedirectUrl.optional(),
    expires_in: z.number().int().min(60).max(86_400).default(3600),
    metadata: z.record(z.string().max(40), z.string().max(500)).default({}),
    customer: z
      .object({
        email: z.email().optional(),
        name: Text(200).optional(),
        phone: Text(40).optional(),
      })
      .optional(),
    line_items: z.array(LineItem).max(100).optional(),
    capture_method: z.enum(["automatic", "manual"]).default("automatic"),
    secure_mode: z.boolean().default(false),
    custom_fields: z.array(CustomFieldDefinition).max(5).default([]),
    /** The payer pages' language; left out: `auto`, the browser's (`Accept-Language`). */
    locale: PayerLocale.optional(),
    /** Which payer details the page asks for; a `required` one is also enforced at confirm. */
    payer_fields: z
      .object({
        name: FieldRequirement,
        email: FieldRequirement,
        phone: FieldRequirement,
        billing_address: FieldRequirement,
        shipping_address: FieldRequirement,
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const items = body.line_items;
    if (items === undefined || items.length === 0) {
      if (body.amount === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["amount"],
          message: "Required (or send line_items).",
        });
      }
      return;
    }
    const total = lineItemsTotal(items);
    if (body.amount === undefined && (total < 1 || total > MAX_AMOUNT)) {
      ctx.addIssue({
        code: "custom",
        path: ["line_items"],
        message: `The line items add up to ${total}; a session's amount must be 1 to ${MAX_AMOUNT}.`,
      });
    } else if (body.amount !== undefined && total !== body.amount) {
      ctx.addIssue({
        code: "custom",
        path: ["line_items"],
        message: `The line items add up to ${total}, not the amount ${body.amount} (minor units).`,
      });
    }
  });
export type CreateCheckoutSession = z.infer<typeof CreateCheckoutSession>;

/** A time bound in a query: ISO 8601 (as the API writes times), or epoch milliseconds. */
const Instant = z.union([
  z.coerce.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)),
]);

export const ListCheckoutSessions = z.object({
  status: z
    .enum(["PENDING", "PROCESSING", "COMPLETED", "EXPIRED", "CANCELLED", "FAILED"])
    .optional(),
  created_gte: Instant.optional(),
  created_lte: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** A server's URL (webhook receivers): https, or http on a loopback host for local work. */
const ServerUrl = WebUrl.refine(
  (value) => {
    if (!URL.canParse(value)) return true; // WebUrl has said why
    const url = new URL(value);
    return url.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  },
  { message: "Must be an https URL (http only for localhost)." },
);

export const CreateWebhookEndpoint = z
  .object({
    url: ServerUrl,
    /** The event types to receive; every type when omitted. */
    events: z
      .array(WebhookEventType)
      .min(1)
      .transform((types) => [...new Set(types)])
      .default([...WebhookEventType.options]),
  })
  .strict();

/**
 * How long an old secret keeps working beside its successor (a webhook signing secret, a
 * merchant's secret key): up to 7 days, 24 h by default, 0 for not at all.
 */
export const OverlapSeconds = z
  .number()
  .int()
  .min(0)
  .max(7 * 86_400)
  .default(86_400);

export const RotateWebhookSecret = z.object({ overlap_seconds: OverlapSeconds }).strict();

/** No body, or no `endpoint_id`: every endpoint subscribed now; else that endpoint alone. */
export const RedeliverEvent = z
  .object({
    endpoint_id: z
      .string()
      .regex(/^we_[0-9a-f]{24}$/, "Not a webhook endpoint id.")
      .optional(),
  })
  .strict();

export const ListEvents = z.object({
  checkout_session_id: z.string().max(100).optional(),
  type: WebhookEventType.optional(),
  delivery_status: z.enum(["pending", "delivered", "failed", "skipped"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional(),
});

/**
 * Sandbox test helper: move a session's clock forward by `seconds` (at most 30 days), or `to`
 * its expiry, its provider call's deadline (the watchdog), or its next deadline of any kind.
 */
export const TestClockAdvance = z
  .object({
    seconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .optional(),
    to: z.enum(["expires_at", "provider_deadline", "next_deadline"]).optional(),
  })
  .strict()
  .refine((advance) => (advance.seconds === undefined) !== (advance.to === undefined), {
    message: "Give `seconds` or `to`, one of them.",
  });
export type TestClockAdvance = z.infer<typeof TestClockAdvance>;

/** `POST /v1/payments/:id/refunds`: all that is left by default, or `amount` (minor units). */
export const CreateRefund = z
  .object({
    amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    reason: RefundReason.optional(),
  })
  .strict();
export type CreateRefund = z.infer<typeof CreateRefund>;

/** Sandbox test helper: a provider's answer for a charge (the latest, unless `charge_id`). */
export const ProviderAnswer = z
  .object({
    outcome: z.enum(["succeeded", "declined", "failed"]),
    charge_id: z.string().max(100).optional(),
  })
  .strict();
export type ProviderAnswer = z.infer<typeof ProviderAnswer>;

/** Sandbox test helper: a sample event of this type, sent to one endpoint now. */
export const TriggerEvent = z.object({ type: WebhookEventType }).strict();
