/**
 * StableMint request bodies, with the field names that API uses. Everything is checked at once,
 * so one 422 names every violation; a field nobody defined is a violation too (a typo would
 * otherwise be silently ignored). An optional field may be sent as `null`, meaning absent.
 */
import * as z from "zod";
import { type UrlPolicy, urlPolicyErrors } from "../../core/redirect-policy.js";
import { isCountryCode } from "../../countries.js";
import type { FieldError } from "../../errors.js";
import { Currency, currencyExponent, IDEMPOTENCY_KEY, RedirectUrl } from "../../schemas.js";

export type Flow = "hosted" | "embedded";

const Text = (max: number) => z.string().trim().min(1, "Must not be blank.").max(max);

/** ISO 3166-1 alpha-2, any case in, upper case out; only officially assigned codes. */
export const CountryCode = z
  .string()
  .transform((code) => code.toUpperCase())
  .refine(isCountryCode, { message: "Must be an ISO 3166-1 alpha-2 country code, e.g. DE." });

/** A calendar date that exists, as YYYY-MM-DD, not in the future and not before 1900. */
const DateOfBirth = z.string().superRefine((text, ctx) => {
  const date = new Date(`${text}T00:00:00Z`);
  const real =
    /^\d{4}-\d{2}-\d{2}$/.test(text) &&
    !Number.isNaN(date.getTime()) &&
    date.toISOString().startsWith(text);
  if (!real) ctx.addIssue({ code: "custom", message: "Must be a real date as YYYY-MM-DD." });
  else if (date.getTime() > Date.now() || text < "1900-01-01") {
    ctx.addIssue({ code: "custom", message: "Must be a date of birth in the past." });
  }
});

const Phone = z.string().refine((text) => /^\+?\d{6,15}$/.test(text.replace(/[\s().-]/g, "")), {
  message: "Must be a phone number, e.g. +4915123456789.",
});

/** What the merchant knows of its user; every part optional. Kept, never shown to the payer. */
export const UserKyc = z
  .object({
    fullName: Text(200).nullish(),
    citizenshipCountryCode: CountryCode.nullish(),
    residenceAddress: Text(500).nullish(),
    dateOfBirth: DateOfBirth.nullish(),
    placeOfBirth: Text(200).nullish(),
    gender: Text(32).nullish(),
    mobilePhone: Phone.nullish(),
    personalIdentificationNumber: Text(64).nullish(),
  })
  .strict();
export type UserKyc = z.infer<typeof UserKyc>;

const MAX_CUSTOM_FIELDS_BYTES = 4096;

/** The merchant's own data, echoed back in notifications: any JSON object up to 4 KiB. */
const CustomFields = z
  .record(z.string().min(1).max(100), z.json())
  .refine(
    (fields) => new TextEncoder().encode(JSON.stringify(fields)).length <= MAX_CUSTOM_FIELDS_BYTES,
    {
      message: `Must be at most ${MAX_CUSTOM_FIELDS_BYTES} bytes as JSON.`,
    },
  );

/** Major units as a JSON number or a decimal string, kept as exact decimal text. */
const Amount = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = typeof value === "number" ? String(value) : value.trim();
  if (!/^\d{1,12}(\.\d+)?$/.test(text)) {
    ctx.addIssue({
      code: "custom",
      message: "Must be a positive amount in major units, e.g. 10.50.",
    });
    return z.NEVER;
  }
  return text;
});

const common = {
  // Signed exactly as sent, so it is not trimmed; blank is refused.
  userId: z
    .string()
    .min(1)
    .max(128)
    .refine((id) => id.trim() !== "", "Must not be blank."),
  userEmail: z.email("Must be an email address.").max(254),
  userCountryCode: CountryCode,
  currency: Currency,
  idempotencyKey: z
    .string()
    .regex(IDEMPOTENCY_KEY, "Must be 1-255 visible ASCII characters.")
    .nullish(),
  websiteReference: Text(255).nullish(),
  userKyc: UserKyc.nullish(),
  customFields: CustomFields.nullish(),
};

export const HostedBody = z
  .object({
    ...common,
    amount: Amount,
    successUrl: RedirectUrl,
    supportUrl: RedirectUrl,
    exitUrl: RedirectUrl,
    errorUrl: RedirectUrl,
  })
  .strict();

export const EmbeddedBody = z.object({ ...common, amount: Amount.nullish() }).strict();

type HostedBody = z.infer<typeof HostedBody>;

/** A valid request, normalized: `amount` in minor units, URLs null for the embedded flow. */
export interface StablemintRequest {
  flow: Flow;
  userId: string;
  userEmail: string;
  userCountryCode: string;
  currency: string;
  /** Minor units (ISO 4217 exponent); null when an embedded request left it out. */
  amount: number | null;
  idempotencyKey: string | null;
  websiteReference: string | null;
  userKyc: UserKyc | null;
  // JSON values; typed loosely, as a recursive type defeats the RPC stub's type mapping.
  customFields: Record<string, unknown> | null;
  successUrl: string | null;
  supportUrl: string | null;
  exitUrl: string | null;
  errorUrl: string | null;
}

