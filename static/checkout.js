/*
 * The one script of the payer's pages (`/assets/checkout.js`), an ES module in plain ES2020 for
 * every current browser, served from our origin so `script-src 'self'` holds. Its one import is
 * static/card.js, the card rules (brand, lengths, Luhn, security code) the server checks a
 * confirm with too, so the page and the server never disagree about a card. It validates
 * fields as the payer goes, pays through `/pay/<id>/confirm`, shows progress, declines and
 * outcomes, follows the 3-D Secure redirect (hosted) or shows the challenge in a frame
 * (embedded), leaves through `/pay/<id>/exit`, and in the embedded checkout talks to the host
 * page only at its own origin.
 *
 * The server renders every state; the script swaps in the server's markup, so there is one
 * renderer. Served as it is written: a Workers Static Asset (wrangler.toml [assets]), not a
 * string in the Worker's bundle. What it says itself comes from the page's catalogue
 * (src/pages/i18n/, the `script` part), which the server puts in `data-messages` on <body>
 * in the page's language: `say(key, { name: value })`.
 */
import {
  brandName,
  cardBrand,
  cardNumberProblem,
  cvcLengths,
  digitsOf,
  formatCardNumber,
  numberLengths,
} from "./card.js";

(function () {
"use strict";
var body = document.body;
var page = body.dataset.page;

if (page === "challenge-returned") {
  // The 3-D Secure challenge ran in a frame of the embedded checkout: tell that checkout (our
  // own origin, and only it) that the bank's check is over.
  if (window.parent !== window) {
    window.parent.postMessage({ source: "edge-checkout", type: "challenge_returned" }, location.origin);
  }
  return;
}
if (page !== "hosted" && page !== "embedded") return;

var MESSAGES = {};
try { MESSAGES = JSON.parse(body.dataset.messages || "{}"); } catch (error) { MESSAGES = {}; }
// The service's own problem details are in English: shown as they are on an English page only.
var ENGLISH = /^en\b/i.test(document.documentElement.lang || "en");

/** A message of the page's catalogue, its `{name}` placeholders filled in from `values`. */
function say(key, values) {
  return (MESSAGES[key] || key).replace(/\{(\w+)\}/g, function (whole, name) {
    return values && values[name] !== undefined ? String(values[name]) : whole;
  });
}

/** What to tell the payer about a problem answer: ours when we know it, else `fallback`. */
function problemText(data, fallback) {
  var code = data && data.code;
  if (code === "invalid_token") return say("linkAgain");
  if (code === "rate_limited") return say("tooMany");
  return (ENGLISH && data && data.detail) || fallback;
}

var embedded = page === "embedded";
var root = document.getElementById("checkout");
var sessionId = embedded ? body.dataset.session : location.pathname.split("/")[2];
var api = "/pay/" + sessionId;
var token = null;
var parentOrigin = null;
var busy = false;
var leaving = false;
var timers = [];
var lastEvent = null;
var challengeFrame = null;
var view = null;

var EVENTS = { COMPLETED: "completed", FAILED: "failed", EXPIRED: "expired", CANCELLED: "cancelled" };

function later(fn, ms) { timers.push(setTimeout(fn, ms)); }
function clearTimers() { timers.forEach(clearTimeout); timers = []; }

function emit(type, extra) {
  var key = extra && extra.code ? type + ":" + extra.code : type;
  if (!embedded || key === lastEvent) return;
  lastEvent = key;
  var message = { source: "edge-checkout", type: type };
  if (view) message.session = { id: view.id, status: view.status, amount: view.amount, currency: view.currency };
  if (extra) Object.keys(extra).forEach(function (key) { message[key] = extra[key]; });
  window.parent.postMessage(message, parentOrigin);
}

// What this frame did itself, so the host can tell an outcome here from a session closed elsewhere.
var sawOpen = false;
var confirmed = false;
var exited = false;

/**
 * Tells the host how the session ended: `completed`, `failed`, `cancelled` or `expired` when it
 * ended here (this frame's payment, its Cancel, time running out while the form showed), else
 * `error` with `session_closed`: it was closed before the frame showed it, or meanwhile by
 * someone else (paid in another tab, cancelled by the merchant), and this frame can take no payment.
 */
function outcome(status) {
  var here = status === "EXPIRED" ? sawOpen : status === "CANCELLED" ? exited : confirmed;
  if (here) emit(EVENTS[status]);
  else emit("error", { code: "session_closed" });
}

function call(method, path, payload) {
  var headers = { accept: "application/json" };
  if (token) headers.authorization = "Token " + token;
  if (payload) headers["content-type"] = "application/json";
  if (method === "POST") posting++;
  return fetch(api + path, {
    method: method,
    headers: headers,
    body: payload ? JSON.stringify(payload) : undefined,
    credentials: "same-origin",
    cache: "no-store",
  }).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      return { status: response.status, data: data };
    });
  }, function (error) {
    // The service is out of reach (offline, a dropped connection): the host hears it as well.
    emit("error", { code: "network" });
    throw error;
  }).finally(function () {
    // After the caller's own handling of the answer: a final state pushed meanwhile goes next.
    if (method === "POST") { posting--; setTimeout(releaseHeld, 0); }
  });
}

