/**
 * The abuse limits exactly as wrangler.toml deploys them (the `rate-limits` Vitest project gives
 * this file the `[[ratelimits]]` bindings untouched): what a merchant or payer over a limit
 * sees, that a limit holds back only what it counts, and that a refused request changed nothing.
 *
 * workerd counts in windows aligned to the clock (10 or 60 s), so each measurement runs inside
 * one window (`inOneWindow`): started early enough in it, and done again with fresh keys if the
 * window turned meanwhile, so the counts are exact.
 */
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { clientAddress, RATE_LIMITS } from "../../src/rate-limit.js";
import { CARDS, call, card, newMerchant, PAYER, RETURN_URL } from "./api.js";
import { newStablemintMerchant, newUserId } from "./stablemint-api.js";

type Answer = Awaited<ReturnType<typeof call>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `measure` inside one window of `period` seconds: it waits for a fresh window when the
 * current one has less than `expectMs` left, and runs again (it must use fresh keys) if the
 * window turned all the same. Every count the limiter makes falls between the two clock reads.
 */
async function inOneWindow<T>(period: number, expectMs: number, measure: () => Promise<T>) {
  const windowMs = period * 1000;
  let budget = expectMs;
  for (let attempt = 0; attempt < 4; attempt++) {
    const left = windowMs - (Date.now() % windowMs);
    if (left < budget) await sleep(left + 25);
    const window = Math.floor(Date.now() / windowMs);
    const started = Date.now();
    const result = await measure();
    if (Math.floor(Date.now() / windowMs) === window) return result;
    budget = Math.min(windowMs - 100, Math.max(budget, (Date.now() - started) * 1.5));
  }
  throw new Error(`could not measure within one ${period} s window (the last try: ${budget} ms)`);
}

/** `count` requests, `parallel` at a time; the answers in order. */
async function many(count: number, send: (i: number) => Promise<Answer>, parallel = 20) {
  const answers: Answer[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, i) =>
      send(start + i),
    );
    answers.push(...(await Promise.all(batch)));
  }
  return answers;
}

const statuses = (answers: Answer[]) => {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

/** The 429 problem a limited request answers, with `Retry-After` the limiter's period. */
function expectRateLimited(answer: Answer, period: number, who: string) {
  expect(answer.status).toBe(429);
  expect(answer.headers.get("content-type")).toBe("application/problem+json");
  expect(answer.headers.get("retry-after")).toBe(String(period));
  expect(answer.headers.get("request-id")).toMatch(/^req_/);
  expect(answer.json).toEqual({
    type: "https://edge-checkout.dev/problems/rate_limited",
    title: "Too Many Requests",
    status: 429,
    code: "rate_limited",
    detail: expect.stringContaining(who),
    request_id: answer.headers.get("request-id"),
  });
  expect(answer.json.detail).toContain(`Retry after ${period} seconds.`);
}

/** A payer's request from `ip` (Cloudflare's `CF-Connecting-IP`). */
const payer = (ip: string, method: string, path: string, body?: unknown, headers = {}) =>
  call(method, path, body, { "cf-connecting-ip": ip, ...headers });

const confirmBody = { payment_method: card(CARDS.success), payer: PAYER };

/** A fresh client address: IPv4 of the benchmarking range (RFC 2544), IPv6 of the documentation one. */
let nextAddress = 1;
const ipv4 = () => {
  const n = nextAddress++;
  return `198.18.${n >> 8}.${n & 255}`;
};
const ipv6Net = () => `2001:db8:${(nextAddress++).toString(16)}:1`;

async function openSession(as: Awaited<ReturnType<typeof newMerchant>>) {
  const created = await as.call("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: RETURN_URL,
  });
  expect(created.status).toBe(201);
  return created.json.checkout_session as { id: string; token: string };
}

const { merchant, session, address } = RATE_LIMITS;

