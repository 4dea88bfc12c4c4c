/**
 * The merchant's webhook endpoints: disabled first, then failing (a recent event that ran out of
 * retries at it, or is retrying it), then the rest; each with its subscriptions and buttons to
 * disable or enable it and to rotate its signing secret. A new or rotated secret is shown once,
 * in the answer to the POST that made it, and never again.
 */
import * as z from "zod";
import { WebhookEventType } from "../../../machines/index.js";
import type { FieldError } from "../../errors.js";
import type { WebhookEndpoint } from "../../webhooks/endpoints.js";
import { type Html, html } from "../html.js";
import type { OpsSession } from "./auth.js";
import { badge, time } from "./format.js";
import { csrfField, type Notice, opsDocument, opsResponse } from "./layout.js";

/** How an endpoint has fared in the merchant's recent events. */
export interface EndpointHealth {
  failing: boolean;
  /** The latest reason or failure count, for the list. */
  detail: string | null;
}

const ListedDelivery = z.object({
  endpoints: z
    .array(
      z.object({
        endpoint_id: z.string(),
        status: z.string(),
        failures_in_row: z.number(),
        reason: z.string().nullable(),
      }),
    )
    .nullable()
    .catch(null),
});

/**
 * Each endpoint's health from the deliveries of recent events (newest first, as the events index
 * lists them): failing when its latest delivery ran out of retries or is retrying after failures.
 */
export function endpointHealth(deliveries: readonly unknown[]): Map<string, EndpointHealth> {
  const health = new Map<string, EndpointHealth>();
  for (const delivery of deliveries) {
    const parsed = ListedDelivery.safeParse(delivery);
    for (const entry of parsed.success ? (parsed.data.endpoints ?? []) : []) {
      if (health.has(entry.endpoint_id)) continue;
      const failed = entry.status === "failed";
      const retrying = entry.status === "pending" && entry.failures_in_row > 0;
      health.set(entry.endpoint_id, {
        failing: failed || retrying,
        detail: failed
          ? (entry.reason ?? "retries spent")
          : retrying
            ? `${entry.failures_in_row} failed attempt${entry.failures_in_row === 1 ? "" : "s"} in a row, retrying`
            : null,
      });
    }
  }
  return health;
}

const OVERLAPS = [
  [0, "stop the old secret now"],
  [3_600, "keep the old secret 1 hour"],
  [86_400, "keep the old secret 24 hours"],
  [604_800, "keep the old secret 7 days"],
] as const;

function endpointItem(session: OpsSession, endpoint: WebhookEndpoint, health?: EndpointHealth) {
  const disabled = endpoint.disabledAt !== null;
  const state = disabled ? "disabled" : health?.failing ? "failing" : "enabled";
  const action = (path: string, label: string, extra: Html | "" = "", tone = "button-quiet") =>
    html`<form method="post" action="/ops/webhooks/${endpoint.id}/${path}" class="inline-form">${csrfField(session)}${extra}<button type="submit" class="button button-small ${tone}">${label}</button></form>`;
  const overlap = html`<label class="inline-label" for="overlap-${endpoint.id}">Old secret</label><select id="overlap-${endpoint.id}" name="overlap_seconds">${OVERLAPS.map(([seconds, label]) => html`<option value="${seconds}"${seconds === 86_400 ? html` selected` : ""}>${label}</option>`)}</select>`;
  return html`<li class="endpoint endpoint-${state}" id="${endpoint.id}">
<div class="endpoint-head"><span class="url">${endpoint.url}</span> ${badge(state)}</div>
<p class="muted small"><code class="id">${endpoint.id}</code> · created ${time(endpoint.createdAt)}${
    disabled
      ? html` · disabled ${time(endpoint.disabledAt)}: ${endpoint.disabledReason ?? "by hand"}`
      : ""
  }${health?.detail && !disabled ? html` · <span class="error-text">${health.detail}</span>` : ""}${
    endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt > Date.now()
      ? html` · old secret signs until ${time(endpoint.previousSecretExpiresAt)}`
      : ""
  }</p>
<p class="small">Events: ${endpoint.events.length === WebhookEventType.options.length ? "all" : endpoint.events.join(", ")}</p>
<div class="endpoint-actions">${disabled ? action("enable", "Enable", "", "") : action("disable", "Disable")}
${action("rotate", "Rotate secret", overlap)}</div>
</li>`;
}