// ---- rendering: the server's markup for a state, swapped in whole -------------------------

function show(state) {
  var before = root.dataset.status;
  view = state.checkout_session;
  var next = document.createElement("div");
  next.innerHTML = state.html;
  var fresh = next.firstElementChild;
  root.replaceWith(fresh);
  root = fresh;
  challengeFrame = null;
  bind();
  // A new state is announced by moving focus to its heading (not on every poll of the same one).
  var heading = root.querySelector(".outcome h1");
  if (heading && root.dataset.status !== before) heading.focus();
}

function refresh() {
  return call("GET", "/session").then(function (result) {
    if (result.status === 200) show(result.data);
    else fatal(problemText(result.data, say("cannotShow")));
  }, function () {
    later(refresh, 3000);
  });
}

function fatal(text) {
  root.removeAttribute("aria-busy");
  root.innerHTML = "";
  var box = document.createElement("p");
  box.className = "notice notice-error";
  box.setAttribute("role", "alert");
  box.textContent = text;
  root.appendChild(box);
}

function bind() {
  clearTimers();
  var status = root.dataset.status;
  bindExit();
  if (status === "PENDING") bindForm();
  if (status === "PROCESSING") {
    if (root.dataset.nextAction) { if (embedded) openChallenge(root.dataset.nextAction); }
    else later(poll, 2000);
  }
  if (status === "PENDING" || status === "PROCESSING") {
    listen();
    var expiresAt = Date.parse(root.dataset.expiresAt || "");
    if (expiresAt) later(refresh, Math.max(0, expiresAt - Date.now()) + 1000);
  } else {
    stopListening();
  }
  if (EVENTS[status]) outcome(status);
  else sawOpen = true;
}

// ---- live state: the session's object pushes every new state over a WebSocket -------------
// Each message is `{ seq, state }`: `state` is what GET /session answers, `seq` the session's
// journal position, sent back on reconnecting (`?after=`) to get anything missed at once.
// Polling (`poll`, every 2 s while processing) is only the fallback while no socket is open.

var socket = null;
var socketOpen = false;
var seenSeq = 0;
var failures = 0;
var reconnect = null;
var keepAlive = null;
var openedAt = 0;
var posting = 0;
var held = null;

function following() {
  var status = root.dataset.status;
  return status === "PENDING" || status === "PROCESSING";
}