it("words the limits wrangler.toml deploys", () => {
  const deployed = Object.fromEntries(
    inject("rateLimits").map(({ name, simple }) => [name, simple]),
  );
  expect(deployed).toEqual({
    [merchant.binding]: { limit: merchant.limit, period: merchant.period },
    [session.binding]: { limit: session.limit, period: session.period },
    [address.binding]: { limit: address.limit, period: address.period },
  });
});

describe("per merchant API key", () => {
  it("answers 429 with Retry-After past the limit, holds back only that key, and a refused request changes nothing", async () => {
    const other = await newMerchant();
    const measured = await inOneWindow(merchant.period, 6_000, async () => {
      const shop = await newMerchant();
      const pending = await openSession(shop);
      const objectsBefore = (await listDurableObjectIds(env.CHECKOUT_SESSIONS)).length;
      const reads = await many(merchant.limit + 20, () => shop.call("GET", "/v1/merchant"));
      const refused = {
        create: await shop.call("POST", "/v1/checkout-sessions", {
          amount: 990,
          currency: "EUR",
          return_url: RETURN_URL,
        }),
        cancel: await shop.call("POST", `/v1/checkout-sessions/${pending.id}/cancel`),
        rename: await shop.call("PATCH", "/v1/merchant", { name: "Renamed While Limited" }),
        endpoint: await shop.call("POST", "/v1/webhook-endpoints", {
          url: "https://shop.example/hooks",
        }),
      };
      // Meanwhile another merchant, and this merchant's payers, go on as ever.
      const otherRead = await other.call("GET", "/v1/merchant");
      const paid = await payer(
        ipv4(),
        "POST",
        `/v1/checkout-sessions/token/${pending.token}/confirm`,
        confirmBody,
      );
      return { shop, pending, objectsBefore, reads, refused, otherRead, paid };
    });
    const { shop, pending, objectsBefore, reads, refused, otherRead, paid } = measured;

    // The session's create was the first request of the window: 999 reads pass, then 429s.
    expect(statuses(reads)).toEqual({ 200: merchant.limit - 1, 429: 21 });
    for (const answer of Object.values(refused))
      expectRateLimited(answer, merchant.period, "with this API key");

    expect(otherRead.status).toBe(200);
    expect(paid.status).toBe(200);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");

    // Nothing the refused requests asked for happened: no session object, no cancel (the payer
    // paid it), no rename and no audit entry, no webhook endpoint.
    expect((await listDurableObjectIds(env.CHECKOUT_SESSIONS)).length).toBe(objectsBefore);
    const row = await env.DB.prepare("SELECT name FROM merchants WHERE id = ?")
      .bind(shop.id)
      .first<{ name: string }>();
    expect(row?.name).toBe("Test Store");
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM merchant_audit_log WHERE merchant_id = ?",
    )
      .bind(shop.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(0);
    const endpoints = await env.DB.prepare(
      "SELECT count(*) AS n FROM webhook_endpoints WHERE merchant_id = ?",
    )
      .bind(shop.id)
      .first<{ n: number }>();
    expect(endpoints?.n).toBe(0);
    expect(pending.id).toMatch(/^cs_/);
  });

  it("counts a StableMint api_key only on signed requests, apart from the merchant's secret key", async () => {
    const measured = await inOneWindow(merchant.period, 6_000, async () => {
      const shop = await newStablemintMerchant();
      const body = () => ({
        userId: newUserId(),
        userEmail: "ada@example.com",
        userCountryCode: "DE",
        currency: "EUR",
        amount: 5.5,
      });
      const first = await shop.create("embedded", body());
      // Wrongly signed requests with the (public) api_key: refused, and not counted.
      const forged = await many(200, () =>
        shop.create("embedded", body(), { secret: "not-the-secret" }),
      );
      // Signed but invalid (a merchant's broken retry loop): counted.
      const broken = await many(merchant.limit - 1, () =>
        shop.create("embedded", { ...body(), currency: "EURO" }),
      );
      const objectsBefore = (await listDurableObjectIds(env.CHECKOUT_SESSIONS)).length;
      const limited = await shop.create("embedded", body());
      const objectsAfter = (await listDurableObjectIds(env.CHECKOUT_SESSIONS)).length;
      const secretKey = await shop.api("GET", "/v1/merchant");
      return { first, forged, broken, limited, objectsBefore, objectsAfter, secretKey };
    });
    expect(measured.first.status).toBe(200);
    expect(statuses(measured.forged)).toEqual({ 401: 200 });
    expect(statuses(measured.broken)).toEqual({ 422: merchant.limit - 1 });
    expectRateLimited(measured.limited, merchant.period, "with this API key");
    expect(measured.objectsAfter).toBe(measured.objectsBefore);
    expect(measured.secretKey.status).toBe(200);
  });
});

