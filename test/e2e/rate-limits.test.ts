/**
 * The abuse limits under `npm start` (wrangler dev on workerd, wrangler.toml's limits): the
 * client address is the one wrangler dev's proxy puts in `CF-Connecting-IP` (127.0.0.1 here, as
 * Cloudflare's edge would put the payer's), and a payer over its limit waits `Retry-After` and
 * goes on. test/worker/rate-limits.test.ts measures every limit in detail.
 */
import { afterAll, expect, it } from "vitest";
import { type Service, startService } from "./service.js";

const running: Service[] = [];
afterAll(async () => {
  await Promise.all(running.map((service) => service.kill()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("refuses the 301st payer request from one address in 10 s with 429 and Retry-After, and lets it through after", async () => {
  const service = await startService();
  running.push(service);
  const created = await fetch(`${service.origin}/v1/checkout-sessions`, {
    method: "POST",
    headers: { authorization: "Bearer sk_test_sandbox", "content-type": "application/json" },
    body: JSON.stringify({
      amount: 1050,
      currency: "EUR",
      return_url: `${service.origin}/demo/return`,
    }),
  });
  const { id, token } = (
    (await created.json()) as { checkout_session: { id: string; token: string } }
  ).checkout_session;

  // Start early enough in a window that all of the guesses fall in it (they take about 2 s).
  const windowMs = 10_000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < 6_000) await sleep(left + 50);
  const window = Math.floor(Date.now() / windowMs);
  const statuses: number[] = [];
  for (let i = 0; i < 300; i += 20) {
    const batch = Array.from({ length: 20 }, async (_, j) => {
      const guess = `${service.origin}/v1/checkout-sessions/token/cs_${"0".repeat(64)}.guess${i + j}`;
      const response = await fetch(guess);
      await response.arrayBuffer();
      return response.status;
    });
    statuses.push(...(await Promise.all(batch)));
  }
  const limited = await fetch(`${service.origin}/v1/checkout-sessions/token/${token}`);
  const problem = await limited.json();
  const merchant = await fetch(`${service.origin}/v1/checkout-sessions/${id}`, {
    headers: { authorization: "Bearer sk_test_sandbox" },
  });
  const script = await fetch(`${service.origin}/assets/checkout.js`);
  await Promise.all([merchant.arrayBuffer(), script.arrayBuffer()]);
  expect(Math.floor(Date.now() / windowMs)).toBe(window);

  expect(statuses.filter((status) => status === 404)).toHaveLength(300);
  expect(limited.status).toBe(429);
  expect(limited.headers.get("content-type")).toBe("application/problem+json");
  expect(limited.headers.get("retry-after")).toBe("10");
  expect(problem).toMatchObject({
    status: 429,
    code: "rate_limited",
    detail: expect.stringContaining("from your network"),
  });
  // Neither the merchant's API nor the page's assets are the payer address's to exhaust.
  expect(merchant.status).toBe(200);
  expect(script.status).toBe(200);

  await sleep(Number(limited.headers.get("retry-after")) * 1000);
  const later = await fetch(`${service.origin}/v1/checkout-sessions/token/${token}`);
  await later.arrayBuffer();
  expect(later.status).toBe(200);
});
