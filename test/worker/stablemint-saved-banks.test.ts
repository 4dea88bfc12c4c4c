/**
 * A successful bank payment saves the bank for (merchant, userId); that user's next embedded
 * session lists it in `savedBanks` with `lastUsed` (Unix seconds). Nothing else saves a bank,
 * and nobody else sees it.
 */

import { describe, expect, it } from "vitest";
import { CARDS, call, card, PAYER, projected, projectedByAlarm, setClock } from "./api.js";
import { embeddedBody, hostedBody, newStablemintMerchant, payByBank } from "./stablemint-api.js";

type Merchant = Awaited<ReturnType<typeof newStablemintMerchant>>;

async function embedded(m: Merchant, userId: string) {
  const created = await m.create("embedded", embeddedBody({ userId }));
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return created.json as {
    sessionId: string;
    reference: string;
    savedBanks: Array<{ bankId: number; lastUsed: number }>;
  };
}

describe("savedBanks", () => {
  it("lists the bank of a successful payment in the user's next embedded session", async () => {
    const m = await newStablemintMerchant();
    const userId = `user-${crypto.randomUUID()}`;
    const first = await embedded(m, userId);
    expect(first.savedBanks).toEqual([]);
    const before = Math.floor(Date.now() / 1000);
    const paid = await payByBank(first.sessionId, "sandbox_nl_2");
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    // The bank is saved (in D1) once the paid session is projected.
    await projected(first.reference);

    const next = await embedded(m, userId);
    expect(next.savedBanks).toEqual([
      {
        country: "NL",
        logo: "http://127.0.0.1:8787/banks/sandbox_nl_2/logo.svg",
        bankName: "Test Spaarbank",
        bankId: 402,
        lastUsed: expect.any(Number),
        validated: true,
      },
    ]);
    expect(next.savedBanks[0]?.lastUsed).toBeGreaterThanOrEqual(before);
    expect(next.savedBanks[0]?.lastUsed).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    // The payer's page learns it too: the bank is marked, so it can be offered first.
    const view = await call("GET", `/v1/checkout-sessions/token/${next.sessionId}`);
    const banks: Array<{ id: string; last_used_at: string | null }> =
      view.json.checkout_session.payment_methods.find(
        (m: { type: string }) => m.type === "bank_transfer",
      ).banks;
    const marked = banks.filter((bank) => bank.last_used_at !== null);
    expect(marked.map((bank) => bank.id)).toEqual(["sandbox_nl_2"]);
    expect(Math.floor(Date.parse(marked[0]?.last_used_at ?? "") / 1000)).toBe(
      next.savedBanks[0]?.lastUsed,
    );
  });

  it("orders banks by last use and moves a bank's lastUsed forward when it is used again", async () => {
    const m = await newStablemintMerchant();
    const userId = `user-${crypto.randomUUID()}`;
    // Whole seconds, minutes ahead: later payments, all well within the sessions' hour.
    const t0 = Math.floor(Date.now() / 1000) * 1000 + 600_000;
    const payAt = async (bankId: string, at: number) => {
      const session = await embedded(m, userId);
      await setClock(session.reference, at);
      const paid = await payByBank(session.sessionId, bankId);
      expect(paid.json.checkout_session.status).toBe("COMPLETED");
      await projectedByAlarm(session.reference);
    };
    await payAt("sandbox_de_1", t0);
    await payAt("sandbox_fr_2", t0 + 60_000);
    expect((await embedded(m, userId)).savedBanks.map((b) => [b.bankId, b.lastUsed])).toEqual([
      [202, t0 / 1000 + 60],
      [101, t0 / 1000],
    ]);
    await payAt("sandbox_de_1", t0 + 120_000);
    expect((await embedded(m, userId)).savedBanks.map((b) => [b.bankId, b.lastUsed])).toEqual([
      [101, t0 / 1000 + 120],
      [202, t0 / 1000 + 60],
    ]);
  });

  it("a hosted session's bank payment counts too", async () => {
    const m = await newStablemintMerchant();
    const userId = `user-${crypto.randomUUID()}`;
    const hosted = await m.create("hosted", hostedBody({ userId }));
    const token = new URL(hosted.json.url).pathname.split("/").at(-1) ?? "";
    expect((await payByBank(token, "sandbox_gb_1")).json.checkout_session.status).toBe("COMPLETED");
    await projected(hosted.json.reference);
    expect((await embedded(m, userId)).savedBanks.map((b) => b.bankId)).toEqual([301]);
  });

  it("saves nothing for a declined bank or a card payment", async () => {
    const m = await newStablemintMerchant();
    const userId = `user-${crypto.randomUUID()}`;
    const session = await embedded(m, userId);
    const declined = await payByBank(session.sessionId, "fail_de_1");
    expect(declined.json.checkout_session.payment.last_error.code).toBe("bank_declined");
    const paid = await call("POST", `/v1/checkout-sessions/token/${session.sessionId}/confirm`, {
      payer: PAYER,
      payment_method: card(CARDS.success),
    });
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    // Once D1 has the session as it is: nothing saved is not merely not saved yet.
    await projected(session.reference);
    expect((await embedded(m, userId)).savedBanks).toEqual([]);
  });

  it("belongs to one user of one merchant", async () => {
    const m = await newStablemintMerchant();
    const other = await newStablemintMerchant();
    const userId = `user-${crypto.randomUUID()}`;
    const paid = await embedded(m, userId);
    await payByBank(paid.sessionId, "sandbox_pl_2");
    await projected(paid.reference);
    expect((await embedded(m, userId)).savedBanks).toHaveLength(1);
    expect((await embedded(m, `${userId}-2`)).savedBanks).toEqual([]);
    expect((await embedded(other, userId)).savedBanks).toEqual([]);
  });

  it("lists only banks the merchant still offers", async () => {
    const m = await newStablemintMerchant();
    const userId = `user-${crypto.randomUUID()}`;
    const paid = await embedded(m, userId);
    await payByBank(paid.sessionId, "sandbox_de_2");
    // Saved first, so that what hides it below is the merchant no longer offering it.
    await projected(paid.reference);
    const patched = await m.api("PATCH", "/v1/merchant", { payment_methods: ["card"] });
    expect(patched.status).toBe(200);
    const next = await embedded(m, userId);
    expect(next.savedBanks).toEqual([]);
  });
});
