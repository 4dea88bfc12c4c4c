/**
 * Webhooks survive a crash: the service started as README says (`npm start`), killed hard with
 * events still pending, and started again on the same local persistence, delivers every event.
 */
import { afterAll, expect, it } from "vitest";
import { type Received, startReceiver } from "../support/webhook-receiver.js";
import { type Service, startService } from "./service.js";

const KEY = { authorization: "Bearer sk_test_sandbox", "content-type": "application/json" };
const running: Service[] = [];
const receiver = await startReceiver();

afterAll(async () => {
  await Promise.all(running.map((service) => service.kill()));
  await receiver.close();
});

async function post(url: string, body: unknown, headers: Record<string, string> = KEY) {
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON came back
  return { status: response.status, json: (await response.json()) as any };
}

async function log(hook: string): Promise<Received[]> {
  return (await fetch(`${receiver.url}/log/${hook}`)).json();
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

it("delivers every pending event after the runtime is killed and started again", async () => {
  const first = await startService();
  running.push(first);
  const hook = crypto.randomUUID();
  // The first attempt fails, so the event is still pending (retry in 5 s) when the runtime dies.
  await fetch(`${receiver.url}/script/${hook}`, {
    method: "PUT",
    body: JSON.stringify({ steps: [{ status: 500 }] }),
  });
  const endpoint = await post(`${first.origin}/v1/webhook-endpoints`, {
    url: `${receiver.url}/hooks/${hook}`,
  });
  expect(endpoint.status).toBe(201);
  const created = await post(`${first.origin}/v1/checkout-sessions`, {
    amount: 1050,
    currency: "EUR",
    return_url: "http://127.0.0.1:8787/demo/return",
  });
  const { token, id } = created.json.checkout_session;
  const confirmed = await post(
    `${first.origin}/v1/checkout-sessions/token/${token}/confirm`,
    {
      payment_method: {
        type: "card",
        card: { number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" },
      },
      payer: { name: "Ada Lovelace", email: "ada@example.com" },
    },
    { "content-type": "application/json" },
  );
  expect(confirmed.json.checkout_session.status).toBe("COMPLETED");
  const failed = await until(
    () => log(hook),
    (entries) => entries.length >= 1,
    10_000,
  );
  expect(failed.map((entry) => entry.answered)).toEqual([500]);

  await first.kill();
  const second = await startService({ persistTo: first.persistTo, port: first.port });
  running.push(second);

  const entries = await until(
    () => log(hook),
    (all) => all.filter((entry) => entry.answered === 200).length >= 3,
    45_000,
  );
  const bodies = entries.map((entry) => JSON.parse(entry.body) as { id: string; sequence: number });
  const acknowledged = bodies.filter((_, i) => entries[i]?.answered === 200);
  expect(acknowledged.map((body) => body.sequence)).toEqual([1, 2, 3]);
  expect(acknowledged.every((body) => body.id.startsWith(`evt_${id}_`))).toBe(true);
  expect(entries.map((entry) => entry.headers["webhook-id"])).toEqual(bodies.map((b) => b.id));
});
