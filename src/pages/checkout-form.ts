/**
 * The payment form: the payer details the session asks for, the merchant's custom fields and
 * the card. Every input has a visible label and an error slot it points to with
 * `aria-describedby`; field names are the confirm body's paths, which the script turns into JSON.
 */

import { countries } from "../countries.js";
import { currencyExponent } from "../schemas.js";
import { bankList, methodSwitch, offered } from "./bank-choice.js";
import type { PublicView } from "./destinations.js";
import { formatAmount } from "./format.js";
import { type Html, html } from "./html.js";
import type { Messages } from "./messages.js";

interface FieldSpec {
  id: string;
  name: string;
  label: string;
  required: boolean;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  placeholder?: string;
  maxlength?: number;
  /** Which check the script runs besides "required": `email`, `card`, `expiry`, `cvc`, `number`. */
  check?: string;
  /** Markup inside the label, after its text: the slot the script names the card's brand in. */
  badge?: Html;
}

function field(spec: FieldSpec, m: Messages, control?: Html): Html {
  const describedBy = `${spec.id}-error`;
  const input =
    control ??
    html`<input id="${spec.id}" name="${spec.name}" type="${spec.type ?? "text"}"${
      spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ""
    }${spec.inputmode ? html` inputmode="${spec.inputmode}"` : ""}${
      spec.placeholder ? html` placeholder="${spec.placeholder}"` : ""
    }${spec.maxlength ? html` maxlength="${spec.maxlength}"` : ""}${
      spec.required ? html` required aria-required="true"` : ""
    }${spec.check ? html` data-check="${spec.check}"` : ""} aria-describedby="${describedBy}">`;
  return html`<div class="field field-${spec.id}">
<label for="${spec.id}">${spec.label}${spec.badge ? html` ${spec.badge}` : ""}${spec.required ? "" : html` <span class="optional">${m.text("optional")}</span>`}</label>
${input}
<p class="field-error" id="${describedBy}" hidden></p>
</div>`;
}

function countryField(
  prefix: string,
  required: boolean,
  preselect: string | null,
  m: Messages,
): Html {
  const id = `${prefix}-country`;
  // By language, not locale: the names are the same across regions, and the lists are cached.
  const options = countries(m.language).map(
    (c) =>
      html`<option value="${c.code}"${c.code === preselect ? " selected" : ""}>${c.name}</option>`,
  );
  const select = html`<select id="${id}" name="payer.${prefix}_address.country" autocomplete="${prefix} country"${
    required ? html` required aria-required="true"` : ""
  } aria-describedby="${id}-error"><option value="">${m.text("select")}</option>${options}</select>`;
  return field({ id, name: "", label: m.text("country"), required }, m, select);
}

function addressFields(
  prefix: "billing" | "shipping",
  required: boolean,
  region: string | null,
  m: Messages,
) {
  const at = (part: string) => `${prefix} ${part}`;
  const spec = (key: string, label: string, autocomplete: string, optional = false): FieldSpec => ({
    id: `${prefix}-${key.replaceAll("_", "-")}`,
    name: `payer.${prefix}_address.${key}`,
    label,
    required: required && !optional,
    autocomplete: at(autocomplete),
  });
  return html`${field(spec("line1", m.text("addressLine1"), "address-line1"), m)}
${field(spec("line2", m.text("addressLine2"), "address-line2", true), m)}
<div class="row">${field(spec("city", m.text("city"), "address-level2"), m)}${field(spec("postal_code", m.text("postalCode"), "postal-code"), m)}</div>
${countryField(prefix, required, region, m)}`;
}

function contactFields(view: PublicView, m: Messages): Html | "" {
  const want = view.payer_fields;
  const parts = [
    want.email !== "hidden" &&
      field(
        {
          id: "email",
          name: "payer.email",
          label: m.text("email"),
          type: "email",
          autocomplete: "email",
          required: want.email === "required",
          check: "email",
          maxlength: 254,
        },
        m,
      ),
    want.name !== "hidden" &&
      field(
        {
          id: "name",
          name: "payer.name",
          label: m.text("fullName"),
          autocomplete: "name",
          required: want.name === "required",
          maxlength: 200,
        },
        m,
      ),
    want.phone !== "hidden" &&
      field(
        {
          id: "phone",
          name: "payer.phone",
          label: m.text("phone"),
          type: "tel",
          autocomplete: "tel",
          required: want.phone === "required",
          maxlength: 40,
        },
        m,
      ),
  ].filter((part) => part !== false);
  return parts.length === 0
    ? ""
    : html`<fieldset><legend>${m.text("contact")}</legend>${parts}</fieldset>`;
}

