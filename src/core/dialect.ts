/**
 * The port every API dialect implements: what a session created through it answers and adds.
 * The core (views, webhooks, projections) and the session object ask a session's dialect and
 * never name one; each dialect (the checkout API in src/dialects/checkout.ts, StableMint in
 * src/dialects/stablemint/dialect.ts) maps its requests to the core's spec and renders its own answers.
 */
import type { CheckoutSnapshot } from "../../machines/index.js";
import type { SessionDetails } from "./details.js";

export interface Dialect {
  /** The create request's answer: kept by the object and replayed for its idempotency key. */
  created(snapshot: CheckoutSnapshot, details: SessionDetails, token: string): unknown;
  /** Its status, the first time and on every replay. */
  createdStatus: number;
  /** What the merchant's view of the session adds (the checkout API shows it for every session). */
  viewFields(details: SessionDetails): Record<string, unknown>;
  /** What every webhook body of the session carries at its top level, beside `data`. */
  notificationFields(snapshot: CheckoutSnapshot, details: SessionDetails): Record<string, unknown>;
  /** Its own D1 projections of a step from `before` to `snapshot` (null: write everything). */
  projections(
    db: D1Database,
    before: CheckoutSnapshot | null,
    snapshot: CheckoutSnapshot,
    details: SessionDetails,
  ): D1PreparedStatement[];
}
