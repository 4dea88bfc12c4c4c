/**
 * The sign-in form: the merchant's secret key, posted once and never written back into the page
 * (a refused key leaves the field empty, with the reason above it).
 */
import { html } from "../html.js";
import { type Notice, noticeBlock, opsDocument, opsResponse } from "./layout.js";

export interface SignInOptions {
  /** Where to go once signed in (already checked by `safeNext`). */
  next?: string;
  notice?: Notice | null;
  status?: number;
  headers?: Record<string, string>;
}

export function signInPage(options: SignInOptions = {}): Response {
  const notice = options.notice ?? null;
  const error = notice?.kind === "error";
  const body = html`<section class="panel narrow sign-in">
<h1>Sign in to the ops screen</h1>
<p class="muted">Use the merchant's current secret key. It is checked once and kept nowhere: this browser gets a session of 8 hours, which rolling the key ends.</p>
${notice === null ? "" : html`<div id="sign-in-notice">${noticeBlock(notice)}</div>`}
<form method="post" action="/ops/sign-in">
${options.next === undefined ? "" : html`<input type="hidden" name="next" value="${options.next}">`}
<div class="field"><label for="secret_key">Secret key</label>
<input id="secret_key" name="secret_key" type="password" autocomplete="current-password" required spellcheck="false" autocapitalize="off"${error ? html` aria-invalid="true" aria-describedby="sign-in-notice"` : ""} autofocus></div>
<button type="submit" class="button">Sign in</button>
</form></section>`;
  return opsResponse(
    opsDocument({ title: "Sign in", session: null, section: "none", body }),
    options.status ?? 200,
    options.headers,
  );
}
