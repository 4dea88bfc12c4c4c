/**
 * The document every payer page shares, and the headers that keep it to itself: a strict
 * Content-Security-Policy (first-party script and style only, no inline script), no referrer,
 * no caching, and who may frame it: nobody for the hosted page, the merchant's allowed origins
 * for the embedded one.
 */
import { type Html, html, type Part } from "./html.js";

/** An ES module (deferred, as modules are), so it can import static/card.js, which the Worker shares. */
export const SCRIPT_PATH = "/assets/checkout.js";
export const STYLE_PATH = "/assets/checkout.css";

export type Framing = { kind: "hosted" } | { kind: "embedded"; ancestors: readonly string[] };

/** CSP (Level 3) for a payer page; see README "Payer pages" for why each directive is there. */
export function contentSecurityPolicy(framing: Framing): string {
  const ancestors =
    framing.kind === "embedded" && framing.ancestors.length > 0
      ? framing.ancestors.join(" ")
      : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    // The embedded frame shows the 3-D Secure challenge in a frame of its own.
    `frame-src ${framing.kind === "embedded" ? "'self'" : "'none'"}`,
    `frame-ancestors ${ancestors}`,
  ].join("; ");
}

export const BASE_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

export function pageHeaders(framing: Framing): Record<string, string> {
  return {
    ...BASE_HEADERS,
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": contentSecurityPolicy(framing),
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(framing.kind === "hosted"
      ? { "x-frame-options": "DENY", "cross-origin-opener-policy": "same-origin" }
      : {}),
  };
}

export interface DocumentParts {
  title: string;
  lang: string;
  /** Tells the script what to do with the page: `hosted`, `embedded`, `challenge-returned`. */
  page: "hosted" | "embedded" | "challenge-returned" | "message";
  body: Part;
  /** Extra data attributes for the script, on `<body>`. */
  data?: Record<string, string>;
  /** A `<meta http-equiv="refresh">` target: navigation that needs no script. */
  refreshTo?: string;
}

export function renderDocument(parts: DocumentParts): Html {
  const data = Object.entries(parts.data ?? {}).map(
    ([name, value]) => html` data-${name}="${value}"`,
  );
  return html`<!doctype html>
<html lang="${parts.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
${parts.refreshTo === undefined ? "" : html`<meta http-equiv="refresh" content="0; url=${parts.refreshTo}">`}
<title>${parts.title}</title>
<link rel="stylesheet" href="${STYLE_PATH}">
<script type="module" src="${SCRIPT_PATH}"></script>
</head>
<body class="page page-${parts.page}" data-page="${parts.page}"${data}>
${parts.body}
</body></html>`;
}

export function htmlResponse(document: Html, framing: Framing, status = 200): Response {
  return new Response(document.value, { status, headers: pageHeaders(framing) });
}
