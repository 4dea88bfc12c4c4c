/**
 * Which URLs a merchant may send payers to, link them to, or be framed by.
 *
 * Two layers. `WebUrl` is the syntax every URL field shares, whoever the merchant: an absolute
 * http(s) URL of at most 2,048 characters, checked on the raw string (the WHATWG parser strips
 * tabs, CR, LF and NUL and turns `\` into `/`, so a string that parses is not yet a safe one),
 * with no credentials and no look-alike (mixed-script) host name. `urlPolicyErrors` then applies
 * the merchant's rule: a merchant that lists no allowed origins may use any https URL (and, in
 * the sandbox, http on localhost or 127.0.0.1 at any port); one that lists origins gets only
 * those. `frameAncestors` is the same rule for who may frame the embedded checkout.
 */
import * as z from "zod";
import { type CheckoutSnapshot, sessionStatus } from "../../machines/index.js";
import type { FieldError } from "../errors.js";
import type { SessionDetails } from "./details.js";

export const MAX_URL_LENGTH = 2048;

/** Loopback hosts a sandbox merchant may use over plain http, at any port. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

// Control characters (C0, DEL, C1), every kind of white space, and the bidi, zero-width and
// invisible formatting marks (U+061C, U+180E, U+200B–U+200F, U+202A–U+202E, U+2060–U+206F,
// U+FEFF) that make a URL read differently from what it is.
const UNSAFE_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0020\u007f-\u009f\s\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/u;

/**
 * Scripts a host label may mix, as browsers' IDN display policies allow (Latin beside Han and
 * the Japanese or Korean scripts); any other mixture, e.g. Latin with Cyrillic, is a look-alike.
 */
const ALLOWED_MIXES: ReadonlyArray<ReadonlySet<string>> = [
  new Set(["Latin", "Han", "Hiragana", "Katakana"]),
  new Set(["Latin", "Han", "Hangul"]),
  new Set(["Latin", "Han", "Bopomofo"]),
];
const SCRIPTS = [
  "Latin",
  "Cyrillic",
  "Greek",
  "Armenian",
  "Georgian",
  "Cherokee",
  "Arabic",
  "Hebrew",
  "Han",
  "Hiragana",
  "Katakana",
  "Hangul",
  "Bopomofo",
  "Thai",
  "Devanagari",
] as const;
const SCRIPT_TESTS = SCRIPTS.map((name) => ({
  name,
  test: new RegExp(`\\p{Script=${name}}`, "u"),
}));

/** The scripts the letters of `label` belong to (digits and `-` belong to none). */
function scriptsOf(label: string): Set<string> {
  const found = new Set<string>();
  for (const char of label) {
    if (!/\p{L}/u.test(char)) continue;
    found.add(SCRIPT_TESTS.find((s) => s.test.test(char))?.name ?? "Other");
  }
  return found;
}

/** True when a host label mixes scripts the way look-alike domains do (`pаypal` with a Cyrillic а). */
export function isMixedScript(label: string): boolean {
  const scripts = scriptsOf(label);
  if (scripts.size <= 1) return false;
  return !ALLOWED_MIXES.some((mix) => [...scripts].every((s) => mix.has(s)));
}

