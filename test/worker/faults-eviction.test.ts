/**
 * Eviction after every transition: each card's whole lifecycle, run once as it is and once with
 * the session's object evicted (its instance dropped, as the runtime does when it moves or
 * restarts an object) after every step, once that step's effects have settled. Both runs must
 * end the same for the payer, the merchant, the provider and the webhook receiver: same
 * statuses, same charges, same journal, each event delivered once and in order.
 *
 * A step is one thing from outside (a request of the payer or the merchant, a deadline passing),
 * with what it causes: the provider's answer fed back, the webhooks it emits delivered. The
 * object runs on a clock of its own (test/worker/faults.ts), so no alarm fires by itself and the
 * test runs each one when it falls due.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionObject } from "../../src/session/session-object.js";
import { CARDS, call, confirm } from "./api.js";
import {
  acknowledged,
  acknowledgedById,
  deliveries,
  eventually,
  merchantWithReceiver,
  type ObjectClock,
  preparedSession,
  providerCharges,
  received,
} from "./faults.js";

type Merchant = Awaited<ReturnType<typeof merchantWithReceiver>>["m"];
type Prepared = Awaited<ReturnType<typeof preparedSession>>;

interface Run extends Prepared {
  m: Merchant;
  hook: string;
  /** The payer's last confirm answer (its next action, for a 3-D Secure challenge). */
  // biome-ignore lint/suspicious/noExplicitAny: the JSON the API answered
  last?: any;
}

type Step = (run: Run) => Promise<unknown>;

const open: Step = (run) => call("GET", `/v1/checkout-sessions/token/${run.session.token}`);
const pay =
  (number: string): Step =>
  async (run) => {
    run.last = (await confirm(run.session.token, number)).json;
  };
/** The payer decides at the sandbox's challenge page (the provider's), then comes back to us. */
const challenge =
  (decision: "approve" | "deny"): Step =>
  async (run) => {
    const url = new URL(run.last.confirmResult.paymentNextAction.url);
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const posted = await call("POST", url.pathname, `decision=${decision}`, form);
    await call("GET", posted.headers.get("location") ?? "");
  };
const capture: Step = (run) =>
  run.m.call("POST", `/v1/payments/${run.session.id.replace(/^cs_/, "pay_")}/capture`);
const cancel: Step = (run) => run.m.call("POST", `/v1/checkout-sessions/${run.session.id}/cancel`);
/** Time passes for the session: its deadlines (watchdog, expiry) fall due. */
const wait =
  (ms: number): Step =>
  async (run) => {
    run.clock.advance(ms);
  };

interface Scenario {
  name: string;
  create?: Record<string, unknown>;
  steps: Step[];
  status: string;
  payment: string | null;
  charges: [string, string][];
  events: string[];
}

const SLOW_CARD = "4000000000000200";
const PAID = ["charge.succeeded", "payment.succeeded", "checkout_session.completed"];

const scenarios: Scenario[] = [
  {
    name: "4242 pays",
    steps: [open, pay(CARDS.success)],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [["sandbox", "succeeded"]],
    events: PAID,
  },
  {
    name: "4242 with manual capture, then captured",
    create: { capture_method: "manual" },
    steps: [open, pay(CARDS.success), capture],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [["sandbox", "succeeded"]],
    events: [
      "charge.succeeded",
      "payment.authorized",
      "checkout_session.completed",
      "payment.succeeded",
    ],
  },
  {
    name: "0002 is declined, then 4242 pays",
    steps: [open, pay(CARDS.declined), pay(CARDS.success)],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [
      ["sandbox", "declined"],
      ["sandbox", "succeeded"],
    ],
    events: ["charge.declined", ...PAID],
  },
  {
    name: "0002 three times fails the session",
    steps: [pay(CARDS.declined), pay(CARDS.declined), pay(CARDS.declined)],
    status: "FAILED",
    payment: "FAILED",
    charges: [
      ["sandbox", "declined"],
      ["sandbox", "declined"],
      ["sandbox", "declined"],
    ],
    events: [
      "charge.declined",
      "charge.declined",
      "charge.declined",
      "payment.failed",
      "checkout_session.failed",
    ],
  },
  {
    name: "3220 passes 3-D Secure",
    steps: [open, pay(CARDS.challenge), challenge("approve")],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [["sandbox", "succeeded"]],
    events: ["payment.requires_action", ...PAID],
  },
  {
    name: "3220 fails 3-D Secure, then 4242 pays",
    steps: [pay(CARDS.challenge), challenge("deny"), pay(CARDS.success)],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [
      ["sandbox", "declined"],
      ["sandbox", "succeeded"],
    ],
    events: ["payment.requires_action", "charge.declined", ...PAID],
  },
  {
    name: "0119 falls back to the second provider",
    steps: [pay(CARDS.fallback)],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [
      ["sandbox", "failed"],
      ["sandbox_backup", "succeeded"],
    ],
    events: ["charge.declined", ...PAID],
  },
  {
    name: "0077 stays silent; the watchdog asks and completes",
    steps: [pay(CARDS.silent), wait(31_000)],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [["sandbox", "succeeded"]],
    events: PAID,
  },
  {
    name: "0200 answers slowly",
    steps: [pay(SLOW_CARD)],
    status: "COMPLETED",
    payment: "SUCCEEDED",
    charges: [["sandbox", "succeeded"]],
    events: PAID,
  },
  {
    name: "an open session expires",
    steps: [open, wait(2 * 3_600_000 + 1_000)],
    status: "EXPIRED",
    payment: null,
    charges: [],
    events: ["checkout_session.expired"],
  },
  {
    name: "the merchant cancels",
    steps: [open, cancel],
    status: "CANCELLED",
    payment: null,
    charges: [],
    events: ["checkout_session.cancelled"],
  },
];

