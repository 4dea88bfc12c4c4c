/**
 * The ops screen's document: the payer pages' strict headers (src/pages/document.ts: first-party
 * style only, no script at all, nobody may frame it), one stylesheet (`/assets/ops.css`), a skip
 * link, and a header with the merchant's name, the screen's sections and a sign-out button.
 */
import { pageHeaders } from "../document.js";
import { type Html, html, type Part } from "../html.js";
import type { OpsSession } from "./auth.js";

export const OPS_STYLE_PATH = "/assets/ops.css";

export type Section = "sessions" | "webhooks" | "none";

export interface Notice {
  kind: "success" | "error" | "secret";
  text: Part;
}

/** The hidden CSRF field every POST form of the screen carries. */
export const csrfField = (session: OpsSession) =>
  html`<input type="hidden" name="csrf" value="${session.csrf}">`;

export function noticeBlock(notice: Notice | null | undefined): Html | "" {
  if (!notice) return "";
  const role = notice.kind === "error" ? "alert" : "status";
  return html`<div class="notice notice-${notice.kind}" role="${role}">${notice.text}</div>`;
}

function header(session: OpsSession | null, section: Section): Html {
  if (session === null) {
    return html`<header class="top"><div class="top-inner"><span class="brand">edge-checkout ops</span></div></header>`;
  }
  const link = (name: Section, href: string, label: string) =>
    html`<a href="${href}"${name === section ? html` aria-current="page"` : ""}>${label}</a>`;
  return html`<header class="top"><div class="top-inner">
<span class="brand">edge-checkout ops <span class="merchant-name">${session.merchantName}</span></span>
<nav aria-label="Ops sections">${link("sessions", "/ops/sessions", "Sessions")}${link("webhooks", "/ops/webhooks", "Webhook endpoints")}</nav>
<form method="post" action="/ops/sign-out" class="sign-out">${csrfField(session)}<button type="submit" class="button button-quiet">Sign out</button></form>
</div></header>`;
}

export interface OpsDocument {
  title: string;
  session: OpsSession | null;
  section: Section;
  body: Part;
  notice?: Notice | null;
}

export function opsDocument(parts: OpsDocument): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="robots" content="noindex">
<title>${parts.title} · edge-checkout ops</title>
<link rel="stylesheet" href="${OPS_STYLE_PATH}">
</head>
<body class="ops">
<a class="skip" href="#main">Skip to content</a>
${header(parts.session, parts.section)}
<main id="main" class="content" tabindex="-1">
${noticeBlock(parts.notice)}
${parts.body}
</main>
</body></html>`;
}

/** An ops page with the payer pages' headers (hosted framing: none). */
export function opsResponse(
  document: Html,
  status = 200,
  extra: Record<string, string> = {},
): Response {
  return new Response(document.value, {
    status,
    headers: { ...pageHeaders({ kind: "hosted" }), ...extra },
  });
}

/** A page that says what went wrong, with a way on. */
export function opsErrorPage(
  session: OpsSession | null,
  status: number,
  title: string,
  text: string,
): Response {
  const back = session === null ? "/ops/sign-in" : "/ops/sessions";
  const body = html`<section class="panel narrow"><h1>${title}</h1><p>${text}</p>
<p><a class="button" href="${back}">${session === null ? "Sign in" : "Back to sessions"}</a></p></section>`;
  return opsResponse(opsDocument({ title, session, section: "none", body }), status);
}

/** A 303 to another page of the screen (Post/Redirect/Get). */
export function seeOther(location: string, extra: Record<string, string> = {}): Response {
  return new Response(null, {
    status: 303,
    headers: { ...pageHeaders({ kind: "hosted" }), location, ...extra },
  });
}
