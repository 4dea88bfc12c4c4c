/**
 * Model-based tests with xstate/graph. The walk explores every state the machine can reach under
 * every event the outside world can send (payer, merchant, providers, alarms), and checks:
 * - every edge of that graph (each reachable state × each event): the invariants are inductive,
 *   so holding on every edge means they hold on every path, of any length;
 * - the shortest path to every reachable state, replayed step by step from creation.
 * Three sessions are walked: two with an amount set at creation, one whose payer chooses it.
 * (Enumerating simple paths one by one is exhaustive too, but 64,000 paths take minutes.)
 */

import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { getAdjacencyMap, getShortestPaths } from "xstate/graph";
import {
  type CheckoutEvent,
  type CheckoutInput,
  type CheckoutSnapshot,
  checkoutSessionMachine,
  headFor,
  isClosed,
  MAX_STATUS_CHECKS,
  nextWakeAt,
  pureSteps,
  restoreSnapshot,
  sessionStatus,
  toEnvelope,
  WebhookEventType,
} from "../../machines/index.js";
import { HOUR, T0, VISA } from "./support.js";

const TERMINAL = new Set([
  "checkout_session.completed",
  "checkout_session.expired",
  "checkout_session.cancelled",
  "checkout_session.failed",
]);

/** Every event the outside world could send next, with times that move forward. */
function nextEvents(s: CheckoutSnapshot): CheckoutEvent[] {
  const { context } = s;
  const at = context.updatedAt + 1_000;
  const charges = context.payment?.charges ?? [];
  const current = charges.at(-1)?.id ?? "ch_none";
  const result = { at, chargeId: current };
  const events: CheckoutEvent[] = [
    { type: "PAYER_OPENED", at },
    { type: "CONFIRM", at, paymentMethod: VISA },
    // The payer's amount: the session's own (2599), or another (accepted only as the first).
    { type: "CONFIRM", at, paymentMethod: VISA, amount: 2599 },
    { type: "CONFIRM", at, paymentMethod: VISA, amount: 1999 },
    { type: "CANCEL", at },
    { type: "PAYER_EXITED", at },
    { type: "EXPIRE", at: Math.max(at, context.expiresAt) },
    { type: "CAPTURE", at },
    { type: "PROVIDER_SUCCEEDED", ...result },
    { type: "PROVIDER_AUTHORIZED", ...result },
    { type: "PROVIDER_REQUIRES_ACTION", ...result, url: "https://acs.example/challenge" },
    { type: "PROVIDER_DECLINED", ...result, code: "card_declined", message: "Declined" },
    { type: "PROVIDER_FAILED", ...result, code: "provider_error", message: "Unavailable" },
    { type: "PROVIDER_TIMEOUT", at: Math.max(at, context.providerCall?.deadlineAt ?? at) },
    { type: "ACTION_COMPLETED", ...result },
    { type: "ACTION_FAILED", ...result },
    { type: "PROVIDER_PENDING", ...result },
  ];
  // Webhook delivery to one endpoint: due events fan out, the endpoint's head is answered.
  events.push({ type: "WEBHOOK_FANNED_OUT", at, endpoints: [{ id: "we_a", events: TYPES }] });
  const head = headFor(context.outbox, "we_a");
  if (head !== undefined) {
    const result = {
      endpointId: "we_a",
      statusCode: 200,
      latencyMs: 5,
      error: null,
      retryAfterMs: null,
    };
    events.push({ type: "WEBHOOK_ATTEMPTED", at, eventId: head.event.id, result });
  }
  // A late answer for the first charge, after the session has moved on to another.
  const first = charges[0];
  if (first !== undefined && first.id !== current) {
    events.push({ type: "PROVIDER_SUCCEEDED", at, chargeId: first.id });
  }
  return events;
}

/**
 * The refund walk's events: a payment made (in time, or after the session expired), then
 * refunds of part or all, their answers, and the watchdog. Webhook delivery is left to the main
 * walk: with it, every refund would multiply the whole graph.
 */
function refundEvents(s: CheckoutSnapshot): CheckoutEvent[] {
  const { context } = s;
  const at = context.updatedAt + 1_000;
  const current = context.payment?.charges.at(-1)?.id ?? "ch_none";
  const refunds = context.payment?.refunds ?? [];
  return [
    { type: "CONFIRM", at, paymentMethod: VISA },
    { type: "PROVIDER_SUCCEEDED", at, chargeId: current },
    { type: "EXPIRE", at: Math.max(at, context.expiresAt) },
    { type: "PROVIDER_TIMEOUT", at: Math.max(at, context.providerCall?.deadlineAt ?? at) },
    { type: "REFUND", at, refundId: `re_${refunds.length + 1}`, amount: 1000, reason: null },
    { type: "REFUND", at, refundId: `re_${refunds.length + 1}`, amount: 2599, reason: null },
    { type: "REFUND_SUCCEEDED", at, refundId: `re_${refunds.length}` },
    {
      type: "REFUND_FAILED",
      at,
      refundId: `re_${refunds.length}`,
      code: "declined",
      message: "No",
    },
  ];
}

