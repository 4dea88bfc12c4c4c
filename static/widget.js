/*
 * `/widget.js`, loaded by the merchant's page:
 *
 * ```html
 * <script src="https://checkout.example/widget.js"></script>
 * <script>
 *   EdgeCheckout.mount(document.getElementById("pay"), {
 *     token: "<the session's token, from your server>",
 *     onEvent: (event) => console.log(event.type, event.session),
 *   });
 * </script>
 * ```
 *
 * It renders the checkout in an iframe from the service's origin (which is the origin this
 * script was loaded from), sizes the frame to its content, and passes the checkout's events
 * (`ready`, `requires_action`, `declined`, `completed`, `failed`, `expired`, `cancelled`) to
 * `onEvent`; an outcome is one of this frame (its payment, its Cancel, time running out while
 * it showed the form). Messages count only when they come from that frame at that origin. The
 * token travels in the frame's URL fragment, which no request carries. Plain ES2017, no
 * dependencies.
 *
 * Failures come as `{ type: "error", code, message, session }`, `message` words the host can
 * show the payer instead of an empty or stuck box:
 * - `frame_blocked`: the frame never spoke within `readyTimeoutMs` (8 s): the merchant does not
 *   allow this page's origin, so the browser refuses to show it, or it could not load. Should the
 *   frame speak after all, its events follow as usual.
 * - `session_closed`: the session was closed before the frame showed it (its link is dead), or
 *   meanwhile by someone else (paid in another tab, cancelled by the merchant): the frame shows
 *   it closed and can take no payment. `session.status` says how it ended.
 * - `network`: the frame could not reach the service (offline, a dropped connection).
 * The frame reports the last two by code; the words are this script's, so they stay the host's
 * to show (English, as the host's own page decides its language).
 */
(function () {
"use strict";
var script = document.currentScript;
var origin = script && script.src ? new URL(script.src).origin : null;
// A payer token (the session id and its MAC; a bare session id opens nothing), or the
// StableMint sessionId (a v4 UUID) of an embedded session.
var TOKEN = /^cs_[0-9a-f]{64}\.[A-Za-z0-9_-]{16,}$/;
var SESSION_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// What each failure the frame reports says to the payer; a code not listed here is not passed on.
var FRAME_ERRORS = {
  session_closed: "This checkout is no longer open: it was paid, cancelled or has expired. Please return to the shop to check your order or start again.",
  network: "The checkout could not reach the payment service. Please check your connection and try again.",
};

function mount(element, options) {
  if (!origin) throw new Error("EdgeCheckout: load widget.js with a <script src> tag.");
  if (!(element instanceof Element)) throw new TypeError("EdgeCheckout.mount: the first argument must be an element.");
  options = options || {};
  var token = options.token || options.sessionId;
  if (typeof token !== "string" || !(TOKEN.test(token) || SESSION_UUID.test(token))) {
    throw new TypeError("EdgeCheckout.mount: pass { token } (or the StableMint { sessionId }).");
  }
  var frame = document.createElement("iframe");
  frame.title = options.title || "Checkout";
  // The path names the session (the frame's framing rules depend on it); the token rides the fragment.
  frame.src = origin + "/embed/" + token.split(".")[0] + "#" +
    new URLSearchParams({ token: token, origin: location.origin }).toString();
  frame.referrerPolicy = "no-referrer";
  frame.style.display = "block";
  frame.style.width = "100%";
  frame.style.height = "480px";
  frame.style.border = "0";
  frame.style.colorScheme = "light";

  function onMessage(event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.source !== "edge-checkout" || typeof data.type !== "string") return;
    clearTimeout(silence); // the frame is there and speaking
    if (data.type === "resize") {
      if (typeof data.height === "number" && data.height > 0 && data.height < 20000) {
        frame.style.height = Math.ceil(data.height) + "px";
      }
      return;
    }
    if (typeof options.onEvent !== "function") return;
    var out = { type: data.type, session: data.session || null };
    if (data.type === "error") {
      if (!Object.prototype.hasOwnProperty.call(FRAME_ERRORS, data.code)) return;
      out = { type: "error", code: data.code, message: FRAME_ERRORS[data.code], session: out.session };
    }
    if (typeof data.attempts_left === "number") out.attemptsLeft = data.attempts_left;
    options.onEvent(out);
  }

  var timeoutMs = typeof options.readyTimeoutMs === "number" ? options.readyTimeoutMs : 8000;
  var silence = setTimeout(function () {
    if (typeof options.onEvent !== "function") return;
    options.onEvent({
      type: "error",
      code: "frame_blocked",
      message: "The checkout could not be shown on this page. Please pay on the shop's checkout page instead.",
      session: null,
    });
  }, timeoutMs);

  window.addEventListener("message", onMessage);
  element.appendChild(frame);
  return {
    frame: frame,
    unmount: function () {
      clearTimeout(silence);
      window.removeEventListener("message", onMessage);
      frame.remove();
    },
  };
}

window.EdgeCheckout = Object.freeze({ mount: mount });
})();