describe("per checkout session, on the payer's routes", () => {
  it("holds back one session and not another, counts only requests with its token, and a refused confirm changes nothing", async () => {
    const shop = await newMerchant();
    const measured = await inOneWindow(session.period, 10_000, async () => {
      const [one, two] = [await openSession(shop), await openSession(shop)];
      // Someone who knows only the session id (it shows in the address bar) spends nothing.
      const forgedToken = `${one.id}.${"A".repeat(43)}`;
      const forged = await many(150, (i) =>
        payer(ipv4(), "GET", `/v1/checkout-sessions/token/${forgedToken}`, undefined, {
          "x-i": String(i),
        }),
      );
      const noCookie = await many(30, () => payer(ipv4(), "GET", `/pay/${one.id}/session`));
      // The payer's own requests, from one address: the session's whole allowance.
      const ip = ipv4();
      const views = await many(session.limit, () =>
        payer(ip, "GET", `/v1/checkout-sessions/token/${one.token}`),
      );
      const journal = () => shop.call("GET", `/v1/checkout-sessions/${one.id}/journal`);
      const journalBefore = await journal();
      const limited = {
        view: await payer(ipv4(), "GET", `/v1/checkout-sessions/token/${one.token}`),
        confirm: await payer(
          ipv4(),
          "POST",
          `/v1/checkout-sessions/token/${one.token}/confirm`,
          confirmBody,
        ),
        exit: await payer(ipv4(), "POST", `/v1/checkout-sessions/token/${one.token}/exit`),
        link: await payer(ipv4(), "GET", `/pay/${one.token}`),
        page: await payer(ipv4(), "GET", `/pay/${one.id}/session`, undefined, {
          cookie: `ec_payer=${one.token}`,
        }),
        frame: await payer(ipv4(), "GET", `/pay/${one.id}/session`, undefined, {
          authorization: `Token ${one.token}`,
        }),
      };
      const otherPaid = await payer(
        ip,
        "POST",
        `/v1/checkout-sessions/token/${two.token}/confirm`,
        confirmBody,
      );
      const retrieved = await shop.call("GET", `/v1/checkout-sessions/${one.id}`);
      const journalAfter = await journal();
      return {
        forged,
        noCookie,
        views,
        limited,
        otherPaid,
        retrieved,
        journalBefore,
        journalAfter,
      };
    });
    expect(statuses(measured.forged)).toEqual({ 404: 150 });
    expect(statuses(measured.noCookie)).toEqual({ 401: 30 });
    expect(statuses(measured.views)).toEqual({ 200: session.limit });
    for (const answer of Object.values(measured.limited))
      expectRateLimited(answer, session.period, "for this checkout");
    // The merchant's page reads the 429 and its Retry-After across origins.
    expect(measured.limited.confirm.headers.get("access-control-allow-origin")).toBe("*");
    expect(measured.limited.confirm.headers.get("access-control-expose-headers")).toContain(
      "retry-after",
    );
    expect(measured.otherPaid.status).toBe(200);
    expect(measured.otherPaid.json.checkout_session.status).toBe("COMPLETED");
    // The merchant's API is not the payer's to exhaust, and the refused confirm and exit did
    // nothing: still pending, no payment, not one event more in its journal.
    expect(measured.retrieved.status).toBe(200);
    expect(measured.retrieved.json.checkout_session.status).toBe("PENDING");
    expect(measured.retrieved.json.checkout_session.payment).toBeNull();
    expect(measured.journalBefore.status).toBe(200);
    expect(measured.journalAfter.json).toEqual(measured.journalBefore.json);
  });
});