const TYPES = WebhookEventType.options;

/** What makes two snapshots the same state for the walk (times and ids left out, so it ends). */
function serialize(s: CheckoutSnapshot): string {
  const { context } = s;
  return JSON.stringify([
    s.value,
    context.paymentAttempts,
    context.payment?.status,
    context.payment?.charges.map((c) => [c.provider, c.status]),
    // Status checks go on while a session waits; past the cap they are all alike to the walk.
    context.providerCall && [
      context.providerCall.kind,
      Math.min(context.providerCall.statusChecks, MAX_STATUS_CHECKS + 1),
    ],
    // Failed refunds change nothing that matters (money or state): alike to the walk after one.
    context.payment?.refunds.filter((r) => r.status !== "failed").map((r) => [r.status, r.amount]),
    Math.min(context.payment?.refunds.filter((r) => r.status === "failed").length ?? 0, 1),
    context.outbox
      .map((e) => e.type)
      .filter((type, i, all) => type !== "refund.failed" || all.indexOf(type) === i),
  ]);
}

/**
 * What must hold for a step from `before` to `after` (or for the initial state, with no `before`).
 * Plain comparisons collected as messages: an `expect` per step would make the walk take minutes.
 */
function violations(
  after: CheckoutSnapshot,
  before: CheckoutSnapshot | undefined,
  input: CheckoutInput,
): string[] {
  const found: string[] = [];
  const { context } = after;
  const terminal = context.outbox.filter((e) => TERMINAL.has(e.type)).length;
  if (terminal !== (isClosed(after) ? 1 : 0)) found.push(`${terminal} terminal events`);
  // The amount, once set (at creation, or by the first accepted confirm), never changes.
  if (input.amount != null && context.amount !== input.amount) found.push("amount changed");
  if (before?.context.amount != null && context.amount !== before.context.amount)
    found.push("amount changed after it was set");
  if (context.currency !== input.currency) found.push("currency changed");
  const payment = context.payment;
  if (payment && (payment.amount !== context.amount || payment.currency !== input.currency)) {
    found.push("payment amount differs");
  }
  if (context.amount === null && context.paymentAttempts > 0) found.push("paid without amount");
  if (context.outbox.some((e, i) => e.sequence !== i + 1)) found.push("sequence gap");
  // Refunds never give back more than a charge took, and only from money taken.
  for (const charge of payment?.charges ?? []) {
    const given = (payment?.refunds ?? [])
      .filter((r) => r.chargeId === charge.id && r.status !== "failed")
      .reduce((sum, r) => sum + r.amount, 0);
    if (given > 0 && charge.status !== "succeeded")
      found.push("refund of a charge that took nothing");
    if (given > (payment?.amount ?? 0)) found.push("refunded more than captured");
  }
  const succeededRefunds = payment?.refunds.filter((r) => r.status === "succeeded").length ?? 0;
  if (context.outbox.filter((e) => e.type === "refund.succeeded").length !== succeededRefunds)
    found.push("refund.succeeded events differ from succeeded refunds");
  const wake = nextWakeAt(after);
  if (context.outbox.some((e) => e.delivery.status === "pending") && wake === null)
    found.push("webhook pending with no wake time");
  if (!isClosed(after) && (wake === null || wake < context.updatedAt))
    found.push("wake in the past");
  if (before !== undefined) {
    if (isClosed(before) && sessionStatus(after) !== sessionStatus(before))
      found.push("left a closed state");
    if (context.updatedAt < before.context.updatedAt) found.push("time went back");
    for (const refund of before.context.payment?.refunds ?? []) {
      const now = context.payment?.refunds.find((r) => r.id === refund.id);
      if (now === undefined || (refund.status !== "pending" && now.status !== refund.status))
        found.push("refund changed after it settled");
    }
    before.context.outbox.forEach((e, i) => {
      const same = context.outbox[i];
      if (same?.id !== e.id || same.type !== e.type || same.sequence !== e.sequence)
        found.push("outbox rewritten");
    });
  }
  return found.map((v) => `${v} in ${JSON.stringify(after.value)}`);
}

function roundTrips(s: CheckoutSnapshot): boolean {
  const restored = restoreSnapshot(JSON.parse(JSON.stringify(toEnvelope(s))));
  return (
    JSON.stringify([restored.value, restored.context]) === JSON.stringify([s.value, s.context])
  );
}

