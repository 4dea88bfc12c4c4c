/**
 * The example shop (examples/shop) against the running service, in Chromium: the shop runs as
 * `npm run shop` runs it (`node examples/shop/server.ts`, the sandbox key, its own port), and the
 * payer buys, pays on the hosted page with each sandbox card and comes back to the shop's return
 * page. Asserted: what the shop says (from `GET /v1/payments/:id`, never the URL) and what its
 * webhook handler recorded (`GET /orders/:id`): the status by event type, each event's
 * `requestId` traced to the session's journal, and a redelivery changing nothing.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../e2e/service.js";
import { type Fixture, fillPayer, payButton, seen } from "./fixture.js";
import { CARDS, SANDBOX } from "./support.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface ShopProcess {
  origin: string;
  port: number;
  webhookEndpointId: string;
  output(): string;
  stop(): Promise<void>;
}

/** What `GET /orders/:id` answers (examples/shop/orders.ts). */
interface OrderJson {
  order: {
    id: string;
    status: string;
    amount: number;
    currency: string;
    sessionId: string;
    paymentId: string | null;
    createRequestId: string;
    idempotencyKey: string;
    events: {
      webhookId: string;
      type: string;
      requestId: string | null;
      trace: string;
      journalSeq: number | null;
      statusBefore: string;
      statusAfter: string;
    }[];
  };
  deliveries: { webhookId: string; type: string; outcome: string }[];
}

/**
 * The shop imports `edge-checkout/client`, the package's own export: dist/client, which
 * `npm run build:client` writes. Built here when missing or older than client/'s sources (in
 * place, without the script's `rm -rf`, so nothing reading it meanwhile finds it gone).
 */
async function ensureClientBuilt(): Promise<void> {
  const dist = join(root, "dist/client");
  const sources = readdirSync(join(root, "client")).filter((name) => name.endsWith(".ts"));
  const newest = Math.max(...sources.map((name) => statSync(join(root, "client", name)).mtimeMs));
  const built = existsSync(join(dist, "index.js"))
    ? Math.min(
        ...readdirSync(dist)
          .filter((name) => name.endsWith(".js"))
          .map((name) => statSync(join(dist, name)).mtimeMs),
      )
    : 0;
  if (built >= newest) return;
  await promisify(execFile)("npx", ["tsc", "-p", "client/tsconfig.build.json"], { cwd: root });
}

