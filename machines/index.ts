/**
 * edge-checkout/machines: the pure checkout-session machines, with no runtime attached.
 * Run them with `pureSteps` (or XState's `initialTransition` / `transition`, which cost more),
 * persist with `toEnvelope`, restore with `restoreSnapshot`, and schedule with `nextWakeAt`.
 */
export type {
  CheckoutEvent,
  CheckoutEventType,
  EndpointResult,
  Subscriber,
} from "./checkout-session.events.js";
export { checkoutSessionMachine } from "./checkout-session.machine.js";
export {
  MACHINE_VERSION,
  restoreSnapshot,
  type SnapshotEnvelope,
  toEnvelope,
} from "./checkout-session.persist.js";
export * from "./checkout-session.schema.js";
export {
  type CheckoutSnapshot,
  isClosed,
  nextWakeAt,
  sessionStatus,
  stateName,
} from "./checkout-session.status.js";
export { toMermaid } from "./diagram.js";
export { MAX_STATUS_CHECKS, refundableOf, refundTarget } from "./payment.js";
export { type PureSteps, pureSteps } from "./pure-steps.js";
export {
  dueFanOuts,
  headFor,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  pendingEndpoints,
  RETRIES_SPENT,
  RETRY_SCHEDULE_MS,
  verdict,
} from "./webhook-delivery.js";