function addressSections(view: PublicView, region: string | null, m: Messages): Html {
  const { billing_address: billing, shipping_address: shipping } = view.payer_fields;
  const billingPart =
    billing === "hidden"
      ? ""
      : html`<fieldset class="address" data-address="billing"><legend>${m.text("billingAddress")}</legend>
${addressFields("billing", billing === "required", region, m)}</fieldset>`;
  if (shipping === "hidden") return html`${billingPart}`;
  // With a billing address to copy, shipping starts as "same as billing" and its fields hidden.
  const same = billing !== "hidden";
  return html`${billingPart}<fieldset class="address" data-address="shipping"><legend>${m.text("shippingAddress")}</legend>
${same ? html`<div class="check"><input type="checkbox" id="shipping-same" name="payer.shipping_same_as_billing" checked><label for="shipping-same">${m.text("sameAsBilling")}</label></div>` : ""}
<div id="shipping-fields"${same ? " hidden" : ""}>${addressFields("shipping", shipping === "required", region, m)}</div>
</fieldset>`;
}

function customFields(view: PublicView, m: Messages): Html | "" {
  if (view.custom_fields.length === 0) return "";
  const fields = view.custom_fields.map((definition) =>
    field(
      {
        id: `custom-${definition.key.replaceAll("_", "-")}`,
        name: `custom_fields.${definition.key}`,
        label: definition.label,
        required: !definition.optional,
        maxlength: 500,
        ...(definition.type === "number" ? { inputmode: "decimal", check: "number" } : {}),
      },
      m,
    ),
  );
  return html`<fieldset><legend>${m.text("additionalInfo")}</legend>${fields}</fieldset>`;
}

/**
 * The amount, on a session whose payer chooses it: typed in major units, checked against the
 * session's limits as the payer goes, sent as `amount` in minor units (the script converts it).
 */
function amountField(view: PublicView, m: Messages): Html | "" {
  if (view.amount !== null) return "";
  const limits = view.amount_limits;
  const money = (minor: number) => formatAmount(minor, view.currency, m.locale);
  const range = limits === null ? null : { min: money(limits.min), max: money(limits.max) };
  const input = html`<input id="amount" name="amount" type="text" inputmode="decimal" autocomplete="off" required aria-required="true" data-check="amount" data-currency="${view.currency}" data-exponent="${currencyExponent(view.currency)}" data-locale="${m.locale}"${
    limits === null || range === null
      ? ""
      : html` data-min="${limits.min}" data-max="${limits.max}" data-min-text="${range.min}" data-max-text="${range.max}"`
  } aria-describedby="amount-error${range === null ? "" : " amount-hint"}">`;
  return html`<fieldset><legend>${m.text("amountQuestion")}</legend><div class="field field-amount">
<label for="amount">${m.text("amount")} <span class="optional">(${view.currency})</span></label>
${input}
${range === null ? "" : html`<p class="field-hint" id="amount-hint">${m.text("amountBetween", range)}</p>`}
<p class="field-error" id="amount-error" hidden></p>
</div></fieldset>`;
}

function cardFields(m: Messages): Html {
  return html`<fieldset class="card" data-method="card"><legend>${m.text("cardDetails")}</legend>
${field({ id: "card-number", name: "card.number", label: m.text("cardNumber"), autocomplete: "cc-number", inputmode: "numeric", placeholder: "1234 1234 1234 1234", maxlength: 23, required: true, check: "card", badge: html`<span class="card-brand" id="card-number-brand" aria-live="polite"></span>` }, m)}
<div class="row">${field({ id: "card-expiry", name: "card.expiry", label: m.text("expiry"), autocomplete: "cc-exp", inputmode: "numeric", placeholder: m.text("expiryPlaceholder"), maxlength: 7, required: true, check: "expiry" }, m)}${field({ id: "card-cvc", name: "card.cvc", label: m.text("securityCode"), autocomplete: "cc-csc", inputmode: "numeric", placeholder: "123", maxlength: 4, required: true, check: "cvc" }, m)}</div>
</fieldset>`;
}

export interface FormContext {
  payLabel: string;
  /** The page's words, in its language and locale. */
  m: Messages;
  /** The region of the page's locale (`tr-TR` → `TR`). */
  region: string | null;
  /** The payer's country as the session knows it (`payer_country`), before `region`. */
  payerCountry: string | null;
  /** The decline or 3-D Secure failure to show above the form, if the last try failed. */
  notice: Html | "";
}

export function renderForm(view: PublicView, ctx: FormContext): Html {
  const ways = offered(view);
  const both = ways.card && ways.banks.length > 0;
  return html`<form class="pay-form" id="pay-form" novalidate>
<noscript><p class="notice notice-error">${ctx.m.text("noScript")}</p></noscript>
<div class="notice notice-error" id="form-error" role="alert" tabindex="-1"${ctx.notice === "" ? " hidden" : ""}>${ctx.notice}</div>
${amountField(view, ctx.m)}
${contactFields(view, ctx.m)}
${addressSections(view, ctx.payerCountry ?? ctx.region, ctx.m)}
${customFields(view, ctx.m)}
${both ? methodSwitch(ctx.m) : ""}
${ways.card ? cardFields(ctx.m) : ""}
${ways.banks.length > 0 ? bankList(ways.banks, [ctx.payerCountry, ctx.region], ways.card, ctx.m) : ""}
<button type="submit" class="pay-button" id="pay-button" data-label="${ctx.payLabel}"><span class="spinner" aria-hidden="true"></span><span class="pay-label">${ctx.payLabel}</span></button>
</form>`;
}
