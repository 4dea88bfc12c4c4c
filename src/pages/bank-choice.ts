/**
 * How the payer chooses a way to pay when the session offers more than any card: a choice of
 * card or bank transfer, and the banks: those the payer used before, then by country with the
 * payer's own first (the country the session knows, then the region of the browser's language). Each bank is a radio button with a visible name, in a group named by its
 * heading (banks in different countries may share a name), in a fieldset whose legend names
 * the choice. Bank logos are served by this Worker (`/banks/<id>/logo.svg`), as
 * `img-src 'self'` demands.
 */
import type { PublicView } from "./destinations.js";
import { type Html, html } from "./html.js";
import type { Messages } from "./messages.js";

type Methods = NonNullable<PublicView["payment_methods"]>;
type Bank = NonNullable<Methods[number]["banks"]>[number];

/** Which ways to pay the form shows: a session without a list takes cards. */
export function offered(view: PublicView): { card: boolean; banks: readonly Bank[] } {
  const methods = view.payment_methods;
  if (methods === null) return { card: true, banks: [] };
  return {
    card: methods.some((m) => m.type === "card"),
    banks: methods.flatMap((m) => (m.type === "bank_transfer" ? m.banks : [])),
  };
}

/** The Card / Bank transfer switch, when both are offered. */
export function methodSwitch(m: Messages): Html {
  const option = (value: string, label: string, checked: boolean) =>
    html`<div class="method"><input type="radio" id="method-${value}" name="payment_method.type" value="${value}"${checked ? " checked" : ""}><label for="method-${value}">${label}</label></div>`;
  return html`<fieldset class="methods"><legend>${m.text("methodQuestion")}</legend>
<div class="method-options">${option("card", m.text("methodCard"), true)}${option("bank_transfer", m.text("methodBank"), false)}</div></fieldset>`;
}

/**
 * The banks to choose from: those the payer used before first (most recent first), then the
 * rest by country: `first` in its order (the payer's country, e.g. StableMint's
 * `userCountryCode`, then the region of the page's locale), then the others by their names in
 * the page's language; hidden while "Card" is chosen.
 *
 * @example
 * bankList(banks, ["PL", "GB"], false, m); // Poland, United Kingdom, France, Germany, Netherlands
 */
export function bankList(
  banks: readonly Bank[],
  first: readonly (string | null)[],
  hidden: boolean,
  m: Messages,
): Html {
  const names = new Intl.DisplayNames([m.locale, "en"], { type: "region" });
  const required = m.text("chooseBankError");
  const option = (bank: Bank) =>
    html`<div class="bank"><input type="radio" id="bank-${bank.id}" name="payment_method.bank_id" value="${bank.id}" required aria-describedby="bank-error" data-required-message="${required}">
<label for="bank-${bank.id}"><img src="${bank.logo_url}" alt="" width="28" height="28"><span>${bank.name}</span></label></div>`;
  const saved = banks
    .filter((bank) => bank.last_used_at !== null)
    .sort((a, b) => (b.last_used_at ?? "").localeCompare(a.last_used_at ?? ""));
  const others = banks.filter((bank) => bank.last_used_at === null);
  const rank = (country: string) => {
    const at = first.indexOf(country);
    return at === -1 ? first.length : at;
  };
  const countries = [...new Set(others.map((bank) => bank.country))].sort(
    (a, b) => rank(a) - rank(b) || (names.of(a) ?? a).localeCompare(names.of(b) ?? b, m.locale),
  );
  const group = (key: string, heading: string, members: readonly Bank[]) =>
    html`<div class="bank-group" role="group" aria-labelledby="banks-${key}"><p class="bank-country" id="banks-${key}">${heading}</p>${members.map(option)}</div>`;
  const groups = [
    ...(saved.length > 0 ? [group("used", m.text("usedBefore"), saved)] : []),
    ...countries.map((country) =>
      group(
        country.toLowerCase(),
        names.of(country) ?? country,
        others.filter((bank) => bank.country === country),
      ),
    ),
  ];
  return html`<fieldset class="banks" data-method="bank_transfer"${hidden ? " hidden disabled" : ""}><legend>${m.text("chooseBank")}</legend>
${groups}<p class="field-error" id="bank-error" hidden></p></fieldset>`;
}

/** The name of the bank a payment went through, for the receipt line. */
export function bankName(view: PublicView, bankId: string): string | null {
  return offered(view).banks.find((bank) => bank.id === bankId)?.name ?? null;
}
