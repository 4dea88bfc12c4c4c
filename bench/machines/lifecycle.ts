/**
 * The machines in Node, as another project runs them (`edge-checkout/machines`, the built
 * package): a full checkout lifecycle with a JSON persist/restore around every event, against a
 * bare two-state XState machine doing the same number of transitions and persist/restore cycles.
 * Both are measured with mitata in alternating rounds of one run; prints JSON for run.ts.
 *
 *   npm run build:machines && node bench/machines/lifecycle.ts [rounds]
 */
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  checkoutSessionMachine,
  nextWakeAt,
  pureSteps,
  restoreSnapshot,
  sessionStatus,
  toEnvelope,
  WebhookEventType,
} from "edge-checkout/machines";
import { do_not_optimize, measure } from "mitata";
import { createMachine, initialTransition, transition } from "xstate";
import { median } from "../lib/stats.ts";

// Both machines take their steps the way the service does (`pureSteps`: one inert scope, kept).
const checkout = pureSteps(checkoutSessionMachine);
const T0 = Date.UTC(2026, 10, 23, 12);
const INPUT = {
  id: "cs_bench",
  paymentId: "pay_bench",
  merchantId: "m_bench",
  amount: 1050,
  currency: "EUR",
  createdAt: T0,
  expiresAt: T0 + 3_600_000,
  returnUrl: "https://shop.example/return",
  providers: ["sandbox", "sandbox_backup"],
};

/** create → open → confirm → succeeded → each webhook event delivered (one endpoint, 200). */
function lifecycleEvents(): CheckoutEvent[] {
  const events: CheckoutEvent[] = [];
  let [s] = initialTransition(checkoutSessionMachine, INPUT);
  const step = (event: CheckoutEvent) => {
    events.push(event);
    [s] = transition(checkoutSessionMachine, s, event);
  };
  step({ type: "PAYER_OPENED", at: T0 + 1 });
  step({
    type: "CONFIRM",
    at: T0 + 2,
    paymentMethod: { type: "card", brand: "visa", last4: "4242" },
  });
  const chargeId = s.context.providerCall?.chargeId ?? "";
  step({ type: "PROVIDER_SUCCEEDED", at: T0 + 3, chargeId });
  // The events fall due and fan out to the one endpoint, which acknowledges each in turn.
  const endpoints = [{ id: "we_bench", events: WebhookEventType.options }];
  step({ type: "WEBHOOK_FANNED_OUT", at: T0 + 4, endpoints });
  for (const event of s.context.outbox) {
    const result = {
      endpointId: "we_bench",
      statusCode: 200,
      latencyMs: 3,
      error: null,
      retryAfterMs: null,
    };
    step({ type: "WEBHOOK_ATTEMPTED", at: T0 + 5 + event.sequence, eventId: event.id, result });
  }
  if (sessionStatus(s) !== "COMPLETED" || nextWakeAt(s) !== null) {
    throw new Error("the bench lifecycle no longer completes and drains its outbox");
  }
  return events;
}

const EVENTS = lifecycleEvents();

/** The service's pattern: restore the stored JSON, transition, store the JSON again. */
function checkoutLifecycle(restore: (json: string) => CheckoutSnapshot): string {
  let stored = JSON.stringify(toEnvelope(checkout.initial(INPUT)));
  for (const event of EVENTS) {
    const next = checkout.next(restore(stored), event);
    stored = JSON.stringify(toEnvelope(next));
  }
  return stored;
}

/** The service's pattern in a warm object: the snapshot stays in memory, stored after each event. */
function checkoutWarmLifecycle(): string {
  let s = checkout.initial(INPUT);
  let stored = JSON.stringify(toEnvelope(s));
  for (const event of EVENTS) {
    s = checkout.next(s, event);
    stored = JSON.stringify(toEnvelope(s));
  }
  return stored;
}

/** Cost attribution: the same transitions with no persistence at all. */
function checkoutTransitionsOnly(): CheckoutSnapshot {
  let s = checkout.initial(INPUT);
  for (const event of EVENTS) s = checkout.next(s, event);
  return s;
}

/** Cost attribution: restore without the zod parse of the envelope (trusting the JSON). */
function restoreUnchecked(json: string): CheckoutSnapshot {
  const { value, context } = JSON.parse(json);
  return checkoutSessionMachine.resolveState({ value, context });
}

const bare = createMachine({
  id: "bare",
  initial: "a",
  states: { a: { on: { NEXT: "b" } }, b: { on: { NEXT: "a" } } },
});
const bareSteps = pureSteps(bare);

/** A bare two-state machine, same number of transitions and persist/restore cycles. */
function bareLifecycle(): string {
  let stored = JSON.stringify({ v: 1, value: bareSteps.initial(undefined).value, context: {} });
  for (let i = 0; i < EVENTS.length; i++) {
    const { value } = JSON.parse(stored);
    const next = bareSteps.next(bare.resolveState({ value, context: {} }), { type: "NEXT" });
    stored = JSON.stringify({ v: 1, value: next.value, context: next.context });
  }
  return stored;
}

/** The bare machine in a warm object: same transitions, each stored, none restored. */
function bareWarmLifecycle(): string {
  let s = bareSteps.initial(undefined);
  let stored = JSON.stringify({ v: 1, value: s.value, context: s.context });
  for (let i = 0; i < EVENTS.length; i++) {
    s = bareSteps.next(s, { type: "NEXT" });
    stored = JSON.stringify({ v: 1, value: s.value, context: s.context });
  }
  return stored;
}

const CASES = {
  checkout: () => do_not_optimize(checkoutLifecycle(restoreSnapshot)),
  bare: () => do_not_optimize(bareLifecycle()),
  checkoutWarm: () => do_not_optimize(checkoutWarmLifecycle()),
  bareWarm: () => do_not_optimize(bareWarmLifecycle()),
  checkoutNoZodRestore: () => do_not_optimize(checkoutLifecycle(restoreUnchecked)),
  checkoutTransitionsOnly: () => do_not_optimize(checkoutTransitionsOnly()),
} as const;
type Case = keyof typeof CASES;

const rounds = Number(process.argv[2] ?? 5);
const nsPerLifecycle: Record<Case, number[]> = {
  checkout: [],
  bare: [],
  checkoutWarm: [],
  bareWarm: [],
  checkoutNoZodRestore: [],
  checkoutTransitionsOnly: [],
};
const names = Object.keys(CASES) as Case[];
// Warm-up: every case runs until the JIT has settled (the zod-heavy restore keeps getting faster
// for about a second) before any round is recorded.
for (const name of names) await measure(CASES[name], { min_cpu_time: 1500 * 1e6 });
for (let round = 0; round < rounds; round++) {
  // Alternate the order, so neither side always runs on a warmer (or more fragmented) heap.
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) {
    const stats = await measure(CASES[name], { min_cpu_time: 400 * 1e6 });
    nsPerLifecycle[name].push(stats.avg);
  }
}

const perSecond = (name: Case) => 1e9 / median(nsPerLifecycle[name]);
process.stdout.write(
  `${JSON.stringify({
    events: EVENTS.length,
    eventTypes: EVENTS.map((e) => e.type),
    persists: EVENTS.length + 1,
    restores: EVENTS.length,
    envelopeBytes: checkoutLifecycle(restoreSnapshot).length,
    rounds,
    nsPerLifecycle,
    lifecyclesPerSecond: Object.fromEntries(names.map((name) => [name, perSecond(name)])),
  })}\n`,
);
