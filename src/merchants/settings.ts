/**
 * A merchant's own settings, as `GET`/`PATCH /v1/merchant` show and change them. A PATCH is
 * validated whole against the settings it would produce (a sandbox merchant is one whose
 * providers are all sandbox ones, and the URL rules depend on it); a refused one changes
 * nothing. An accepted one is written with its audit entry in one D1 batch, guarded by
 * `settings_version`, so of two concurrent changes the later is refused (409) instead of
 * overwriting what it never saw. Merchant rows are read fresh on every request (no cache), so a
 * change is visible at once to every new session.
 *
 * `logo_url` and `support_url` are links the payer's pages show (the logo fetched through our
 * origin), not redirects: they take the shared URL syntax (`WebUrl`) and https (or, for a
 * sandbox merchant, http on localhost/127.0.0.1), but not the merchant's allowed origins, which
 * govern where payers are sent back to and who may frame the checkout. A logo or help centre on
 * a CDN or another domain is normal.
 */
import * as z from "zod";
import { isAllowedUrl, policyMessage, urlSyntaxProblem, WebUrl } from "../core/redirect-policy.js";
import { DEFAULT_RISK_SETTINGS, RiskSettings } from "../core/risk.js";
import { MAX_ROUTING_RULES, type RoutingRule, routingRule } from "../core/routing.js";
import { iso } from "../core/views.js";
import { applyWithAudit } from "../d1/audit-log.js";
import {
  type MerchantSettingsRow,
  merchantSettingsRow,
  merchantSettingsUpdate,
  PaymentMethodType,
  type StoredCredentials,
} from "../d1/merchants.js";
import { type FieldError, ProblemError } from "../errors.js";
import { isSandboxProvider, SANDBOX_PROVIDERS } from "../providers/sandbox.js";
import { type AuditChanges, type AuditEntry, auditInsert } from "./audit.js";
import {
  applyCredentials,
  credentialsView,
  needsCredentials,
  PatchCredentials,
} from "./credentials.js";
import { toMerchant } from "./merchants.js";

export const MAX_ALLOWED_ORIGINS = 20;

/** Providers a merchant may route to: every name `createProvider` knows (src/providers/). */
export const KNOWN_PROVIDERS = [...SANDBOX_PROVIDERS, "stripe"] as const;

// Control characters and the bidi/zero-width marks that make a name read as something else.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

const Name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((name) => !UNSAFE_TEXT.test(name), "Must not contain control characters.");

const BrandColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "Must be a colour as #rrggbb, e.g. #1a56db.")
  .transform((color) => color.toLowerCase());

/**
 * A host name of letters, digits and hyphens (IDNs in their `xn--` form, as the URL parser
 * gives them), or an IP literal. The WHATWG parser lets `*`, `;`, `,` and `'` through in a host;
 * in an origin that goes into a CSP `frame-ancestors` list they would be a wildcard or a new
 * directive, so they are refused.
 */
const PLAIN_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$|^\[[0-9a-f:.]+\]$/;

/** Exactly an origin (`https://shop.example`, `http://localhost:3000`): no path, no slash. */
const OriginField = z.string().superRefine((value, ctx) => {
  const problem = urlSyntaxProblem(value);
  if (problem !== null) {
    ctx.addIssue({ code: "custom", message: problem });
    return;
  }
  const url = new URL(value);
  if (url.origin !== value) {
    ctx.addIssue({
      code: "custom",
      message: "Must be an origin only, e.g. https://shop.example (no path, query or trailing /).",
    });
  } else if (!PLAIN_HOST.test(url.hostname)) {
    ctx.addIssue({ code: "custom", message: "Must name a plain host (no wildcards)." });
  }
});

const distinct = <T>(items: T[]) => [...new Set(items)];

export const PatchMerchant = z
  .object({
    name: Name,
    logo_url: WebUrl.nullable(),
    brand_color: BrandColor.nullable(),
    support_url: WebUrl.nullable(),
    allowed_origins: z.array(OriginField).max(MAX_ALLOWED_ORIGINS).transform(distinct),
    payment_methods: z.array(PaymentMethodType).min(1).transform(distinct),
    providers: z
      .array(z.enum(KNOWN_PROVIDERS))
      .min(1)
      .refine((names) => new Set(names).size === names.length, "Each provider at most once."),
    routing_rules: z
      .array(routingRule(z.enum(KNOWN_PROVIDERS)))
      .max(MAX_ROUTING_RULES)
      .refine(
        (rules) => new Set(rules.map((rule) => rule.name)).size === rules.length,
        "Each rule name at most once.",
      ),
    /** Only the thresholds sent change; the others stay. */
    risk: RiskSettings.partial(),
    /** Write-only keys at the merchant's own provider accounts; null removes one. */
    provider_credentials: PatchCredentials,
  })
  .partial()
  .strict();
export type PatchMerchant = z.infer<typeof PatchMerchant>;

/** A merchant's settings with what only the settings routes read (src/d1/merchants.ts). */
export type SettingsRow = MerchantSettingsRow;

export async function settingsRow(env: Env, merchantId: string): Promise<SettingsRow> {
  const row = await merchantSettingsRow(env.DB, merchantId);
  if (row === null) throw new ProblemError(404, "not_found", "No such merchant.");
  return row;
}

/** The settings PATCH changes, in wire names. */
interface Settings {
  name: string;
  logo_url: string | null;
  brand_color: string | null;
  support_url: string | null;
  allowed_origins: string[];
  payment_methods: PaymentMethodType[];
  providers: string[];
  routing_rules: RoutingRule[];
  risk: RiskSettings;
  provider_credentials: StoredCredentials;
}

