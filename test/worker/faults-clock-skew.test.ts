/**
 * Clock skew between a StableMint merchant and us: its `timestamp` header (Unix seconds) may be
 * up to 5 minutes from our clock, either way (src/dialects/stablemint/signature.ts). The edges are tested
 * exactly, just inside (±300 s) and just outside (±301 s), at several fractions of a second into
 * our own clock: the Worker's clock is pinned (vitest's fake Date reaches the Worker and the
 * session objects, which run in this isolate), so no test depends on when a second ticks.
 *
 * What each party observes: the merchant gets its session (200) or a 401 `stale_timestamp` and
 * no session at all; the payer can open and pay an accepted session; the provider sees one
 * charge per paid session and nothing for a refused request.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, PAYER, projected } from "./api.js";
import { providerCharges } from "./faults.js";
import { embeddedBody, newStablemintMerchant } from "./stablemint-api.js";

afterEach(() => {
  vi.useRealTimers();
});

/** Our clock, pinned at a whole second of today plus `fraction` ms. */
function pinClock(fraction: number): number {
  const second = Math.floor(Date.now() / 1000);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(second * 1000 + fraction);
  return second;
}

async function sessionsOf(merchantId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM checkout_sessions WHERE merchant_id = ?",
  )
    .bind(merchantId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("StableMint timestamps at the edge of the ±5 minute window", () => {
  it.each([0, 500, 999])(
    "our clock %i ms into a second: ±300 s is accepted (the payer pays, the provider charges once), ±301 s is refused (no session, no charge)",
    async (fraction) => {
      const m = await newStablemintMerchant();
      const now = pinClock(fraction);
      const outcomes: Record<string, { status: number; code?: string }> = {};
      const paid: string[] = [];
      const sessions: string[] = [];
      // MAX_CLOCK_SKEW_SECONDS (src/dialects/stablemint/signature.ts) is 300: the edges either side.
      for (const skew of [-301, -300, 300, 301]) {
        const body = embeddedBody();
        const created = await m.create("embedded", body, { timestamp: String(now + skew) });
        outcomes[String(skew)] = { status: created.status, code: created.json.code };
        if (created.status !== 200) continue;
        sessions.push(created.json.reference);
        // The payer opens the session the merchant got, and pays it.
        const token = created.json.sessionId as string;
        const confirmed = await call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
          payer: PAYER,
          payment_method: { type: "bank_transfer", bank_id: "sandbox_de_1" },
        });
        expect(confirmed.json.checkout_session.status).toBe("COMPLETED");
        paid.push(confirmed.json.confirmResult.payment.id);
      }
      expect(outcomes).toEqual({
        "-301": { status: 401, code: "stale_timestamp" },
        "-300": { status: 200 },
        "300": { status: 200 },
        "301": { status: 401, code: "stale_timestamp" },
      });
      // The merchant: two sessions, from the two accepted requests; nothing from the others.
      await projected(...sessions);
      expect(await sessionsOf(m.id)).toBe(2);
      // The provider: one charge per paid session.
      for (const paymentId of paid) expect(await providerCharges(paymentId)).toHaveLength(1);
    },
  );

  it("a request refused for skew is refused before its body is read, and signing it again with our time is accepted once", async () => {
    const m = await newStablemintMerchant();
    const now = pinClock(250);
    const body = embeddedBody({ idempotencyKey: `skew-${crypto.randomUUID()}` });
    const stale = await m.create("embedded", body, { timestamp: String(now - 301) });
    expect([stale.status, stale.json.code]).toEqual([401, "stale_timestamp"]);
    expect(stale.json.errors).toBeUndefined();
    const retried = await m.create("embedded", body, { timestamp: String(now) });
    const again = await m.create("embedded", body, { timestamp: String(now + 299) });
    expect([retried.status, again.status]).toEqual([200, 200]);
    expect(again.json.sessionId).toBe(retried.json.sessionId);
    await projected(retried.json.reference);
    expect(await sessionsOf(m.id)).toBe(1);
  });
});
