/**
 * The form half of `/assets/checkout.js` (joined into one function scope by checkout-script.ts):
 * what each field must hold and the message when it does not, formatting as the payer types,
 * which way to pay is shown, and the form read into a confirm body. Plain ES2020, no template
 * literals (this is a raw string).
 */
export const FORM_JS = String.raw`function labelOf(el) {
  var label = document.querySelector("label[for='" + el.id + "']");
  return label ? label.firstChild.textContent.trim() : "This field";
}

function luhn(digits) {
  var sum = 0;
  for (var i = 0; i < digits.length; i++) {
    var d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function parseExpiry(value) {
  var v = value.replace(/\s/g, "");
  var m = /^(\d{1,2})\/(\d{2}|\d{4})$/.exec(v) || /^(\d{2})(\d{2}|\d{4})$/.exec(v);
  if (!m) return null;
  var month = Number(m[1]);
  var year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  return month >= 1 && month <= 12 ? { month: month, year: year } : null;
}

function problemOf(el) {
  if (el.matches(":disabled") || el.closest("[hidden]")) return "";
  if (el.type === "radio") {
    var chosen = el.form.querySelector("input[name='" + el.name + "']:checked");
    return chosen || !el.required ? "" : el.dataset.requiredMessage || "Choose one.";
  }
  var v = el.value.trim();
  if (!v) return el.required ? labelOf(el) + " is required." : "";
  switch (el.dataset.check) {
    case "email":
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? "" : "Enter an email address like name@example.com.";
    case "card":
      var digits = v.replace(/[\s-]/g, "");
      return /^\d{12,19}$/.test(digits) && luhn(digits) ? "" : "Enter a valid card number.";
    case "expiry":
      var e = parseExpiry(v);
      if (!e) return "Enter the expiry date as MM / YY.";
      return Date.UTC(e.year, e.month) > Date.now() ? "" : "This card has expired.";
    case "cvc":
      return /^\d{3,4}$/.test(v) ? "" : "Enter the 3 or 4 digit security code.";
    case "number":
      return /^-?\d+([.,]\d+)?$/.test(v) ? "" : "Enter a number.";
    case "amount":
      var exponent = Number(el.dataset.exponent);
      var minor = minorOf(el);
      if (minor === null) {
        return exponent > 0
          ? "Enter an amount like 5.50, with at most " + exponent + " decimals."
          : "Enter a whole amount, without decimals.";
      }
      if (minor <= 0) return "Enter an amount above zero.";
      if (el.dataset.min && (minor < Number(el.dataset.min) || minor > Number(el.dataset.max))) {
        return "Enter an amount between " + el.dataset.range + ".";
      }
      return "";
  }
  return "";
}

/** The amount field's value in minor units (the currency's exponent), or null if it is not one. */
function minorOf(el) {
  var exponent = Number(el.dataset.exponent);
  var m = /^(\d{1,9})(?:[.,](\d+))?$/.exec(el.value.trim());
  if (!m) return null;
  var fraction = (m[2] || "").replace(/0+$/, "");
  if (fraction.length > exponent) return null;
  while (fraction.length < exponent) fraction += "0";
  return Number(m[1]) * Math.pow(10, exponent) + Number(fraction || "0");
}

function formatMinor(minor, el) {
  var exponent = Number(el.dataset.exponent);
  return new Intl.NumberFormat(el.dataset.locale, {
    style: "currency",
    currency: el.dataset.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(minor / Math.pow(10, exponent));
}

/** The Pay button and the total name the amount the payer typed, once it is a valid one. */
function syncAmount(el) {
  var minor = problemOf(el) ? null : minorOf(el);
  var text = minor === null ? "" : formatMinor(minor, el);
  var button = document.getElementById("pay-button");
  if (button) {
    button.dataset.label = text ? "Pay " + text : "Pay";
    if (!busy) button.querySelector(".pay-label").textContent = button.dataset.label;
  }
  var total = document.getElementById("total");
  if (total) total.textContent = text || total.dataset.empty || "";
}

function setError(el, text) {
  // The error slot comes first in aria-describedby (a hint may follow it).
  var slot = document.getElementById((el.getAttribute("aria-describedby") || el.id + "-error").split(" ")[0]);
  if (slot) { slot.textContent = text; slot.hidden = !text; }
  if (text) el.setAttribute("aria-invalid", "true");
  else el.removeAttribute("aria-invalid");
}

function formatOnInput(el, event, format) {
  if (event.inputType && event.inputType.indexOf("delete") === 0) return;
  if (el.selectionStart !== el.value.length) return;
  var formatted = format(el.value);
  if (formatted !== el.value) el.value = formatted;
}

function cardFormat(value) {
  return value.replace(/\D/g, "").slice(0, 19).replace(/(\d{4})(?=\d)/g, "$1 ");
}

function expiryFormat(value) {
  var d = value.replace(/\D/g, "").slice(0, 4);
  if (d.length === 1 && d > "1") d = "0" + d;
  return d.length >= 2 ? d.slice(0, 2) + " / " + d.slice(2) : d;
}

/** The fields to check: each input once, and a radio group once (through its first radio). */
function fields(form) {
  var seen = {};
  return Array.prototype.filter.call(form.elements, function (el) {
    if (!el.name || el.type === "checkbox" || el.type === "submit") return false;
    if (el.type !== "radio") return true;
    if (seen[el.name]) return false;
    seen[el.name] = true;
    return true;
  });
}

/** Shows the way to pay the payer chose; the others' fields are disabled, so never checked or sent. */
function syncMethod(form) {
  var chosen = form.querySelector("input[name='payment_method.type']:checked");
  if (!chosen) return;
  Array.prototype.forEach.call(form.querySelectorAll("[data-method]"), function (section) {
    var off = section.dataset.method !== chosen.value;
    section.hidden = off;
    section.disabled = off;
  });
}

function setPath(target, path, value) {
  var node = target;
  for (var i = 0; i < path.length - 1; i++) node = node[path[i]] = node[path[i]] || {};
  node[path[path.length - 1]] = value;
}

function payload(form) {
  var out = {};
  var card = {};
  var method = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.name || el.matches(":disabled") || el.type === "submit") return;
    if (el.type === "radio" && !el.checked) return;
    var path = el.name.split(".");
    var value = el.type === "checkbox" ? el.checked : el.value.trim();
    if (value === "") return;
    if (path[0] === "amount") { var minor = minorOf(el); if (minor !== null) out.amount = minor; return; }
    if (path[0] === "card") card[path[1]] = value;
    else if (path[0] === "payment_method") method[path[1]] = value;
    else setPath(out, path, value);
  });
  if (method.bank_id) {
    out.payment_method = { type: "bank_transfer", bank_id: method.bank_id };
    return out;
  }
  var expiry = parseExpiry(card.expiry || "");
  out.payment_method = {
    type: "card",
    card: {
      number: (card.number || "").replace(/[\s-]/g, ""),
      exp_month: expiry ? expiry.month : 0,
      exp_year: expiry ? expiry.year : 0,
      cvc: card.cvc || "",
    },
  };
  return out;
}
`;