function listen() {
  if (socket || reconnect || typeof WebSocket !== "function") return;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + api + "/live?after=" + seenSeq;
  // A WebSocket cannot send Authorization: the frame offers its token as a subprotocol instead.
  var protocols = token ? ["edge-checkout", "token." + token] : ["edge-checkout"];
  var ws;
  try { ws = new WebSocket(url, protocols); } catch (error) { retryLater(); return; }
  socket = ws;
  ws.onopen = function () {
    socketOpen = true;
    openedAt = Date.now();
    // Answered by the runtime without waking the session's object; keeps proxies from idling it out.
    keepAlive = setInterval(function () { ws.send("ping"); }, 50000);
  };
  ws.onmessage = function (event) {
    var message = null;
    try { message = JSON.parse(event.data); } catch (error) { return; }
    if (!message || typeof message.seq !== "number" || message.seq <= seenSeq || !message.state) return;
    seenSeq = message.seq;
    failures = 0;
    pushed(message.state);
  };
  ws.onclose = function (event) {
    if (socket !== ws) return;
    var lasted = socketOpen ? Date.now() - openedAt : 0;
    socket = null;
    socketOpen = false;
    clearInterval(keepAlive);
    if (!following()) return;
    // A clean close is the session's end, its final state just before it: ask once if it was missed.
    if (event.code === 1000) { refresh(); return; }
    // A socket that opens only to be closed again is failing too: the backoff grows.
    if (lasted > 10000) failures = 0;
    retryLater();
  };
}

/** Reconnects after 1, 2, 4 … 30 s (with jitter), while the session can still change. */
function retryLater() {
  failures++;
  var delay = Math.min(30000, 1000 * Math.pow(2, failures - 1)) * (0.5 + Math.random() / 2);
  reconnect = setTimeout(function () {
    reconnect = null;
    if (following()) listen();
  }, delay);
}

function stopListening() {
  clearTimeout(reconnect);
  reconnect = null;
  if (!socket) return;
  var ws = socket;
  socket = null;
  socketOpen = false;
  clearInterval(keepAlive);
  ws.close(1000);
}

/** The fallback: asks for the state only while no socket is open to push it. */
function poll() {
  if (socketOpen) later(poll, 2000);
  else refresh();
}

function pushed(state) {
  var status = state.checkout_session.status;
  // The bank's check in the frame stays until the check is over.
  if (challengeFrame) { if (status !== "PROCESSING") settle(state); return; }
  // A confirm or exit under way shows its own answer; what came meanwhile waits for it.
  if (posting > 0) { held = state; return; }
  // An open form is the payer's: a state that leaves it open (another tab's decline) keeps it.
  if (status === "PENDING" && root.dataset.status === "PENDING") return;
  show(state);
}

function releaseHeld() {
  if (posting > 0 || !held) return;
  var state = held;
  held = null;
  // Only a final state can be newer than an answer (a session never leaves one).
  if (EVENTS[state.checkout_session.status] && !EVENTS[root.dataset.status]) pushed(state);
}

// ---- the embedded 3-D Secure challenge ----------------------------------------------------

function openChallenge(url) {
  var panel = root.querySelector(".panel");
  var form = document.getElementById("pay-form");
  if (form) form.hidden = true;
  Array.prototype.forEach.call(panel.querySelectorAll(".outcome"), function (el) { el.hidden = true; });
  challengeFrame = document.createElement("iframe");
  challengeFrame.className = "challenge";
  challengeFrame.title = say("bankCheckTitle");
  challengeFrame.src = url;
  panel.appendChild(challengeFrame);
  emit("requires_action");
}

window.addEventListener("message", function (event) {
  if (!challengeFrame || event.origin !== location.origin || event.source !== challengeFrame.contentWindow) return;
  if (!event.data || event.data.type !== "challenge_returned") return;
  call("GET", "/session").then(function (result) {
    if (result.status !== 200) return fatal(problemText(result.data, say("cannotShow")));
    // A pushed state may have ended the check already.
    if (challengeFrame) settle(result.data);
  });
});

