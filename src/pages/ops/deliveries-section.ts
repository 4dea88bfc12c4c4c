/**
 * Every webhook event of a session, each with its delivery per endpoint (status, failures in a
 * row, next attempt, why it stopped) and every attempt (HTTP status, latency, error), and the
 * Redeliver buttons: to every endpoint subscribed now, or to one endpoint.
 */
import type { WebhookEndpoint } from "../../webhooks/endpoints.js";
import { type Html, html } from "../html.js";
import type { OpsSession } from "./auth.js";
import { badge, time } from "./format.js";
import { csrfField } from "./layout.js";
import type { OpsEvent } from "./session-data.js";

type Attempt = OpsEvent["delivery"]["attempts"][number];
type EndpointDelivery = NonNullable<OpsEvent["delivery"]["endpoints"]>[number];

function redeliverForm(
  session: OpsSession,
  event: OpsEvent,
  endpointId: string | null,
  label: string,
): Html {
  return html`<form method="post" action="/ops/events/${event.id}/redeliver" class="inline-form">
${csrfField(session)}${endpointId === null ? "" : html`<input type="hidden" name="endpoint_id" value="${endpointId}">`}
<button type="submit" class="button button-small button-quiet">${label}</button></form>`;
}

function attemptRow(attempt: Attempt): Html {
  return html`<li class="attempt ${attempt.ok ? "attempt-ok" : "attempt-failed"}">
${time(attempt.at)} · ${attempt.status_code === null ? html`<span class="badge badge-bad">no answer</span>` : badge(attempt.ok ? "delivered" : "failed")} <strong>${attempt.status_code === null ? "" : `HTTP ${attempt.status_code}`}</strong>
${attempt.latency_ms === null ? "" : html`<span class="muted">${Math.round(attempt.latency_ms)} ms</span>`}
${attempt.error === null ? "" : html`<span class="error-text">${attempt.error}</span>`}</li>`;
}

function endpointBlock(
  session: OpsSession,
  event: OpsEvent,
  endpointId: string | null,
  entry: EndpointDelivery | undefined,
  endpoints: ReadonlyMap<string, WebhookEndpoint>,
): Html {
  const endpoint = endpointId === null ? undefined : endpoints.get(endpointId);
  const attempts = event.delivery.attempts.filter((a) => a.endpoint_id === endpointId);
  const name =
    endpoint !== undefined
      ? html`<span class="url">${endpoint.url}</span> <code class="id muted">${endpoint.id}</code>`
      : endpointId === null
        ? "an endpoint not recorded"
        : html`<code class="id">${endpointId}</code> <span class="muted">(deleted)</span>`;
  const disabled = endpoint === undefined || endpoint.disabledAt !== null;
  return html`<div class="endpoint-delivery">
<p class="endpoint-line">${name} ${entry === undefined ? "" : badge(entry.status)}${
    entry !== undefined && entry.failures_in_row > 0
      ? html` <span class="muted">${entry.failures_in_row} failure${entry.failures_in_row === 1 ? "" : "s"} in a row</span>`
      : ""
  }${entry?.next_attempt_at ? html` <span class="muted">next attempt ${time(entry.next_attempt_at)}</span>` : ""}${
    entry?.reason ? html` <span class="error-text">${entry.reason}</span>` : ""
  }</p>
${attempts.length === 0 ? html`<p class="muted small">No attempt yet.</p>` : html`<ol class="attempts" aria-label="Attempts">${attempts.map(attemptRow)}</ol>`}
${
  endpointId === null
    ? ""
    : disabled
      ? html`<p class="muted small">${endpoint === undefined ? "This endpoint is gone." : "This endpoint is disabled: enable it to redeliver to it."}</p>`
      : redeliverForm(session, event, endpointId, "Redeliver to this endpoint")
}
</div>`;
}

function eventBlock(
  session: OpsSession,
  event: OpsEvent,
  endpoints: ReadonlyMap<string, WebhookEndpoint>,
): Html {
  const entries = event.delivery.endpoints ?? [];
  const ids = [
    ...new Set([
      ...entries.map((e) => e.endpoint_id),
      ...event.delivery.attempts.map((a) => a.endpoint_id),
    ]),
  ];
  const body =
    ids.length === 0
      ? html`<p class="muted small">${
          event.delivery.endpoints === null
            ? html`Not sent yet.${event.delivery.next_attempt_at ? html` Due ${time(event.delivery.next_attempt_at)}.` : ""}`
            : "No endpoint was subscribed to it when it fell due."
        }</p>`
      : ids.map((id) =>
          endpointBlock(
            session,
            event,
            id,
            entries.find((e) => e.endpoint_id === id),
            endpoints,
          ),
        );
  return html`<li class="event" id="${event.id}">
<div class="event-head"><span class="event-seq">#${event.sequence}</span> <strong>${event.type}</strong> ${badge(event.delivery.status)}
<span class="muted">${time(event.created * 1000)}</span> <code class="id muted">${event.id}</code></div>
${body}
${redeliverForm(session, event, null, "Redeliver to all subscribed endpoints")}
</li>`;
}

export function deliveriesSection(
  session: OpsSession,
  events: readonly OpsEvent[],
  endpoints: readonly WebhookEndpoint[],
): Html {
  const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
  const list =
    events.length === 0
      ? html`<p class="muted">No webhook event yet.</p>`
      : html`<ol class="events">${events.map((event) => eventBlock(session, event, byId))}</ol>`;
  return html`<section class="panel" id="events" aria-labelledby="events-title">
<h2 id="events-title">Webhook events and deliveries</h2>${list}</section>`;
}
