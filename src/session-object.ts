import { DurableObject } from "cloudflare:workers";

/**
 * One checkout session's state lives in one SQLite-backed Durable Object.
 * Placeholder shell: the machine, persistence and effects arrive with the session work.
 *
 * @example
 * const stub = env.CHECKOUT_SESSIONS.getByName("cs_123");
 * await stub.ping(); // "pong"
 */
export class SessionObject extends DurableObject<Env> {
  ping(): string {
    return "pong";
  }
}