/** `node examples/shop/server.ts`, as `npm run shop` starts it, on `port`. */
async function startShop(serviceOrigin: string, port: number): Promise<ShopProcess> {
  const child: ChildProcess = spawn(process.execPath, ["examples/shop/server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      SHOP_PORT: String(port),
      EDGE_CHECKOUT_URL: serviceOrigin,
      EDGE_CHECKOUT_SECRET_KEY: SANDBOX.secretKey,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = /\[shop\] ready on (\S+) .*webhooks (we_\w+)\)/.exec(output);
    if (ready?.[1] !== undefined && ready[2] !== undefined) {
      return {
        origin: ready[1],
        port,
        webhookEndpointId: ready[2],
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`the shop exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the shop was not ready within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function shopSuite(fx: Fixture): void {
  describe("the example shop (examples/shop)", () => {
    let shop: ShopProcess;

    beforeAll(async () => {
      await ensureClientBuilt();
      shop = await startShop(fx.service.origin, await freePort());
    });

    afterAll(async () => {
      await shop?.stop();
      // The sandbox merchant is shared by the other suites: leave it no endpoint of ours.
      if (shop !== undefined) {
        await api("DELETE", `/v1/webhook-endpoints/${shop.webhookEndpointId}`);
      }
    });

    /** The checkout API as the sandbox merchant (the shop's own key). */
    async function api(
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      const response = await fetch(`${fx.service.origin}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${SANDBOX.secretKey}`,
          ...(body !== undefined && { "content-type": "application/json" }),
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    }

    async function orderOf(id: string): Promise<OrderJson> {
      const response = await fetch(`${shop.origin}/orders/${id}`);
      expect(response.status).toBe(200);
      return (await response.json()) as OrderJson;
    }

    async function journal(sessionId: string) {
      const answer = await api("GET", `/v1/checkout-sessions/${sessionId}/journal`);
      return answer.data as { seq: number; type: string; request_id: string | null }[];
    }

    const heading = (page: Page) => seen(page.getByRole("heading", { level: 1 }));
    const returnPage = (sessionId: string) => `${shop.origin}/return?session_id=${sessionId}`;

    /**
     * The product page, Buy, and the shop's 303 to the hosted page: the link exactly as README
     * writes it, `${url}?token=${token}` of the session the shop created.
     */
    async function buy(page: Page): Promise<{ sessionId: string }> {
      const document = await page.goto(shop.origin);
      const csp = document?.headers()["content-security-policy"] ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain(`form-action 'self' ${fx.service.origin}`);
      expect(csp).not.toContain("script-src");
      expect(await page.title()).toBe("Ceramic mug · Kiln & Co.");
      expect(await seen(page.locator("#price"))).toBe("€18.00");
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url() === `${shop.origin}/buy`),
        page.getByRole("button", { name: "Buy" }).click(),
      ]);
      expect(answer.status()).toBe(303);
      const location = (await answer.headerValue("location")) ?? "";
      const sessionId = /[?&]token=(cs_[0-9a-f]{64})\./.exec(location)?.[1] ?? "";
      const session = (await api("GET", `/v1/checkout-sessions/${sessionId}`)).checkout_session as {
        url: string;
        token: string;
        metadata: Record<string, string>;
      };
      expect(location).toBe(`${session.url}?token=${session.token}`);
      expect(session.url).toBe(`${fx.service.origin}/pay`);
      await page.waitForURL(`${fx.service.origin}/pay/${sessionId}`);
      return { sessionId };
    }

    /** The order once the webhooks named by `types` have all been applied. */
    async function orderAfter(orderId: string, types: string[]): Promise<OrderJson> {
      await expect
        .poll(async () => (await orderOf(orderId)).order.events.map((e) => e.type), {
          timeout: 15_000,
        })
        .toEqual(types);
      return orderOf(orderId);
    }

    it("4242…: buy, pay, back on the return page: paid; the webhooks mark the order, a redelivery changes nothing", async () => {
      const page = await fx.newPage();
      const { sessionId } = await buy(page);
      await fillPayer(page, CARDS.success);
      await payButton(page).click();
      await page.waitForURL(returnPage(sessionId));
      expect(await heading(page)).toBe("Thank you, your order is paid");
      expect(await seen(page.locator("#payment-status"))).toBe("SUCCEEDED (checkout COMPLETED)");
      const orderId = await seen(page.locator("#order-id"));

      const { order } = await orderAfter(orderId, [
        "charge.succeeded",
        "payment.succeeded",
        "checkout_session.completed",
      ]);
      const session = (await api("GET", `/v1/checkout-sessions/${sessionId}`)).checkout_session as {
        metadata: Record<string, string>;
        payment: { id: string };
      };
      expect(order).toMatchObject({
        status: "paid",
        amount: 1800,
        currency: "EUR",
        sessionId,
        paymentId: session.payment.id,
        idempotencyKey: `order-${orderId}`,
      });
      expect(session.metadata).toEqual({ order_id: orderId });
      // Each event's requestId is the payer's confirm, recorded in the journal after the shop's
      // own create request; the shop logged both.
      const entries = await journal(sessionId);
      expect(entries[0]).toMatchObject({ type: "CREATE", request_id: order.createRequestId });
      const confirm = entries.find((entry) => entry.type === "CONFIRM");
      expect(order.events.map((e) => [e.requestId, e.trace, e.journalSeq])).toEqual(
        order.events.map(() => [confirm?.request_id, "journal", confirm?.seq]),
      );
      expect(order.events.map((e) => e.statusAfter)).toEqual(["pending", "paid", "paid"]);
      expect(shop.output()).toContain(
        `requestId ${confirm?.request_id}; order created by ${order.createRequestId}`,
      );

      // The service sends payment.succeeded again (same webhook-id): received, changes nothing.
      // Its id is the webhook-id the shop recorded (the events list trails by the D1 lag).
      const succeeded = order.events.find((e) => e.type === "payment.succeeded")?.webhookId;
      const event = (await api("GET", `/v1/events/${succeeded}`)).event as { id: string };
      expect(event).toMatchObject({ id: succeeded, type: "payment.succeeded" });
      const before = await orderOf(orderId);
      await api("POST", `/v1/events/${event.id}/redeliver`, {
        endpoint_id: shop.webhookEndpointId,
      });
      await expect
        .poll(async () =>
          (await orderOf(orderId)).deliveries
            .filter((d) => d.webhookId === event.id)
            .map((d) => d.outcome),
        )
        .toEqual(["applied", "duplicate"]);
      expect((await orderOf(orderId)).order).toEqual(before.order);
      await page.reload();
      expect(await heading(page)).toBe("Thank you, your order is paid");
    });

    it("4000…0002: a decline leaves the order payable; three fail it, and the shop offers to try again", async () => {
      const page = await fx.newPage();
      const { sessionId } = await buy(page);
      await fillPayer(page, CARDS.declined);
      await payButton(page).click();
      await expect.poll(() => seen(page.getByRole("alert"))).toContain("Your card was declined.");

      // The payer wanders back to the shop with the session still open: declined, not failed.
      await page.goto(returnPage(sessionId));
      expect(await heading(page)).toBe("Your card was declined");
      expect(await seen(page.locator("#payment-status"))).toBe(
        "REQUIRES_PAYMENT_METHOD (checkout PENDING)",
      );
      const orderId = await seen(page.locator("#order-id"));
      await orderAfter(orderId, ["charge.declined"]);
      expect(await seen(page.locator("#order-status"))).toBe("pending");
      await page.getByRole("link", { name: "Continue paying" }).click();
      await page.waitForURL(`${fx.service.origin}/pay/${sessionId}`);

      for (const attempt of [2, 3]) {
        await fillPayer(page, CARDS.declined);
        await payButton(page).click();
        if (attempt === 2) {
          await expect.poll(() => seen(page.getByRole("alert"))).toContain("1 attempt left.");
        }
      }
      await page.getByRole("heading", { name: "Payment failed" }).waitFor();
      await page.getByRole("link", { name: /^Return to / }).click();
      await page.waitForURL(returnPage(sessionId));
      expect(await heading(page)).toBe("Your payment failed");
      expect(await seen(page.locator("#payment-status"))).toBe("FAILED (checkout FAILED)");

      const { order } = await orderAfter(orderId, [
        "charge.declined",
        "charge.declined",
        "charge.declined",
        "payment.failed",
        "checkout_session.failed",
      ]);
      expect(order.status).toBe("failed");
      expect(order.events.every((e) => e.trace === "journal")).toBe(true);
      // Each decline is its own confirm, so its own request.
      expect(new Set(order.events.slice(0, 3).map((e) => e.requestId)).size).toBe(3);

      // Try again: a new order, a new session, the hosted page again.
      await page.getByRole("button", { name: "Try again" }).click();
      await page.waitForURL(/\/pay\/cs_[0-9a-f]{64}$/);
      expect(page.url()).not.toContain(sessionId);
    });

    it("4000…3220: the bank's challenge approved on the sandbox page, then paid at the shop", async () => {
      const page = await fx.newPage();
      const { sessionId } = await buy(page);
      await fillPayer(page, CARDS.challenge);
      await payButton(page).click();
      await page.waitForURL(/\/sandbox\/challenge\//);
      await page.getByRole("button", { name: "Approve" }).click();
      await page.waitForURL(returnPage(sessionId));
      expect(await heading(page)).toBe("Thank you, your order is paid");
      const orderId = await seen(page.locator("#order-id"));
      const { order } = await orderAfter(orderId, [
        "payment.requires_action",
        "charge.succeeded",
        "payment.succeeded",
        "checkout_session.completed",
      ]);
      expect(order.status).toBe("paid");
      expect(order.events.map((e) => e.statusAfter)).toEqual([
        "pending",
        "pending",
        "paid",
        "paid",
      ]);
      // The challenge is the confirm's; the success is the approval's, a later request.
      expect(order.events.every((e) => e.trace === "journal")).toBe(true);
      const [challenged, succeeded] = order.events;
      expect(challenged?.requestId).not.toBe(succeeded?.requestId);
      expect(succeeded?.journalSeq ?? 0).toBeGreaterThan(challenged?.journalSeq ?? 0);
    });

    it("4000…0119: the first provider fails, the fallback pays: two charges, one paid order", async () => {
      const page = await fx.newPage();
      const { sessionId } = await buy(page);
      await fillPayer(page, CARDS.fallback);
      await payButton(page).click();
      await page.waitForURL(returnPage(sessionId));
      expect(await heading(page)).toBe("Thank you, your order is paid");
      const orderId = await seen(page.locator("#order-id"));
      await expect.poll(async () => (await orderOf(orderId)).order.status).toBe("paid");
      const { order } = await orderOf(orderId);
      const payment = (await api("GET", `/v1/payments/${order.paymentId}`)).payment as {
        charges: { provider: string; status: string }[];
      };
      expect(payment.charges.map((c) => [c.provider, c.status])).toEqual([
        ["sandbox", "failed"],
        ["sandbox_backup", "succeeded"],
      ]);
    });

    it("4000…0077: the provider is silent; the return page says processing until it answers (test helper)", async () => {
      const page = await fx.newPage();
      const { sessionId } = await buy(page);
      await fillPayer(page, CARDS.silent);
      await payButton(page).click();
      await page.getByRole("heading", { name: "Processing your payment…" }).waitFor();

      // The payer comes back before the provider answers: the shop says so, and looks again.
      await page.goto(returnPage(sessionId));
      expect(await heading(page)).toBe("Your payment is being processed");
      expect(await seen(page.locator("#payment-status"))).toContain("(checkout PROCESSING)");
      expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe("3");
      const orderId = await seen(page.locator("#order-id"));
      expect((await orderOf(orderId)).order.status).toBe("pending");

      // The provider's answer, now, instead of waiting for the 30 s watchdog.
      const answerId = `test_shop_answer_${crypto.randomUUID().slice(0, 8)}`;
      const session = (await api("GET", `/v1/checkout-sessions/${sessionId}`)).checkout_session as {
        payment: { id: string };
      };
      await api(
        "POST",
        `/v1/test_helpers/payments/${session.payment.id}/provider_answer`,
        { outcome: "succeeded" },
        { "request-id": answerId },
      );
      const { order } = await orderAfter(orderId, [
        "charge.succeeded",
        "payment.succeeded",
        "checkout_session.completed",
      ]);
      expect(order.status).toBe("paid");
      expect(order.events.map((e) => [e.requestId, e.trace])).toEqual(
        order.events.map(() => [answerId, "journal"]),
      );
      // The page refreshes itself (every 3 s) and now says paid.
      await page.getByRole("heading", { name: "Thank you, your order is paid" }).waitFor();
    });

    it("trusts no query string or forged webhook; restarted, it reuses its endpoint with a new secret", async () => {
      // A real, paid session of the same merchant that the shop did not create: no order shown.
      const created = (
        await api("POST", "/v1/checkout-sessions", {
          amount: 1800,
          currency: "EUR",
          return_url: `${shop.origin}/return`,
          metadata: { order_id: "ord_not_the_shops" },
        })
      ).checkout_session as { id: string; token: string };
      await confirmByApi(created.token);
      const page = await fx.newPage();
      const document = await page.goto(returnPage(created.id));
      expect(document?.status()).toBe(404);
      expect(await heading(page)).toBe("We have no such order");
      expect((await fetch(`${shop.origin}/orders/ord_nothing`)).status).toBe(404);

      // A delivery not signed with the endpoint's secret is refused and changes nothing.
      const forged = await fetch(`${shop.origin}/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "webhook-id": "msg_forged",
          "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
          "webhook-signature": "v1,Zm9yZ2Vk",
        },
        body: JSON.stringify({ type: "payment.succeeded", paymentId: "pay_x" }),
      });
      expect(forged.status).toBe(400);
      expect(await forged.text()).toBe("invalid_signature");
      // And a Buy posted from another site is refused.
      const crossSite = await fetch(`${shop.origin}/buy`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "sec-fetch-site": "cross-site",
        },
        body: "product=mug",
        redirect: "manual",
      });
      expect(crossSite.status).toBe(403);

      // Restarted on the same port: the same endpoint, its secret rotated (the old one was only
      // in the last run's memory), and the orders gone with it (they live in memory).
      const before = shop;
      await shop.stop();
      shop = await startShop(fx.service.origin, before.port);
      expect(shop.webhookEndpointId).toBe(before.webhookEndpointId);
      expect(shop.output()).toContain("with a rotated secret");
      const endpoints = (await api("GET", "/v1/webhook-endpoints")).data as { url: string }[];
      expect(endpoints.filter((e) => e.url === `${shop.origin}/webhooks`)).toHaveLength(1);

      // Its webhooks verify under the new secret: an order bought and paid over plain HTTP.
      const bought = await fetch(`${shop.origin}/buy`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "product=mug",
        redirect: "manual",
      });
      expect(bought.status).toBe(303);
      const token = new URL(bought.headers.get("location") ?? "").searchParams.get("token") ?? "";
      await confirmByApi(token);
      const orderId = /order (ord_\w+): checkout session/.exec(shop.output())?.[1] ?? "";
      await expect.poll(async () => (await orderOf(orderId)).order.status).toBe("paid");
    });

    /** Pays through the payer's token API, as another tab of the payer's might have. */
    async function confirmByApi(token: string): Promise<void> {
      const response = await fetch(
        `${fx.service.origin}/v1/checkout-sessions/token/${token}/confirm`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            payment_method: {
              type: "card",
              card: { number: CARDS.success, exp_month: 12, exp_year: 2099, cvc: "123" },
            },
            payer: { name: "Ada Lovelace", email: "ada@example.com" },
          }),
        },
      );
      expect(response.status).toBe(200);
    }
  });
}