describe("per client address, on the payer's routes", () => {
  it("holds back one address (an IPv6 /64) and not another, and not the merchant or the assets", async () => {
    const shop = await newMerchant();
    const measured = await inOneWindow(address.period, 4_000, async () => {
      const pending = await openSession(shop);
      const net = ipv6Net();
      // A token guesser: every guess counts against its address.
      const guesses = await many(address.limit, (i) =>
        payer(
          `${net}::${(i + 1).toString(16)}`,
          "GET",
          `/v1/checkout-sessions/token/cs_${"0".repeat(64)}.guess${i}`,
        ),
      );
      const sameNet = {
        view: await payer(
          `${net}:ffff:ffff:ffff:fffe`,
          "GET",
          `/v1/checkout-sessions/token/${pending.token}`,
        ),
        confirm: await payer(
          `${net}::abcd`,
          "POST",
          `/v1/checkout-sessions/token/${pending.token}/confirm`,
          confirmBody,
        ),
        page: await payer(`${net}::1`, "GET", `/pay/${pending.token}`),
      };
      const script = await payer(`${net}::1`, "GET", "/assets/checkout.js");
      const asMerchant = await call("GET", `/v1/checkout-sessions/${pending.id}`, undefined, {
        authorization: `Bearer ${shop.key}`,
        "cf-connecting-ip": `${net}::1`,
      });
      const retrievedWhileLimited = asMerchant.json.checkout_session?.status;
      const otherNet = await payer(
        `${ipv6Net()}::1`,
        "GET",
        `/v1/checkout-sessions/token/${pending.token}`,
      );
      const paid = await payer(
        ipv4(),
        "POST",
        `/v1/checkout-sessions/token/${pending.token}/confirm`,
        confirmBody,
      );
      return { guesses, sameNet, script, asMerchant, retrievedWhileLimited, otherNet, paid };
    });
    expect(statuses(measured.guesses)).toEqual({ 404: address.limit });
    for (const answer of Object.values(measured.sameNet))
      expectRateLimited(answer, address.period, "from your network");
    expect(measured.script.status).toBe(200);
    expect(measured.asMerchant.status).toBe(200);
    // The refused confirm did nothing: still pending until another address pays it.
    expect(measured.retrievedWhileLimited).toBe("PENDING");
    expect(measured.otherNet.status).toBe(200);
    expect(measured.paid.json.checkout_session.status).toBe("COMPLETED");
    const final = await shop.call(
      "GET",
      `/v1/checkout-sessions/${measured.asMerchant.json.checkout_session.id}`,
    );
    expect(final.json.checkout_session.payment.charges).toHaveLength(1);
  });

  it("counts IPv4 as it is, IPv6 by its /64, and nothing without an address", () => {
    const of = (ip?: string) =>
      clientAddress(
        new Request("https://x.example", {
          headers: ip === undefined ? {} : { "cf-connecting-ip": ip },
        }),
      );
    expect(of("198.51.100.7")).toBe("198.51.100.7");
    expect(of("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(of("2001:DB8:0:1:aaaa::1")).toBe("2001:db8:0:1::/64");
    expect(of("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(of("2001:db8:0:1:2:3:4:5")).toBe("2001:db8:0:1::/64");
    expect(of("::1")).toBe("0:0:0:0::/64");
    expect(of("not-an-ip")).toBe("not-an-ip");
    expect(of()).toBeNull();
  });
});