function addForm(
  session: OpsSession,
  raw: { url?: string; events?: string[] },
  errors: FieldError[],
): Html {
  const urlError = errors.find((e) => e.field === "url");
  const eventsError = errors.find((e) => e.field.startsWith("events"));
  const chosen = raw.events ?? [...WebhookEventType.options];
  return html`<form method="post" action="/ops/webhooks" class="add-endpoint">
<div class="field"><label for="url">Endpoint URL</label>
<input id="url" name="url" type="url" required value="${raw.url ?? ""}" placeholder="https://shop.example/hooks" aria-describedby="url-hint${urlError ? " url-error" : ""}"${urlError ? html` aria-invalid="true"` : ""}>
<p class="field-hint" id="url-hint">https, or http on localhost for local work.</p>
${urlError ? html`<p class="field-error" id="url-error">${urlError.message}</p>` : ""}</div>
<fieldset class="event-types"><legend>Events to send</legend>
${WebhookEventType.options.map((type) => html`<div class="check"><input type="checkbox" id="ev-${type}" name="events" value="${type}"${chosen.includes(type) ? html` checked` : ""}><label for="ev-${type}">${type}</label></div>`)}
${eventsError ? html`<p class="field-error">${eventsError.message}</p>` : ""}</fieldset>
${csrfField(session)}
<button type="submit" class="button">Add endpoint</button></form>`;
}

export interface WebhooksPageData {
  session: OpsSession;
  endpoints: WebhookEndpoint[];
  health: Map<string, EndpointHealth>;
  /** A secret just made (created or rotated): shown this once. */
  secret?: { endpointId: string; secret: string; what: "created" | "rotated" };
  form?: { raw: { url?: string; events?: string[] }; errors: FieldError[] };
  notice?: Notice | null;
}

/** Disabled first (the list's own order), then failing, then the rest. */
function ordered(data: WebhooksPageData): WebhookEndpoint[] {
  const rank = (e: WebhookEndpoint) =>
    e.disabledAt !== null ? 0 : data.health.get(e.id)?.failing ? 1 : 2;
  return data.endpoints
    .map((endpoint, index) => ({ endpoint, index }))
    .sort((a, b) => rank(a.endpoint) - rank(b.endpoint) || a.index - b.index)
    .map(({ endpoint }) => endpoint);
}

export function webhooksPage(data: WebhooksPageData, status = 200): Response {
  const secret = data.secret;
  const shown = secret
    ? html`<div class="notice notice-secret" role="status"><p><strong>Signing secret ${secret.what} for <code>${secret.endpointId}</code>.</strong> Copy it now: it is shown only this once.</p>
<p><code class="secret">${secret.secret}</code></p></div>`
    : "";
  const form = addForm(data.session, data.form?.raw ?? {}, data.form?.errors ?? []);
  const body = html`<h1>Webhook endpoints</h1>
${shown}
${data.endpoints.length === 0 ? html`<p class="empty">No endpoint yet.</p>` : html`<ol class="endpoints">${ordered(data).map((e) => endpointItem(data.session, e, data.health.get(e.id)))}</ol>`}
<section class="panel" aria-labelledby="add-title"><h2 id="add-title">Add an endpoint</h2>
${form}</section>`;
  return opsResponse(
    opsDocument({
      title: "Webhook endpoints",
      session: data.session,
      section: "webhooks",
      body,
      notice: data.notice ?? null,
    }),
    status,
  );
}