/** Sandbox merchants take 0.1 to 10 (major units), live ones any positive amount; URLs as src/core/redirect-policy.ts. */
export type Policy = UrlPolicy;

/** The largest amount in minor units any session takes (as the checkout API). */
const MAX_MINOR = 99_999_999;

/** The amounts a merchant may take, in minor units of `currency`, both ends included. */
export interface AmountLimits {
  min: number;
  max: number;
}

/**
 * Sandbox merchants take 0.1 to 10 major units (0.1 rounded up to the currency's smallest unit),
 * live ones any positive amount up to the checkout API's limit.
 *
 * @example
 * amountLimits("EUR", true); // { min: 10, max: 1000 }
 * amountLimits("JPY", true); // { min: 1, max: 10 }
 */
export function amountLimits(currency: string, sandbox: boolean): AmountLimits {
  const unit = 10 ** currencyExponent(currency);
  return sandbox ? { min: Math.ceil(unit / 10), max: 10 * unit } : { min: 1, max: MAX_MINOR };
}

/**
 * `text` (major units, exact decimal) in minor units of `currency`, or why it cannot be:
 * more decimals than the currency has, or outside the merchant's limits.
 *
 * @example
 * toMinorUnits("10.5", "EUR", true); // { minor: 1050 }
 * toMinorUnits("1.005", "EUR", true); // { error: "EUR amounts have at most 2 decimals." }
 */
export function toMinorUnits(
  text: string,
  currency: string,
  sandbox: boolean,
): { minor: number } | { error: string } {
  const exponent = currencyExponent(currency);
  const [whole = "0", fraction = ""] = text.split(".");
  const decimals = fraction.replace(/0+$/, "");
  if (decimals.length > exponent) {
    return { error: `${currency} amounts have at most ${exponent} decimals.` };
  }
  const minor = Number(whole) * 10 ** exponent + Number(decimals.padEnd(exponent, "0") || "0");
  const { min, max } = amountLimits(currency, sandbox);
  if (minor >= min && minor <= max) return { minor };
  return {
    error: sandbox
      ? "Must be between 0.1 and 10 in the sandbox."
      : `Must be more than 0 and at most ${MAX_MINOR / 10 ** exponent}.`,
  };
}

/** The raw value at a path of the body (undefined when any step is missing). */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One error per field: "Required." for a missing one, one per key nobody defined. */
function fieldErrors(raw: unknown, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: [...path, key].join("."),
        message: "Not a field of this request.",
      }));
    }
    const missing = path.length > 0 && valueAt(raw, issue.path) === undefined;
    return [{ field: path.join(".") || "body", message: missing ? "Required." : issue.message }];
  });
}

/**
 * Validates a StableMint body for `flow` against the merchant's policy. Returns the request, or
 * every violation, each naming its field.
 *
 * @example
 * parseStablemintBody(json, "hosted", { sandbox: true, allowedOrigins: [] });
 * // { ok: false, errors: [{ field: "successUrl", message: "Required." }, …] }
 */
export function parseStablemintBody(
  raw: unknown,
  flow: Flow,
  policy: Policy,
): { ok: true; request: StablemintRequest } | { ok: false; errors: FieldError[] } {
  const schema = flow === "hosted" ? HostedBody : EmbeddedBody;
  const parsed = schema.safeParse(raw);
  const errors = parsed.success ? [] : fieldErrors(raw, parsed.error);

  // Limits depend on the currency and the merchant: checked on the raw fields, so an amount
  // out of range is reported beside any other violation.
  const record = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const amount = Amount.safeParse(record.amount);
  const currency = Currency.safeParse(record.currency);
  let minor: number | null = null;
  if (amount.success && currency.success) {
    const converted = toMinorUnits(amount.data, currency.data, policy.sandbox);
    if ("error" in converted) errors.push({ field: "amount", message: converted.error });
    else minor = converted.minor;
  }
  if (flow === "hosted") {
    const { successUrl, supportUrl, exitUrl, errorUrl } = record;
    errors.push(...urlPolicyErrors({ successUrl, supportUrl, exitUrl, errorUrl }, policy));
  }
  if (!parsed.success || errors.length > 0) return { ok: false, errors };

  const body = parsed.data;
  const urls = flow === "hosted" ? (body as HostedBody) : null;
  return {
    ok: true,
    request: {
      flow,
      userId: body.userId,
      userEmail: body.userEmail,
      userCountryCode: body.userCountryCode,
      currency: body.currency,
      amount: minor,
      idempotencyKey: body.idempotencyKey ?? null,
      websiteReference: body.websiteReference ?? null,
      userKyc: body.userKyc ?? null,
      customFields: body.customFields ?? null,
      successUrl: urls?.successUrl ?? null,
      supportUrl: urls?.supportUrl ?? null,
      exitUrl: urls?.exitUrl ?? null,
      errorUrl: urls?.errorUrl ?? null,
    },
  };
}
