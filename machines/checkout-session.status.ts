/**
 * What the outside world sees of a session: its public status, and the earliest moment the
 * session object must wake to act on it (its one alarm).
 */
import type { SnapshotFrom } from "xstate";
import type { checkoutSessionMachine } from "./checkout-session.machine.js";
import type { SessionStatus } from "./checkout-session.schema.js";
import { deliveryWakeAt } from "./webhook-delivery.js";

export type CheckoutSnapshot = SnapshotFrom<typeof checkoutSessionMachine>;

const STATUS_OF_STATE: Record<string, SessionStatus> = {
  open: "PENDING",
  processing: "PROCESSING",
  requires_action: "PROCESSING",
  completed: "COMPLETED",
  expired: "EXPIRED",
  cancelled: "CANCELLED",
  failed: "FAILED",
};

/** The top-level state a snapshot is in, e.g. `"completed"` for `{ completed: "paid" }`. */
export function stateName(snapshot: CheckoutSnapshot): string {
  const { value } = snapshot;
  return typeof value === "string" ? value : (Object.keys(value)[0] ?? "");
}

/**
 * The session's public status (`PENDING` … `FAILED`), as the API reports it.
 *
 * @example sessionStatus(snapshot) === "COMPLETED"
 */
export function sessionStatus(snapshot: CheckoutSnapshot): SessionStatus {
  const status = STATUS_OF_STATE[stateName(snapshot)];
  if (status === undefined) throw new Error(`No public status for state ${stateName(snapshot)}`);
  return status;
}

/** True once the session has reached COMPLETED, EXPIRED, CANCELLED or FAILED; it never leaves it. */
export function isClosed(snapshot: CheckoutSnapshot): boolean {
  return snapshot.hasTag("closed");
}

/**
 * The earliest deadline the session object must wake for, or `null` when nothing is pending:
 * expiry (while the session is live), the provider watchdog, and the next webhook attempt of
 * each endpoint (one in `busy` has an attempt in flight, over by the time it maps to).
 * Work already overdue is due at the last event's time, so a wake time is never in the past of it.
 *
 * @example
 * const wakeAt = nextWakeAt(snapshot);
 * if (wakeAt === null) await storage.deleteAlarm(); else await storage.setAlarm(wakeAt);
 */
export function nextWakeAt(
  snapshot: CheckoutSnapshot,
  busy: ReadonlyMap<string, number> = new Map(),
): number | null {
  const { context } = snapshot;
  const deadlines = [
    isClosed(snapshot) ? null : context.expiresAt,
    context.providerCall?.deadlineAt ?? null,
    deliveryWakeAt(context.outbox, busy),
  ].filter((at): at is number => at !== null);
  if (deadlines.length === 0) return null;
  return Math.max(Math.min(...deadlines), context.updatedAt);
}