/** The bank's check is over: declined, back to the form as the payer left it; else the new state. */
function settle(state) {
  var form = document.getElementById("pay-form");
  if (state.checkout_session.status === "PENDING" && form) {
    view = state.checkout_session;
    challengeFrame.remove();
    challengeFrame = null;
    form.hidden = false;
    setBusy(false);
    declined(state.notice);
  } else {
    show(state);
  }
}

// ---- the way back: the session is cancelled, then the merchant's page (or the host) -------

function bindExit() {
  var form = document.getElementById("exit-form");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy || leaving) return;
    leaving = true;
    var button = document.getElementById("exit");
    button.disabled = true;
    var stay = function () { leaving = false; button.disabled = false; };
    call("POST", "/exit").then(function (result) {
      if (result.status === 200) {
        leaving = false;
        exited = true;
        show(result.data);
        if (result.data.redirect_url) location.assign(result.data.redirect_url);
        return;
      }
      stay();
      // Paid, expired or already left meanwhile: show the session as it is now.
      if (result.status === 409 || result.status === 410) { refresh(); return; }
      notice(escapeText(problemText(result.data, say("genericError"))));
    }, function () {
      stay();
      notice(escapeText(say("offline")));
    });
  });
}

// ---- the form (its field checks and its reading are in FORM_JS) ----------------------------

function bindForm() {
  var form = document.getElementById("pay-form");
  if (!form) return;
  fields(form).forEach(function (el) {
    if (el.type === "radio") {
      form.addEventListener("change", function (event) {
        if (event.target.name === el.name && el.hasAttribute("aria-invalid")) setError(el, problemOf(el));
      });
      return;
    }
    el.addEventListener("blur", function () { if (el.value.trim() || el.hasAttribute("aria-invalid")) setError(el, problemOf(el)); });
    el.addEventListener("input", function (event) {
      if (el.dataset.check === "card") { formatOnInput(el, event, formatCardNumber); syncCard(el); }
      if (el.dataset.check === "expiry") formatOnInput(el, event, expiryFormat);
      if (el.dataset.check === "amount") syncAmount(el);
      if (el.hasAttribute("aria-invalid")) setError(el, problemOf(el));
    });
  });
  Array.prototype.forEach.call(form.querySelectorAll("input[name='payment_method.type']"), function (radio) {
    radio.addEventListener("change", function () { syncMethod(form); });
  });
  syncMethod(form);
  var number = document.getElementById("card-number");
  if (number) syncCard(number); // a number the browser filled in, or kept after a decline
  var same = document.getElementById("shipping-same");
  var shipping = document.getElementById("shipping-fields");
  if (same && shipping) {
    var sync = function () {
      shipping.hidden = same.checked;
      Array.prototype.forEach.call(shipping.querySelectorAll("input, select"), function (el) { el.disabled = same.checked; });
    };
    same.addEventListener("change", sync);
    sync();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy || leaving) return;
    var first = null;
    fields(form).forEach(function (el) {
      var text = problemOf(el);
      setError(el, text);
      if (text && !first) first = el;
    });
    if (first) { first.focus(); return; }
    pay(form);
  });
}


function setBusy(on) {
  busy = on;
  var button = document.getElementById("pay-button");
  if (!button) return;
  button.disabled = on;
  button.setAttribute("aria-busy", on ? "true" : "false");
  button.querySelector(".pay-label").textContent = on ? say("processing") : button.dataset.label;
}

function notice(markup) {
  var box = document.getElementById("form-error");
  if (!box) return;
  box.innerHTML = markup;
  box.hidden = !markup;
}

function declined(markup) {
  notice(markup);
  // The first confirm fixed the payer's amount: it stays as it was paid, for every try after.
  var amount = document.getElementById("amount");
  if (amount && view && view.amount !== null) {
    amount.value = (view.amount / Math.pow(10, Number(amount.dataset.exponent))).toFixed(Number(amount.dataset.exponent));
    amount.readOnly = true;
    syncAmount(amount);
  }
  var number = document.getElementById("card-number");
  if (number) { number.focus(); number.select(); }
  emit("declined", { attempts_left: view && view.payment ? view.payment.attempts_left : null });
  lastEvent = null;
}

