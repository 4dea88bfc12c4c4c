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
 * `onEvent`. Messages count only when they come from that frame at that origin. The token
 * travels in the frame's URL fragment, which no request carries. Plain ES2017, no dependencies.
 *
 * A frame that never speaks (the merchant does not allow this page's origin, so the browser
 * refuses to show it, or it could not load) is reported as `{ type: "error", code:
 * "frame_blocked", message }` after `readyTimeoutMs` (8 s): the host can show the message
 * instead of an empty box. Should the frame speak after all, its events follow as usual.
 */
(function () {
"use strict";
var script = document.currentScript;
var origin = script && script.src ? new URL(script.src).origin : null;
// A payer token (the session id and its MAC; a bare session id opens nothing), or the
// StableMint sessionId (a v4 UUID) of an embedded session.
var TOKEN = /^cs_[0-9a-f]{64}\.[A-Za-z0-9_-]{16,}$/;
var SESSION_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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