/** RFC 3492 Punycode decoding of one `xn--` label's payload; null when it is not valid. */
export function decodePunycode(input: string): string | null {
  if (input === "") return null;
  const base = 36;
  const tMin = 1;
  const tMax = 26;
  const output: number[] = [];
  const delimiter = input.lastIndexOf("-");
  for (const char of delimiter > 0 ? input.slice(0, delimiter) : "") {
    if (char.charCodeAt(0) >= 0x80) return null;
    output.push(char.charCodeAt(0));
  }
  let n = 128;
  let i = 0;
  let bias = 72;
  for (let pos = delimiter > 0 ? delimiter + 1 : 0; pos < input.length; ) {
    const oldI = i;
    for (let w = 1, k = base; ; k += base) {
      if (pos >= input.length) return null;
      const code = input.charCodeAt(pos++);
      const digit =
        code >= 0x30 && code <= 0x39
          ? code - 22
          : code >= 0x61 && code <= 0x7a
            ? code - 0x61
            : code >= 0x41 && code <= 0x5a
              ? code - 0x41
              : base;
      if (digit >= base) return null;
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      w *= base - t;
      if (w > 0x10ffff) return null;
    }
    const length = output.length + 1;
    let delta = oldI === 0 ? Math.floor((i - oldI) / 700) : Math.floor((i - oldI) / 2);
    delta += Math.floor(delta / length);
    let k = 0;
    while (delta > ((base - tMin) * tMax) >> 1) {
      delta = Math.floor(delta / (base - tMin));
      k += base;
    }
    bias = k + Math.floor(((base - tMin + 1) * delta) / (delta + 38));
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff) return null;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/** Why a host name is refused, or null: each label, in its Unicode form, is single-script. */
function hostProblem(hostname: string): string | null {
  for (const label of hostname.split(".")) {
    const unicode = label.startsWith("xn--") ? decodePunycode(label.slice(4)) : label;
    if (unicode === null) return "The host name is not valid.";
    if (isMixedScript(unicode)) return "The host name mixes scripts (a look-alike domain).";
  }
  return null;
}

/** Why `value` is not a URL we may send a payer to, whoever the merchant; null when it is fine. */
export function urlSyntaxProblem(value: string): string | null {
  if (value.length > MAX_URL_LENGTH) return `Must be at most ${MAX_URL_LENGTH} characters.`;
  if (UNSAFE_CHARACTERS.test(value)) return "Must not contain spaces or control characters.";
  if (value.includes("\\")) return "Must not contain backslashes.";
  if (!/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value)) {
    return "Must be an absolute http(s) URL, e.g. https://shop.example/return.";
  }
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return "Must be an absolute http(s) URL, e.g. https://shop.example/return.";
  }
  const authority = value.slice(value.indexOf("//") + 2).split(/[/?#]/)[0] ?? "";
  if (url.username !== "" || url.password !== "" || authority.includes("@")) {
    return "Must not carry a user name or password.";
  }
  if (url.hostname === "") return "Must name a host.";
  // Letters, digits, dots and hyphens (an IDN arrives punycoded), or an IP literal: a host with
  // `*`, `;` or `'` would read as a wildcard or a new directive in a CSP source list.
  if (!/^(?:[a-z0-9-]+\.)*[a-z0-9-]+\.?$|^\[[0-9a-f:.]+\]$/.test(url.hostname)) {
    return "The host name is not valid.";
  }
  return hostProblem(url.hostname);
}

/** A URL field's syntax (see `urlSyntaxProblem`); the merchant's rule is `urlPolicyErrors`. */
export const WebUrl = z.string().superRefine((value, ctx) => {
  const problem = urlSyntaxProblem(value);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});

/** What decides a merchant's URLs: its allowed origins, and whether it is a sandbox merchant. */
export interface UrlPolicy {
  /** Empty: any https URL (and local http in the sandbox); else only these origins. */
  allowedOrigins: readonly string[];
  sandbox: boolean;
}

/** Whether a syntactically valid URL is allowed for this merchant. */
export function isAllowedUrl(value: string, policy: UrlPolicy): boolean {
  const url = new URL(value);
  if (policy.allowedOrigins.length > 0) return policy.allowedOrigins.includes(url.origin);
  if (url.protocol === "https:") return true;
  return policy.sandbox && LOCAL_HOSTS.has(url.hostname);
}

/** Why a URL this merchant may not use is refused: the words for `errors[].message`. */
export function policyMessage(policy: UrlPolicy): string {
  if (policy.allowedOrigins.length > 0) {
    return `Must be on one of your allowed origins: ${policy.allowedOrigins.join(", ")}.`;
  }
  return policy.sandbox
    ? "Must be an https URL (or http on localhost or 127.0.0.1 in the sandbox)."
    : "Must be an https URL.";
}

/**
 * Field errors for the URL fields of a request that this merchant may not use (fields whose
 * syntax is already refused, or that are absent, are left to the schema).
 *
 * @example
 * urlPolicyErrors({ return_url: "http://shop.example/" }, { allowedOrigins: [], sandbox: true });
 * // [{ field: "return_url", message: "Must be an https URL (or http on localhost or 127.0.0.1 in the sandbox)." }]
 */
export function urlPolicyErrors(fields: Record<string, unknown>, policy: UrlPolicy): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value !== "string" || urlSyntaxProblem(value) !== null) continue;
    if (!isAllowedUrl(value, policy)) errors.push({ field, message: policyMessage(policy) });
  }
  return errors;
}

/**
 * The CSP `frame-ancestors` sources for this merchant's embedded checkout: its allowed origins,
 * else any https origin (and loopback http at any port in the sandbox).
 *
 * @example
 * frameAncestors({ allowedOrigins: [], sandbox: true });
 * // ["https:", "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"]
 */
export function frameAncestors(policy: UrlPolicy): string[] {
  if (policy.allowedOrigins.length > 0) return [...policy.allowedOrigins];
  return policy.sandbox
    ? ["https:", ...[...LOCAL_HOSTS].map((host) => `http://${host}:*`)]
    : ["https:"];
}

/**
 * Whether a page on `origin` may host the embedded checkout: the browser-side twin of
 * `frameAncestors`, for the frame's `postMessage` target.
 */
export function mayEmbed(origin: string, policy: UrlPolicy): boolean {
  return URL.canParse(origin) && isAllowedUrl(origin, policy);
}

const SESSION_ID_TEMPLATE = "{CHECKOUT_SESSION_ID}";

/**
 * A redirect back to the merchant, naming the session: `{CHECKOUT_SESSION_ID}` filled in, else a
 * `session_id` query parameter added, so every return, cancel, exit and error page can look the
 * outcome up.
 *
 * @example
 * withSessionId("https://shop.example/done?order=7", "cs_1"); // "https://shop.example/done?order=7&session_id=cs_1"
 */
export function withSessionId(url: string, sessionId: string): string {
  if (url.includes(SESSION_ID_TEMPLATE)) return url.replaceAll(SESSION_ID_TEMPLATE, sessionId);
  const parsed = new URL(url);
  parsed.searchParams.set("session_id", sessionId);
  return parsed.toString();
}

/**
 * Where a payer goes once the payment has an answer: the merchant's return URL when paid, the
 * session's failure URL (StableMint's `errorUrl`) when it failed, else back to pay again, on
 * the page the payer pays on (the token is traded for a cookie there at once).
 */
export function payerDestination(s: CheckoutSnapshot, details: SessionDetails, token: string) {
  const status = sessionStatus(s);
  const base =
    status === "COMPLETED" ? s.context.returnUrl : status === "FAILED" ? details.failureUrl : null;
  if (base !== null) return withSessionId(base, s.context.id);
  const page = new URL(details.url);
  page.searchParams.set("token", token);
  return page.toString();
}

/** Where a payer who leaves without paying goes: `cancel_url`, else `return_url`, else nowhere. */
export function exitDestination(s: CheckoutSnapshot): string | null {
  const back = s.context.cancelUrl ?? s.context.returnUrl;
  return back === null ? null : withSessionId(back, s.context.id);
}