var FIELD_OF = {
  "payment_method.card.number": "card-number",
  "payment_method.card.exp_month": "card-expiry",
  "payment_method.card.exp_year": "card-expiry",
  "payment_method.card.cvc": "card-cvc",
};

function pay(form) {
  setBusy(true);
  notice("");
  call("POST", "/confirm", payload(form)).then(function (result) {
    var data = result.data;
    if (result.status === 200) {
      confirmed = true;
      view = data.checkout_session;
      if (data.next_action) {
        if (embedded) { openChallenge(data.next_action.url); return; }
        location.assign(data.next_action.url);
        return;
      }
      if (view.status === "PENDING") { setBusy(false); declined(data.notice); return; }
      show(data);
      if (data.redirect_url) location.assign(data.redirect_url);
      return;
    }
    setBusy(false);
    if (result.status === 422 && data.errors) {
      var first = null;
      data.errors.forEach(function (error) {
        var id = FIELD_OF[error.field];
        var el = id ? document.getElementById(id) : form.querySelector("[name='" + error.field.replace(/'/g, "") + "']");
        // The service words its field errors in English; other pages say it with their own.
        if (el) { setError(el, ENGLISH ? error.message : problemOf(el) || say("checkField")); first = first || el; }
      });
      if (first) { first.focus(); return; }
    }
    if (result.status === 409 || result.status === 410) { refresh(); return; }
    notice(escapeText(problemText(data, say("genericError"))));
  }, function () {
    setBusy(false);
    notice(escapeText(say("offline")));
  });
}

function escapeText(text) {
  var span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

// ---- start -------------------------------------------------------------------------------

if (!embedded) {
  view = null;
  bind();
  return;
}

// The embedded checkout's token rides in the URL fragment, which no request carries; it is
// read once, kept in memory, and the fragment is cleared from the frame's address.
var params = new URLSearchParams(location.hash.slice(1));
token = params.get("token");
parentOrigin = params.get("origin");
history.replaceState(null, "", location.pathname);
// CSP frame-ancestors sources, as the server set them: origins, "https:", "http://host:*".
var allowed = (body.dataset.allowedOrigins || "").split(" ");
function mayHost(origin) {
  return allowed.some(function (source) {
    if (source === "https:") return origin.indexOf("https://") === 0;
    if (source.slice(-2) === ":*") {
      var host = source.slice(0, -2);
      var port = origin.slice(host.length + 1);
      return origin === host || (origin.indexOf(host + ":") === 0 && port !== "" && String(Number(port)) === port);
    }
    return origin === source;
  });
}
var ancestors = location.ancestorOrigins;
if (
  window.parent === window ||
  !token ||
  !parentOrigin ||
  !mayHost(parentOrigin) ||
  (ancestors && ancestors.length > 0 && ancestors[0] !== parentOrigin)
) {
  fatal(say("embeddedOnly"));
  return;
}

var lastHeight = 0;
new ResizeObserver(function () {
  var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== lastHeight) {
    lastHeight = height;
    window.parent.postMessage({ source: "edge-checkout", type: "resize", height: height }, parentOrigin);
  }
}).observe(document.body);

call("GET", "/session").then(function (result) {
  if (result.status !== 200) return fatal(problemText(result.data, say("cannotShow")));
  view = result.data.checkout_session;
  var first = document.createElement("div");
  first.innerHTML = result.data.html;
  var fresh = first.firstElementChild;
  // The brand stylesheet follows <main> (src/pages/checkout-view.ts): into <head>, once.
  first.querySelectorAll("link.brand-style").forEach(function (link) { document.head.appendChild(link); });
  root.replaceWith(fresh);
  root = fresh;
  emit("ready");
  bind();
}, function () {
  fatal(say("offlineReload"));
});

function labelOf(el) {
  var label = document.querySelector("label[for='" + el.id + "']");
  return label ? label.firstChild.textContent.trim() : say("thisField");
}

// ---- the card: brand, lengths and Luhn from static/card.js, the rules the server applies -----

/** The brand of the number in the card field ("unknown" until its first digits decide it). */
function typedBrand() {
  var number = document.getElementById("card-number");
  return cardBrand(digitsOf(number ? number.value : ""));
}

/**
 * As the number is typed: its brand beside the label (a polite live region, so it is heard
 * too), the security code field sized for that brand, and the number's error as soon as it is
 * long enough to be whole (16 digits, or its brand's full length), not only on leaving it.
 */
function syncCard(el) {
  var digits = digitsOf(el.value);
  var brand = cardBrand(digits);
  var slot = document.getElementById("card-number-brand");
  var text = brand === "unknown" ? "" : say("cardBrand", { brand: brandName(brand) });
  if (slot && slot.textContent !== text) slot.textContent = text;
  var cvc = document.getElementById("card-cvc");
  if (cvc) {
    var sizes = cvcLengths(brand);
    cvc.maxLength = Math.max.apply(null, sizes);
    cvc.placeholder = sizes.length === 1 && sizes[0] === 4 ? "1234" : "123";
    if (cvc.hasAttribute("aria-invalid")) setError(cvc, problemOf(cvc));
  }
  var lengths = numberLengths(brand);
  var whole = digits.length >= Math.min(16, Math.max.apply(null, lengths)) && lengths.indexOf(digits.length) >= 0;
  if (whole) setError(el, problemOf(el));
}

/** The security code's problem: digits, as many as the brand of the number typed asks for. */
function cvcProblem(v) {
  var lengths = cvcLengths(typedBrand());
  if (/^\d+$/.test(v) && lengths.indexOf(v.length) >= 0) return "";
  return lengths.length === 1 ? say("cvcDigits", { count: lengths[0] }) : say("invalidCvc");
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
    return chosen || !el.required ? "" : el.dataset.requiredMessage || say("chooseOne");
  }
  var v = el.value.trim();
  if (!v) return el.required ? say("required", { field: labelOf(el) }) : "";
  switch (el.dataset.check) {
    case "email":
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? "" : say("invalidEmail");
    case "card":
      return cardNumberProblem(digitsOf(v)) ? say("invalidCard") : "";
    case "expiry":
      var e = parseExpiry(v);
      if (!e) return say("invalidExpiry");
      return Date.UTC(e.year, e.month) > Date.now() ? "" : say("cardExpired");
    case "cvc":
      return cvcProblem(v);
    case "number":
      return /^-?\d+([.,]\d+)?$/.test(v) ? "" : say("invalidNumber");
    case "amount":
      var exponent = Number(el.dataset.exponent);
      var minor = minorOf(el);
      if (minor === null) {
        // An example as the page's locale writes it: 5.50, 5,50, 5.500…
        var example = new Intl.NumberFormat(el.dataset.locale, {
          minimumFractionDigits: exponent,
          maximumFractionDigits: exponent,
        }).format(5.5);
        return exponent > 0 ? say("amountFormat", { example: example, count: exponent }) : say("amountWhole");
      }
      if (minor <= 0) return say("amountPositive");
      if (el.dataset.min && (minor < Number(el.dataset.min) || minor > Number(el.dataset.max))) {
        return say("amountRange", { min: el.dataset.minText, max: el.dataset.maxText });
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
    button.dataset.label = text ? say("payAmount", { amount: text }) : say("pay");
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
      number: digitsOf(card.number || ""),
      exp_month: expiry ? expiry.month : 0,
      exp_year: expiry ? expiry.year : 0,
      cvc: card.cvc || "",
    },
  };
  return out;
}
})();
