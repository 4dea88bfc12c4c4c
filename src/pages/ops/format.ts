/** Small pieces the ops pages share: times in UTC, money, status badges, labelled values. */
import { formatAmount } from "../format.js";
import { type Html, html, type Part } from "../html.js";

/** `2026-05-01 12:00:03 UTC` from epoch ms or ISO text, in a `<time>` element. */
export function time(value: number | string | null | undefined): Html | string {
  if (value === null || value === undefined) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  const iso = date.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC</time>`;
}

/** Minor units as the currency writes them (the ops screen is in English). */
export function money(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return `chosen by the payer (${currency})`;
  try {
    return formatAmount(amount, currency, "en");
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A status as a badge whose colour says how it stands (the text says it too). */
export function badge(status: string | null | undefined): Html {
  const text = status ?? "none";
  const tone = /^(COMPLETED|SUCCEEDED|succeeded|authorized|AUTHORIZED|delivered|enabled)$/.test(
    text,
  )
    ? "good"
    : /^(FAILED|failed|declined|disabled|EXPIRED|CANCELLED)$/.test(text)
      ? "bad"
      : /^(PROCESSING|REQUIRES_ACTION|pending|requires_action|processing)$/.test(text)
        ? "busy"
        : "plain";
  return html`<span class="badge badge-${tone}">${text}</span>`;
}

/** A definition list from label → value pairs (values left out when absent). */
export function facts(pairs: ReadonlyArray<readonly [string, Part]>): Html {
  const shown = pairs.filter(([, value]) => value !== null && value !== undefined && value !== "");
  return html`<dl class="facts">${shown.map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}

/** A compact one-line rendering of stored fields, e.g. `chargeId=pay_…_ch1 code=card_declined`. */
export function fieldsLine(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([name, value]) => {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      return `${name}=${text !== undefined && text.length > 160 ? `${text.slice(0, 157)}…` : text}`;
    })
    .join(" ");
}
