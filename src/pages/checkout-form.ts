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
}

function field(spec: FieldSpec, control?: Html): Html {
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
<label for="${spec.id}">${spec.label}${spec.required ? "" : html` <span class="optional">(optional)</span>`}</label>
${input}
<p class="field-error" id="${describedBy}" hidden></p>
</div>`;
}

function countryField(prefix: string, required: boolean, preselect: string | null): Html {
  const id = `${prefix}-country`;
  const options = countries("en").map(
    (c) =>
      html`<option value="${c.code}"${c.code === preselect ? " selected" : ""}>${c.name}</option>`,
  );
  const select = html`<select id="${id}" name="payer.${prefix}_address.country" autocomplete="${prefix} country"${
    required ? html` required aria-required="true"` : ""
  } aria-describedby="${id}-error"><option value="">Select…</option>${options}</select>`;
  return field({ id, name: "", label: "Country", required }, select);
}

function addressFields(prefix: "billing" | "shipping", required: boolean, region: string | null) {
  const at = (part: string) => `${prefix} ${part}`;
  const spec = (key: string, label: string, autocomplete: string, optional = false): FieldSpec => ({
    id: `${prefix}-${key.replaceAll("_", "-")}`,
    name: `payer.${prefix}_address.${key}`,
    label,
    required: required && !optional,
    autocomplete: at(autocomplete),
  });
  return html`${field(spec("line1", "Address line 1", "address-line1"))}
${field(spec("line2", "Address line 2", "address-line2", true))}
<div class="row">${field(spec("city", "City", "address-level2"))}${field(spec("postal_code", "Postal code", "postal-code"))}</div>
${countryField(prefix, required, region)}`;
}

function contactFields(view: PublicView): Html | "" {
  const want = view.payer_fields;
  const parts = [
    want.email !== "hidden" &&
      field({
        id: "email",
        name: "payer.email",
        label: "Email",
        type: "email",
        autocomplete: "email",
        required: want.email === "required",
        check: "email",
        maxlength: 254,
      }),
    want.name !== "hidden" &&
      field({
        id: "name",
        name: "payer.name",
        label: "Full name",
        autocomplete: "name",
        required: want.name === "required",
        maxlength: 200,
      }),
    want.phone !== "hidden" &&
      field({
        id: "phone",
        name: "payer.phone",
        label: "Phone",
        type: "tel",
        autocomplete: "tel",
        required: want.phone === "required",
        maxlength: 40,
      }),
  ].filter((part) => part !== false);
  return parts.length === 0 ? "" : html`<fieldset><legend>Contact</legend>${parts}</fieldset>`;
}

function addressSections(view: PublicView, region: string | null): Html {
  const { billing_address: billing, shipping_address: shipping } = view.payer_fields;
  const billingPart =
    billing === "hidden"
      ? ""
      : html`<fieldset class="address" data-address="billing"><legend>Billing address</legend>
${addressFields("billing", billing === "required", region)}</fieldset>`;
  if (shipping === "hidden") return html`${billingPart}`;
  // With a billing address to copy, shipping starts as "same as billing" and its fields hidden.
  const same = billing !== "hidden";
  return html`${billingPart}<fieldset class="address" data-address="shipping"><legend>Shipping address</legend>
${same ? html`<div class="check"><input type="checkbox" id="shipping-same" name="payer.shipping_same_as_billing" checked><label for="shipping-same">Same as billing address</label></div>` : ""}
<div id="shipping-fields"${same ? " hidden" : ""}>${addressFields("shipping", shipping === "required", region)}</div>
</fieldset>`;
}

function customFields(view: PublicView): Html | "" {
  if (view.custom_fields.length === 0) return "";
  const fields = view.custom_fields.map((definition) =>
    field({
      id: `custom-${definition.key.replaceAll("_", "-")}`,
      name: `custom_fields.${definition.key}`,
      label: definition.label,
      required: !definition.optional,
      maxlength: 500,
      ...(definition.type === "number" ? { inputmode: "decimal", check: "number" } : {}),
    }),
  );
  return html`<fieldset><legend>Additional information</legend>${fields}</fieldset>`;
}

/**
 * The amount, on a session whose payer chooses it: typed in major units, checked against the
 * session's limits as the payer goes, sent as `amount` in minor units (the script converts it).
 */
function amountField(view: PublicView, locale: string): Html | "" {
  if (view.amount !== null) return "";
  const limits = view.amount_limits;
  const money = (minor: number) => formatAmount(minor, view.currency, locale);
  const range = limits === null ? null : `${money(limits.min)} and ${money(limits.max)}`;
  const input = html`<input id="amount" name="amount" type="text" inputmode="decimal" autocomplete="off" required aria-required="true" data-check="amount" data-currency="${view.currency}" data-exponent="${currencyExponent(view.currency)}" data-locale="${locale}"${
    limits === null
      ? ""
      : html` data-min="${limits.min}" data-max="${limits.max}" data-range="${range ?? ""}"`
  } aria-describedby="amount-error${range === null ? "" : " amount-hint"}">`;
  return html`<fieldset><legend>How much would you like to pay?</legend><div class="field field-amount">
<label for="amount">Amount <span class="optional">(${view.currency})</span></label>
${input}
${range === null ? "" : html`<p class="field-hint" id="amount-hint">Between ${range}.</p>`}
<p class="field-error" id="amount-error" hidden></p>
</div></fieldset>`;
}

function cardFields(): Html {
  return html`<fieldset class="card" data-method="card"><legend>Card details</legend>
${field({ id: "card-number", name: "card.number", label: "Card number", autocomplete: "cc-number", inputmode: "numeric", placeholder: "1234 1234 1234 1234", maxlength: 23, required: true, check: "card" })}
<div class="row">${field({ id: "card-expiry", name: "card.expiry", label: "Expiry", autocomplete: "cc-exp", inputmode: "numeric", placeholder: "MM / YY", maxlength: 7, required: true, check: "expiry" })}${field({ id: "card-cvc", name: "card.cvc", label: "CVC", autocomplete: "cc-csc", inputmode: "numeric", placeholder: "123", maxlength: 4, required: true, check: "cvc" })}</div>
</fieldset>`;
}

export interface FormContext {
  payLabel: string;
  locale: string;
  region: string | null;
  /** The decline or 3-D Secure failure to show above the form, if the last try failed. */
  notice: Html | "";
}

export function renderForm(view: PublicView, ctx: FormContext): Html {
  const ways = offered(view);
  const both = ways.card && ways.banks.length > 0;
  return html`<form class="pay-form" id="pay-form" novalidate>
<noscript><p class="notice notice-error">Turn on JavaScript in your browser to pay: this page needs it to send your payment safely.</p></noscript>
<div class="notice notice-error" id="form-error" role="alert" tabindex="-1"${ctx.notice === "" ? " hidden" : ""}>${ctx.notice}</div>
${amountField(view, ctx.locale)}
${contactFields(view)}
${addressSections(view, ctx.region)}
${customFields(view)}
${both ? methodSwitch() : ""}
${ways.card ? cardFields() : ""}
${ways.banks.length > 0 ? bankList(ways.banks, ctx.region, ways.card) : ""}
<button type="submit" class="pay-button" id="pay-button" data-label="${ctx.payLabel}"><span class="spinner" aria-hidden="true"></span><span class="pay-label">${ctx.payLabel}</span></button>
</form>`;
}
