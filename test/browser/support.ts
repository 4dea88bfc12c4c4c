/**
 * What the browser tests (and scripts/screenshots.ts) share: Debian's Chromium through
 * playwright-core, the service as README starts it, and a merchant's own website on another
 * local origin (its return page, its logo, and a shop page that mounts the widget).
 *
 * The merchant is a real row in the service's D1, written with `wrangler d1 execute` as an
 * operator would, allowing exactly the merchant site's origin (the seeded sandbox merchant
 * allows only port 8787, which this suite must not assume is free).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { promisify } from "node:util";
import { type Browser, chromium } from "playwright-core";
import type { Service } from "../e2e/service.js";

export { CARDS } from "../support/cards.js";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const SHOP = {
  id: "m_corner_shop",
  name: "Corner Shop",
  secretKey: "sk_test_corner_shop_browser",
};

/** A second merchant that lists no allowed origins, as the sandbox merchant ships. */
export const OPEN_SHOP = {
  id: "m_open_shop",
  name: "Open Shop",
  secretKey: "sk_test_open_shop_browser",
};

/** The seeded sandbox merchant (seeds/sandbox.sql): its StableMint key and secret. */
export const SANDBOX = {
  id: "m_sandbox",
  name: "Sandbox Store",
  secretKey: "sk_test_sandbox",
  apiKey: "pk_test_sandbox",
  apiSecret: "sk_test_sandbox",
};

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0f766e"/><path d="M18 26h28l-3 20H21z" fill="#fff"/><path d="M25 26a7 7 0 0 1 14 0" fill="none" stroke="#fff" stroke-width="4"/></svg>`;

/**
 * A 160×40 wordmark, the shape of most merchants' logos (README's screenshots and the branding
 * tests): its width and height are its own, so the page must keep its ratio.
 */
const WORDMARK_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40"><rect width="160" height="40" rx="8" fill="#0f766e"/><circle cx="20" cy="20" r="9" fill="none" stroke="#fff" stroke-width="4"/><text x="38" y="27" font-family="Georgia, serif" font-size="20" font-weight="700" fill="#fff">Corner Shop</text></svg>`;

/** The merchant's website: another origin than the service (`http://localhost:<port>`). */
export interface MerchantSite {
  origin: string;
  /** The same server under an origin the merchant did not allow (`http://127.0.0.1:<port>`). */
  otherOrigin: string;
  /** A shop page (its path) that loads widget.js from the service and mounts this token. */
  shopFor(shop: { serviceOrigin: string; token: string }): string;
  /** The merchant's own checkout page (semi-hosted) for sessions of this service: its path. */
  ownCheckoutFor(serviceOrigin: string): string;
  close(): Promise<void>;
}

/**
 * The merchant's own checkout page (semi-hosted): the payer arrives as `?token=…`, and the page
 * drives the session through the payer's token API from its own origin (CORS), with a test card.
 */
function ownCheckoutPage(serviceOrigin: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Own checkout</title></head>
<body><main><h1>Our own checkout</h1><p id="amount">Loading…</p>
<button id="pay" disabled>Pay</button><p id="status" role="status"></p></main>
<script>
var token = new URLSearchParams(location.search).get("token");
var api = ${JSON.stringify(serviceOrigin)} + "/v1/checkout-sessions/token/" + encodeURIComponent(token);
fetch(api).then(function (r) { return r.json(); }).then(function (body) {
  var s = body.checkout_session;
  document.getElementById("amount").textContent = s.amount + " " + s.currency + " at " + s.merchant.name;
  document.getElementById("pay").disabled = false;
});
document.getElementById("pay").addEventListener("click", function () {
  fetch(api + "/confirm", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      payment_method: { type: "card", card: { number: "4242424242424242", exp_month: 12, exp_year: 2099, cvc: "123" } },
      payer: { name: "Ada Lovelace", email: "ada@example.com" },
    }),
  }).then(function (r) { return r.json(); }).then(function (body) {
    document.getElementById("status").textContent = body.checkout_session.status;
  });
});
</script></body></html>`;
}

function shopPage(serviceOrigin: string, token: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Corner Shop · checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:0;background:#fafaf7}main{max-width:480px;margin:0 auto;padding:24px}h1{font-size:22px}</style>
<script src="${serviceOrigin}/widget.js"></script></head>
<body><main><h1>Corner Shop</h1><p>Your basket is ready. Pay below.</p>
<div id="checkout"></div><ol id="events" aria-label="Checkout events"></ol></main>
<script>
window.checkoutEvents = [];
EdgeCheckout.mount(document.getElementById("checkout"), {
  token: ${JSON.stringify(token)},
  onEvent: function (event) {
    window.checkoutEvents.push(event);
    var li = document.createElement("li");
    li.textContent = event.type;
    document.getElementById("events").appendChild(li);
  },
});
</script></body></html>`;
}

