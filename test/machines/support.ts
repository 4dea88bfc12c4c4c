import { initialTransition, transition } from "xstate";
import {
  type CheckoutEvent,
  type CheckoutInput,
  type CheckoutSnapshot,
  checkoutSessionMachine,
} from "../../machines/index.js";

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const HOUR = 3_600_000;
export const VISA = { type: "card", brand: "visa", last4: "4242" } as const;

export function createSession(input: Partial<CheckoutInput> = {}): CheckoutSnapshot {
  const [snapshot] = initialTransition(checkoutSessionMachine, {
    id: "cs_test",
    paymentId: "pay_test",
    merchantId: "m_test",
    amount: 1050,
    currency: "EUR",
    createdAt: T0,
    expiresAt: T0 + HOUR,
    ...input,
  });
  return snapshot;
}

/** Applies events in order, as the session object would. */
export function run(snapshot: CheckoutSnapshot, ...events: CheckoutEvent[]): CheckoutSnapshot {
  let next = snapshot;
  for (const event of events) [next] = transition(checkoutSessionMachine, next, event);
  return next;
}

export function outboxTypes(snapshot: CheckoutSnapshot): string[] {
  return snapshot.context.outbox.map((event) => event.type);
}

export function chargeId(snapshot: CheckoutSnapshot): string {
  const id = snapshot.context.payment?.charges.at(-1)?.id;
  if (id === undefined) throw new Error("no charge yet");
  return id;
}