const FIELDS = [
  "name",
  "logo_url",
  "brand_color",
  "support_url",
  "allowed_origins",
  "payment_methods",
  "providers",
  "routing_rules",
  "risk",
  "provider_credentials",
] as const satisfies ReadonlyArray<keyof Settings & keyof PatchMerchant>;

function settingsOf(row: SettingsRow): Settings {
  return {
    name: row.name,
    logo_url: row.logo_url,
    brand_color: row.brand_color,
    support_url: row.support_url,
    allowed_origins: row.allowed_origins,
    payment_methods: row.payment_methods,
    providers: row.providers,
    routing_rules: row.routing_rules,
    risk: { ...DEFAULT_RISK_SETTINGS, ...row.risk_settings },
    provider_credentials: row.provider_credentials,
  };
}

/** A setting as the API and the audit log show it: a key only as its hint. */
function shown(field: (typeof FIELDS)[number], settings: Settings): z.core.util.JSONType {
  return field === "provider_credentials"
    ? credentialsView(settings.provider_credentials)
    : settings[field];
}

/** `GET /v1/merchant`'s merchant object. */
export function merchantView(row: SettingsRow, now: number) {
  const merchant = toMerchant(row);
  const previousLive =
    row.previous_secret_key_expires_at !== null && row.previous_secret_key_expires_at > now;
  return {
    id: row.id,
    object: "merchant",
    ...settingsOf(row),
    provider_credentials: credentialsView(row.provider_credentials),
    sandbox: merchant.sandbox,
    previous_key_expires_at: previousLive ? iso(row.previous_secret_key_expires_at) : null,
    created_at: iso(row.created_at),
  };
}

/** Field errors for the URL rules of the settings a PATCH would produce. */
function policyErrors(settings: Settings): FieldError[] {
  const policy = { allowedOrigins: [], sandbox: settings.providers.every(isSandboxProvider) };
  const errors: FieldError[] = [];
  const check = (field: string, value: string | null) => {
    if (value !== null && !isAllowedUrl(value, policy)) {
      errors.push({ field, message: policyMessage(policy) });
    }
  };
  check("logo_url", settings.logo_url);
  check("support_url", settings.support_url);
  settings.allowed_origins.forEach((origin, i) => {
    check(`allowed_origins.${i}`, origin);
  });
  return errors;
}

/** A provider that takes the merchant's own key may be routed to only once it has one. */
function credentialErrors(settings: Settings): FieldError[] {
  const routed = [
    ...settings.providers.map((provider, i) => ({ provider, field: `providers.${i}` })),
    ...settings.routing_rules.flatMap((rule, r) =>
      rule.providers.map((provider, i) => ({
        provider,
        field: `routing_rules.${r}.providers.${i}`,
      })),
    ),
  ];
  return routed
    .filter(({ provider }) => needsCredentials(provider))
    .filter(({ provider }) => settings.provider_credentials[provider] === undefined)
    .map(({ provider, field }) => ({
      field,
      message: `${provider} needs your key first: set provider_credentials.${provider}.secret_key.`,
    }));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a validated PATCH: refuses it (422, nothing changed) when the resulting settings break
 * the URL rules, writes nothing when nothing differs, else writes the change and its audit entry.
 *
 * @example
 * await updateSettings(env, row, { brand_color: "#0a7d38" }, { keyHash, requestId, now });
 */
export async function updateSettings(
  env: Env,
  row: SettingsRow,
  patch: PatchMerchant,
  by: { keyHash: string; requestId: string; now: number },
): Promise<SettingsRow> {
  const before = settingsOf(row);
  const after: Settings = {
    name: patch.name ?? before.name,
    logo_url: patch.logo_url === undefined ? before.logo_url : patch.logo_url,
    brand_color: patch.brand_color === undefined ? before.brand_color : patch.brand_color,
    support_url: patch.support_url === undefined ? before.support_url : patch.support_url,
    allowed_origins: patch.allowed_origins ?? before.allowed_origins,
    payment_methods: patch.payment_methods ?? before.payment_methods,
    providers: patch.providers ?? before.providers,
    routing_rules: patch.routing_rules ?? before.routing_rules,
    risk: { ...before.risk, ...patch.risk },
    provider_credentials: await applyCredentials(
      env,
      before.provider_credentials,
      patch.provider_credentials,
      by.now,
    ),
  };
  const errors = [...policyErrors(after), ...credentialErrors(after)];
  if (errors.length > 0) {
    throw new ProblemError(422, "validation_failed", "The request is not valid.", errors);
  }
  const changes: AuditChanges = {};
  for (const field of FIELDS) {
    const [from, to] = [shown(field, before), shown(field, after)];
    if (!same(from, to)) changes[field] = { from, to };
  }
  if (Object.keys(changes).length === 0) return row;

  const entry: AuditEntry = {
    merchantId: row.id,
    at: by.now,
    requestId: by.requestId,
    keyHash: by.keyHash,
    action: "merchant.updated",
    changes,
  };
  const at = { id: row.id, version: row.settings_version };
  const applied = await applyWithAudit(env.DB, {
    audit: auditInsert(env.DB, entry, at.version),
    change: merchantSettingsUpdate(env.DB, at, after),
  });
  if (!applied) throw concurrentChange();
  return settingsRow(env, row.id);
}

export const concurrentChange = () =>
  new ProblemError(
    409,
    "concurrent_change",
    "Another request changed this merchant at the same time; read it again and retry.",
  );