export async function startMerchantSite(): Promise<MerchantSite> {
  const shops: { serviceOrigin: string; token: string }[] = [];
  const ownCheckouts: string[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    if (url.pathname === "/logo.svg") return send(200, "image/svg+xml", LOGO_SVG);
    if (url.pathname === "/wordmark.svg") return send(200, "image/svg+xml", WORDMARK_SVG);
    const shop = shops[Number(/^\/shop\/(\d+)$/.exec(url.pathname)?.[1] ?? -1)];
    const own = ownCheckouts[Number(/^\/checkout\/(\d+)$/.exec(url.pathname)?.[1] ?? -1)];
    if (own !== undefined) return send(200, "text/html; charset=utf-8", ownCheckoutPage(own));
    if (shop !== undefined) {
      return send(200, "text/html; charset=utf-8", shopPage(shop.serviceOrigin, shop.token));
    }
    if (url.pathname === "/return" || url.pathname === "/cancel") {
      const id = url.searchParams.get("session_id") ?? "";
      const what = url.pathname === "/return" ? "Thank you for your order" : "Checkout cancelled";
      return send(
        200,
        "text/html; charset=utf-8",
        `<!doctype html><title>${what}</title><h1>${what}</h1><p id="session">${id.replace(/[^\w]/g, "")}</p>`,
      );
    }
    send(404, "text/plain", "not found");
  };
  // Both loopback addresses, so `localhost` works whichever one a client resolves first.
  const v4 = createServer(handle);
  await new Promise<void>((resolve) => v4.listen(0, "127.0.0.1", resolve));
  const address = v4.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const servers: Server[] = [v4];
  const v6 = createServer(handle);
  await new Promise<void>((resolve) => {
    v6.once("error", () => resolve()); // no IPv6 loopback here: 127.0.0.1 serves alone
    v6.listen(port, "::1", () => {
      servers.push(v6);
      resolve();
    });
  });
  return {
    origin: `http://localhost:${port}`,
    otherOrigin: `http://127.0.0.1:${port}`,
    shopFor: (shop) => `/shop/${shops.push(shop) - 1}`,
    ownCheckoutFor: (serviceOrigin) => `/checkout/${ownCheckouts.push(serviceOrigin) - 1}`,
    close: async () => {
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}

const run = promisify(execFile);

/**
 * Registers the shop as a merchant of the running service, allowing only its site's origin, and
 * the open shop, which lists none. The seeded sandbox merchant (whose StableMint key signs the
 * bank-transfer suite's sessions) lists none either, so it may send payers to the site (local
 * http, in the sandbox) as it is.
 */
export async function addShopMerchant(service: Service, site: MerchantSite): Promise<void> {
  const hash = (key: string) => createHash("sha256").update(key).digest("hex");
  const sql = `INSERT INTO merchants (id, name, logo_url, secret_key_hash, providers, allowed_origins, created_at)
VALUES ('${SHOP.id}', '${SHOP.name}', '${site.origin}/logo.svg', '${hash(SHOP.secretKey)}',
  '["sandbox","sandbox_backup"]', '${JSON.stringify([site.origin])}', ${Date.now()}),
  ('${OPEN_SHOP.id}', '${OPEN_SHOP.name}', NULL, '${hash(OPEN_SHOP.secretKey)}',
  '["sandbox","sandbox_backup"]', '[]', ${Date.now()})`;
  await run(
    "npx",
    [
      "wrangler",
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      service.persistTo,
      "--command",
      sql,
    ],
    { cwd: new URL("../..", import.meta.url).pathname },
  );
}

export interface CreatedSession {
  id: string;
  token: string;
  url: string;
  /** Where the merchant sends the payer: `${url}?token=${token}`, as the HSRC guide writes it. */
  link: string;
}

/** A checkout session of the shop, created over HTTP as the merchant's server would. */
export async function createSession(
  service: Service,
  site: MerchantSite,
  extra: Record<string, unknown> = {},
  secretKey = SHOP.secretKey,
): Promise<CreatedSession> {
  const response = await fetch(`${service.origin}/v1/checkout-sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      amount: 2350,
      currency: "EUR",
      return_url: `${site.origin}/return`,
      line_items: [
        { name: "Ceramic mug", quantity: 2, unit_amount: 900 },
        { name: "Loose-leaf tea, 100 g", quantity: 1, unit_amount: 550 },
      ],
      ...extra,
    }),
  });
  const body = (await response.json()) as { checkout_session?: Omit<CreatedSession, "link"> };
  const created = body.checkout_session;
  if (response.status !== 201 || created === undefined) {
    throw new Error(`create failed (${response.status}): ${JSON.stringify(body)}`);
  }
  return { ...created, link: `${created.url}?token=${created.token}` };
}

/** POSTs a StableMint create for `body.userId`, signed as the merchant's server signs it. */
async function stablemint(
  service: Service,
  flow: "hosted" | "embedded",
  body: { userId: string } & Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHash("sha256")
    .update(`${timestamp},${SANDBOX.apiSecret},${body.userId}`)
    .digest("hex");
  const response = await fetch(`${service.origin}/session/${flow}`, {
    method: "POST",
    headers: { api_key: SANDBOX.apiKey, timestamp, signature, "content-type": "application/json" },
    body: JSON.stringify({
      userEmail: "ada@example.com",
      userCountryCode: "GB",
      currency: "EUR",
      ...body,
    }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * A StableMint hosted session of the sandbox merchant for `userId`, paying back to the merchant
 * site (signature: hex SHA-256 of "<timestamp>,<secret>,<userId>").
 */
export async function createStablemintSession(
  service: Service,
  site: MerchantSite,
  userId: string,
): Promise<{ url: string; reference: string }> {
  const { status, json } = await stablemint(service, "hosted", {
    userId,
    amount: 7.5,
    successUrl: `${site.origin}/return`,
    exitUrl: `${site.origin}/cancel`,
    errorUrl: `${site.origin}/error`,
    supportUrl: `${site.origin}/help`,
  });
  if (status !== 200 || typeof json.url !== "string" || typeof json.reference !== "string") {
    throw new Error(`StableMint create failed (${status}): ${JSON.stringify(json)}`);
  }
  return { url: json.url, reference: json.reference };
}

/**
 * A StableMint embedded session of the sandbox merchant with no `amount`: the payer chooses it.
 * Its `sessionId` is a payer token, so `/pay/<sessionId>` opens it in the hosted page.
 */
export async function createAmountlessEmbeddedSession(
  service: Service,
  userId: string,
): Promise<{ sessionId: string; reference: string }> {
  const { status, json } = await stablemint(service, "embedded", { userId });
  if (status !== 200 || typeof json.sessionId !== "string" || typeof json.reference !== "string") {
    throw new Error(`StableMint create failed (${status}): ${JSON.stringify(json)}`);
  }
  return { sessionId: json.sessionId, reference: json.reference };
}

/** The session as its merchant sees it through the API (the shop, unless another key is given). */
/**
 * The session's status as the merchant's list shows it: D1's projection, written a moment after
 * the session changed (with the saved banks of the same step, in one batch).
 */
export async function listedStatus(service: Service, id: string, secretKey = SHOP.secretKey) {
  const response = await fetch(`${service.origin}/v1/checkout-sessions?limit=100`, {
    headers: { authorization: `Bearer ${secretKey}` },
  });
  const list = (await response.json()) as { data: { id: string; status: string }[] };
  return list.data.find((s) => s.id === id)?.status ?? null;
}

export async function retrieve(service: Service, id: string, secretKey = SHOP.secretKey) {
  const response = await fetch(`${service.origin}/v1/checkout-sessions/${id}`, {
    headers: { authorization: `Bearer ${secretKey}` },
  });
  return (await response.json()) as {
    checkout_session: {
      status: string;
      amount: number | null;
      closed_reason: string | null;
      payment: {
        status: string;
        charges: {
          provider: string;
          status: string;
          payment_method: { type: string; bank_id?: string };
        }[];
      } | null;
    };
  };
}

export async function cancel(service: Service, id: string): Promise<void> {
  const response = await fetch(`${service.origin}/v1/checkout-sessions/${id}/cancel`, {
    method: "POST",
    headers: { authorization: `Bearer ${SHOP.secretKey}` },
  });
  if (response.status !== 200) throw new Error(`cancel failed: ${response.status}`);
}

/** `PATCH /v1/merchant` as the merchant's server (or its operator) would send it. */
export async function patchMerchant(
  service: Service,
  secretKey: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${service.origin}/v1/merchant`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
  if (response.status !== 200) {
    throw new Error(`PATCH /v1/merchant failed (${response.status}): ${await response.text()}`);
  }
}