/**
 * How the object goes away after a step: `evict` as the runtime does when it idles one out
 * (graceful: in-flight work drains first), `abort` as a crash does (`ctx.abort()`: the instance
 * is reset on the spot, whatever it was doing).
 */
type Ending = "none" | "evict" | "abort";

/**
 * Resets the object the hard way, as a crash of its instance does, then reaches it again
 * through a new stub (the old one stays broken) and gives the fresh instance the session's time.
 */
async function abortObject(clock: ObjectClock) {
  const aborted = await runInDurableObject(clock.stub, (_: SessionObject, state) =>
    state.abort("fault injected"),
  ).then(
    () => false,
    (error: unknown) => String(error).includes("fault injected"),
  );
  expect(aborted).toBe(true);
  clock.reconnect();
  await clock.install();
}

/** One lifecycle: every step, its effects settled, then (when asked) the object evicted. */
async function lifecycle(scenario: Scenario, ending: Ending) {
  const { m, receiver } = await merchantWithReceiver();
  const prepared = await preparedSession(m, scenario.create);
  const run: Run = { ...prepared, m, hook: receiver.hook };
  let evictions = 0;
  const settle = async () => {
    await run.clock.drain(run.hook);
    if (ending === "none") return;
    if (ending === "evict") {
      await evictDurableObject(run.clock.stub);
      await run.clock.install(); // the fresh instance keeps the session's time
    } else await abortObject(run.clock);
    evictions++;
  };
  await settle(); // after the create
  for (const step of scenario.steps) {
    await step(run);
    await settle();
  }
  const view = (await m.call("GET", `/v1/checkout-sessions/${run.session.id}`)).json
    .checkout_session;
  const journal = (await m.call("GET", `/v1/checkout-sessions/${run.session.id}/journal`)).json
    .data as Array<{ type: string; cause: string; state: string }>;
  const log = await deliveries(run.hook);
  const atProvider = await providerCharges(run.session.id.replace(/^cs_/, "pay_"));
  return {
    evictions,
    outcome: {
      status: view.status,
      payment: view.payment?.status ?? null,
      paidAfterClose: view.payment?.paid_after_close ?? false,
      charges: (view.payment?.charges ?? []).map((c: { provider: string; status: string }) => [
        c.provider,
        c.status,
      ]),
      // The session's own history; webhook bookkeeping is compared through the receiver.
      journal: journal
        .filter((e) => !e.type.startsWith("WEBHOOK_"))
        .map((e) => [e.type, e.cause, e.state]),
      received: acknowledged(log),
      perEvent: [...acknowledgedById(log).values()],
      requests: log.length,
      provider: atProvider.map((c) => [c.provider, c.status]),
    },
  };
}

describe("eviction after every transition, through each card's lifecycle", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))(
    "%s: the same outcome for payer, merchant, provider and receiver with and without eviction",
    async (_, scenario) => {
      const plain = await lifecycle(scenario, "none");
      const evicted = await lifecycle(scenario, "evict");
      const aborted = await lifecycle(scenario, "abort");
      expect(evicted.evictions).toBe(scenario.steps.length + 1);
      expect(evicted.outcome).toEqual(plain.outcome);
      expect(aborted.outcome).toEqual(plain.outcome);

      // And the outcome is the one this card leads to, each event delivered once, in order.
      const { outcome } = evicted;
      expect([outcome.status, outcome.payment]).toEqual([scenario.status, scenario.payment]);
      expect(outcome.charges).toEqual(scenario.charges);
      expect(outcome.received.map(([, type]) => type)).toEqual(scenario.events);
      expect(outcome.received.map(([sequence]) => sequence)).toEqual(
        scenario.events.map((_, i) => i + 1),
      );
      expect(outcome.perEvent.every((n) => n === 1)).toBe(true);
      expect(outcome.requests).toBe(scenario.events.length);
      // The provider holds exactly the charges that reached it (an outage makes none).
      expect(outcome.provider).toEqual(scenario.charges.filter(([, s]) => s !== "failed"));
      expect(outcome.journal.filter(([type]) => type === "CREATE")).toHaveLength(1);
    },
    30_000,
  );
});

describe("a crash in the middle of a webhook delivery", () => {
  it("the receiver got the event but its answer died with the instance (ctx.abort()): it is sent again under the same webhook-id, and the next events follow", async () => {
    const { m, receiver } = await merchantWithReceiver([{ status: 200, delayMs: 800 }]);
    const { clock, session } = await preparedSession(m);
    expect((await confirm(session.token, CARDS.success)).json.checkout_session.status).toBe(
      "COMPLETED",
    );
    // Whichever carries the first attempt (the step itself or its alarm), the first event
    // reaches the receiver, which holds its answer; then the instance is gone.
    const alarm = runDurableObjectAlarm(clock.stub).catch(() => false);
    await eventually(
      () => received(receiver.hook),
      (log) => log.length >= 1,
    );
    await abortObject(clock);
    await alarm;

    for (let i = 0; i < 5 && (await clock.runNext(receiver.hook)); i++);
    const log = await deliveries(receiver.hook);
    // At least once: the first event twice, under one id; every event acknowledged, in order.
    expect(new Set(log.map((d) => d.id)).size).toBe(3);
    const first = log.filter((d) => d.sequence === 1);
    expect(first.length).toBe(2);
    expect(new Set(first.map((d) => d.id)).size).toBe(1);
    expect(log.map((d) => d.sequence)).toEqual([1, 1, 2, 3]);
    const view = (await m.call("GET", `/v1/checkout-sessions/${session.id}`)).json;
    expect(view.checkout_session.payment.charges).toHaveLength(1);
  }, 20_000);
});