const inputs: Array<[string, CheckoutInput]> = [
  ["manual capture, two providers", { captureMethod: "manual", providers: ["primary", "backup"] }],
  ["automatic capture, one provider", { captureMethod: "automatic", providers: ["primary"] }],
  ["amount chosen by the payer", { amount: null, providers: ["primary", "backup"] }],
].map(([name, extra]) => [
  name as string,
  {
    id: "cs_model",
    paymentId: "pay_model",
    merchantId: "m_model",
    amount: 2599,
    currency: "USD",
    createdAt: T0,
    expiresAt: T0 + HOUR,
    maxPaymentAttempts: 2,
    ...(extra as Partial<CheckoutInput>),
  },
]);

describe.each(inputs)("every path of the checkout machine (%s)", (_name, input) => {
  const options = { input, events: nextEvents, serializeState: serialize };
  const graph = getAdjacencyMap(checkoutSessionMachine, options);
  const paths = getShortestPaths(checkoutSessionMachine, options);

  it("reaches every public status and every state of the machine", () => {
    const states = Object.values(graph).map((node) => node.state);
    expect(new Set(states.map(sessionStatus))).toEqual(
      new Set(["PENDING", "PROCESSING", "COMPLETED", "EXPIRED", "CANCELLED", "FAILED"]),
    );
    expect(new Set(states.map((s) => JSON.stringify(s.value)))).toEqual(
      new Set(
        ["open", "processing", "requires_action", "expired", "cancelled", "failed"]
          .map((v) => JSON.stringify(v))
          .concat(['{"completed":"authorized"}', '{"completed":"paid"}']),
      ),
    );
    expect(paths.length).toBe(states.length);
  });

  it("keeps the invariants on every edge of the reachable graph", () => {
    const found = new Set<string>();
    let edges = 0;
    for (const node of Object.values(graph)) {
      // The map's keys are branded strings, which Object.values cannot infer through.
      const targets: Array<{ state: CheckoutSnapshot }> = Object.values(node.transitions);
      for (const { state } of targets) {
        for (const v of violations(state, node.state, input)) found.add(v);
        edges++;
      }
    }
    expect([...found]).toEqual([]);
    expect(edges).toBeGreaterThan(1000);
  });

  it("keeps the invariants on every step of the path to every state, replayed from creation", () => {
    const found = new Set<string>();
    for (const path of paths) {
      let [state] = initialTransition(checkoutSessionMachine, input);
      for (const v of violations(state, undefined, input)) found.add(v);
      for (const { event } of path.steps.slice(1)) {
        const [next] = transition(checkoutSessionMachine, state, event);
        for (const v of violations(next, state, input)) found.add(v);
        state = next;
      }
      expect(serialize(state)).toBe(serialize(path.state));
    }
    expect([...found]).toEqual([]);
  });

  it("takes every edge with pureSteps exactly as XState's transition does", () => {
    const checkout = pureSteps(checkoutSessionMachine);
    const same = (a: CheckoutSnapshot, b: CheckoutSnapshot) =>
      JSON.stringify([a.value, a.status, a.context]) ===
      JSON.stringify([b.value, b.status, b.context]);
    const differing: string[] = [];
    if (!same(checkout.initial(input), initialTransition(checkoutSessionMachine, input)[0])) {
      differing.push("initial");
    }
    for (const node of Object.values(graph)) {
      const targets: Array<{ event: CheckoutEvent }> = Object.values(node.transitions);
      for (const { event } of targets) {
        const [expected] = transition(checkoutSessionMachine, node.state, event);
        if (!same(checkout.next(node.state, event), expected)) {
          differing.push(`${event.type} in ${JSON.stringify(node.state.value)}`);
        }
      }
    }
    expect(differing).toEqual([]);
  });

  it("restores every reachable state from its JSON envelope", () => {
    const states = Object.values(graph).map((node) => node.state);
    expect(states.filter((s) => !roundTrips(s)).map((s) => s.value)).toEqual([]);
  });
});

describe("every path through refunds", () => {
  const [, input] = inputs[1] as [string, CheckoutInput];
  const options = { input, events: refundEvents, serializeState: serialize };
  const graph = getAdjacencyMap(checkoutSessionMachine, options);

  it("never refunds more than was captured, nor from money not taken, nor changes a settled refund", () => {
    const found = new Set<string>();
    const seen = new Set<string>();
    for (const node of Object.values(graph)) {
      const targets: Array<{ state: CheckoutSnapshot }> = Object.values(node.transitions);
      for (const { state } of targets) {
        for (const v of violations(state, node.state, input)) found.add(v);
        for (const refund of state.context.payment?.refunds ?? []) seen.add(refund.status);
        if (state.context.payment?.paidAfterClose && state.context.payment.refunds.length > 0)
          seen.add("refunded after close");
      }
    }
    expect([...found]).toEqual([]);
    // The walk reached every kind of refund, a late answer after the watchdog gave up included.
    expect(seen).toEqual(new Set(["pending", "succeeded", "failed", "refunded after close"]));
  });
});
