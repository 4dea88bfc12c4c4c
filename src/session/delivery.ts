/**
 * A session's webhook delivery: each due event fans out to the endpoints subscribed to it now,
 * an endpoint disabled or deleted meanwhile is sent nothing more, and every endpoint is sent its
 * oldest pending event of the session, then the next while they are due, concurrently with the
 * other endpoints: a slow or dead endpoint delays only itself. What an answer means and when to
 * try again are the machine's rules (machines/webhook-delivery.ts); each attempt is an event.
 */
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  dueFanOuts,
  headFor,
  type OutboxEvent,
  pendingEndpoints,
} from "../../machines/index.js";
import { type DeliveryTarget, deliveryTargets, disableEndpoint } from "../webhooks/endpoints.js";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, send } from "../webhooks/send.js";
import type { Cause, StoredSession } from "./store.js";

/** Due events one endpoint is sent in a row before the alarm takes over (each waits for the last). */
const MAX_DELIVERIES_IN_A_ROW = 20;

/** What delivery needs of the session's engine (src/session/engine.ts). */
export interface DeliveryEngine {
  loaded(): StoredSession | null;
  apply(event: CheckoutEvent, cause: Cause): Promise<CheckoutSnapshot>;
  step<T>(work: () => Promise<T>): Promise<T>;
  armAlarm(): Promise<void>;
  payload(event: OutboxEvent, session: StoredSession): string;
}

export class SessionDelivery {
  /** Endpoints with a webhook attempt in flight from this instance (never two at once), each
   * with the time the attempt is over at the latest: the alarm wakes then should it die. */
  readonly sending = new Map<string, number>();

  constructor(
    private readonly engine: DeliveryEngine,
    private readonly host: { env(): Env; now(): number },
  ) {}

  async deliverDue(cause: Cause): Promise<void> {
    const session = this.engine.loaded();
    if (session === null) return;
    const { outbox, merchantId } = session.snapshot.context;
    const now = this.host.now();
    if (dueFanOuts(outbox, now).length === 0 && pendingEndpoints(outbox).length === 0) return;
    await this.engine.step(async () => {
      const targets = await deliveryTargets(this.host.env(), merchantId, Date.now());
      await this.engine.apply(
        { type: "WEBHOOK_FANNED_OUT", at: this.host.now(), endpoints: targets },
        cause,
      );
      for (const endpointId of pendingEndpoints(session.snapshot.context.outbox)) {
        if (targets.some((t) => t.id === endpointId)) continue;
        const reason = "endpoint disabled or deleted";
        const gone = { type: "WEBHOOK_ENDPOINT_DISABLED", endpointId, reason } as const;
        await this.engine.apply({ ...gone, at: this.host.now() }, cause);
      }
      await Promise.all(targets.map((target) => this.deliverTo(target, session, cause)));
    });
  }

  /** Sends one endpoint its due events of this session, oldest first, one at a time. */
  private async deliverTo(target: DeliveryTarget, session: StoredSession, cause: Cause) {
    if (this.sending.has(target.id)) return;
    const env = this.host.env();
    const timeoutMs = Number(env.WEBHOOK_TIMEOUT_MS ?? DEFAULT_WEBHOOK_TIMEOUT_MS);
    const busy = () => this.sending.set(target.id, this.host.now() + timeoutMs + 1_000);
    busy();
    try {
      for (let i = 0; i < MAX_DELIVERIES_IN_A_ROW; i++) {
        const head = headFor(session.snapshot.context.outbox, target.id);
        if (head === undefined || this.host.now() < head.due) return;
        const { event } = head;
        busy();
        const message = { id: event.id, body: this.engine.payload(event, session) };
        const result = await send(target, message, timeoutMs);
        const s = await this.engine.apply(
          { type: "WEBHOOK_ATTEMPTED", at: this.host.now(), eventId: event.id, result },
          cause,
        );
        const entry = s.context.outbox
          .find((e) => e.id === event.id)
          ?.delivery.endpoints?.find((d) => d.endpointId === target.id);
        if (entry?.status === "failed" || entry?.status === "disabled") {
          // Done for good here: the merchant's other sessions stop sending to it too.
          const reason = entry.reason ?? "stopped";
          await disableEndpoint(env, s.context.merchantId, target.id, reason, Date.now());
          return;
        }
      }
    } finally {
      // Its next attempt (if any) is known now: wake for it.
      this.sending.delete(target.id);
      await this.engine.armAlarm();
    }
  }
}
