/**
 * The one place a session snapshot is written and read back. Stored data is untrusted input:
 * it is zod-parsed on load, and every older envelope version is migrated here, so a future
 * change of shape (or of XState) touches this file alone.
 */
import * as z from "zod";
import { checkoutSessionMachine } from "./checkout-session.machine.js";
import { CheckoutContext } from "./checkout-session.schema.js";
import type { CheckoutSnapshot } from "./checkout-session.status.js";

/** Version of the envelope `toEnvelope` writes. */
export const MACHINE_VERSION = 2;

const StateValue = z.union([z.string(), z.record(z.string(), z.string())]);

/** v2: just what the machine needs to resume, the state value and the context. */
const EnvelopeV2 = z.object({ v: z.literal(2), value: StateValue, context: CheckoutContext });

/** v1: XState's own persisted snapshot (`getPersistedSnapshot`), as the first releases stored it. */
const EnvelopeV1 = z.object({
  v: z.literal(1),
  snapshot: z.object({ status: z.string(), value: StateValue, context: CheckoutContext }),
});

const Envelope = z.discriminatedUnion("v", [EnvelopeV1, EnvelopeV2]);

export type SnapshotEnvelope = z.infer<typeof EnvelopeV2>;

/** A JSON-ready envelope of the snapshot, tagged with the machine version. */
export function toEnvelope(snapshot: CheckoutSnapshot): SnapshotEnvelope {
  return { v: MACHINE_VERSION, value: StateValue.parse(snapshot.value), context: snapshot.context };
}

/**
 * Restores a snapshot from any envelope version ever written (a JSON string or parsed object).
 * Throws a `ZodError` when the data is not a valid envelope, never returns a half-read session.
 *
 * @example
 * await storage.put("snapshot", JSON.stringify(toEnvelope(snapshot)));
 * const restored = restoreSnapshot(await storage.get("snapshot"));
 */
export function restoreSnapshot(stored: unknown): CheckoutSnapshot {
  const data = typeof stored === "string" ? JSON.parse(stored) : stored;
  const envelope = Envelope.parse(data);
  const { value, context } = envelope.v === 1 ? envelope.snapshot : envelope;
  return checkoutSessionMachine.resolveState({ value, context });
}
