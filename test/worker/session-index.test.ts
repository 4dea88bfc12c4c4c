import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listSessions, type SessionIndexRow, upsertSessionIndex } from "../../src/d1/sessions.js";
import { problemOf } from "./api.js";

const T0 = Date.UTC(2026, 0, 1);

/** A merchant of its own per test, so tests never see each other's rows (storage is shared). */
const newMerchant = () => `m_${crypto.randomUUID()}`;

/** Session ids are unique across merchants; within one merchant they sort by `n`. */
const idOf = (merchantId: string, n: number) =>
  `cs_${merchantId.slice(2)}_${String(n).padStart(3, "0")}`;
const idsOf = (merchantId: string, ...ns: number[]) => ns.map((n) => idOf(merchantId, n));

function session(merchantId: string, n: number, overrides: Partial<SessionIndexRow> = {}) {
  return {
    id: idOf(merchantId, n),
    merchantId,
    status: "PENDING",
    amount: 1000 + n,
    currency: "EUR",
    createdAt: T0 + n * 1000,
    updatedAt: T0 + n * 1000,
    expiresAt: T0 + n * 1000 + 3_600_000,
    paymentId: `pay_${n}`,
    view: null,
    ...overrides,
  } satisfies SessionIndexRow;
}

describe("session index", () => {
  it("lists a merchant's sessions newest first, filtered by status and created range", async () => {
    const merchant = newMerchant();
    const rows = [
      session(merchant, 1),
      session(merchant, 2, { status: "COMPLETED" }),
      session(merchant, 3),
      session(merchant, 4, { status: "COMPLETED" }),
      session(merchant, 5, { status: "EXPIRED" }),
    ];
    for (const row of rows) await upsertSessionIndex(env.DB, row);
    await upsertSessionIndex(env.DB, session(newMerchant(), 3)); // another merchant's

    const all = await listSessions(env.DB, merchant, { limit: 100 });
    expect(all).toEqual({ data: [...rows].reverse(), nextCursor: null });

    const completed = await listSessions(env.DB, merchant, { status: "COMPLETED", limit: 10 });
    expect(completed.data.map((row) => row.id)).toEqual(idsOf(merchant, 4, 2));

    const range = await listSessions(env.DB, merchant, {
      createdGte: T0 + 2000,
      createdLte: T0 + 4000,
      limit: 10,
    });
    expect(range.data.map((row) => row.id)).toEqual(idsOf(merchant, 4, 3, 2));

    const both = await listSessions(env.DB, merchant, {
      status: "PENDING",
      createdGte: T0 + 2000,
      limit: 10,
    });
    expect(both.data.map((row) => row.id)).toEqual(idsOf(merchant, 3));
  });

  it("pages with a cursor without repeating or skipping a row, ties on createdAt included", async () => {
    const merchant = newMerchant();
    // Six sessions over four instants: ties must be broken by id, consistently across pages.
    const created = [1, 2, 2, 2, 3, 4];
    const rows = created.map((second, i) =>
      session(merchant, i, { createdAt: T0 + second * 1000 }),
    );
    for (const row of rows) await upsertSessionIndex(env.DB, row);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listSessions(env.DB, merchant, { limit: 2, cursor });
      pages.push(page.data.map((row) => row.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && pages.length < 10);

    expect(pages).toEqual([idsOf(merchant, 5, 4), idsOf(merchant, 3, 2), idsOf(merchant, 1, 0)]);
    // A session created while paging lands before the cursor and does not disturb later pages.
    const first = await listSessions(env.DB, merchant, { limit: 2 });
    await upsertSessionIndex(env.DB, session(merchant, 99, { createdAt: T0 + 60_000 }));
    const second = await listSessions(env.DB, merchant, {
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.data.map((row) => row.id)).toEqual(idsOf(merchant, 3, 2));
  });

  it("keeps a newer state when an older update arrives late", async () => {
    const merchant = newMerchant();
    const created = session(merchant, 1);
    await upsertSessionIndex(env.DB, created);
    const completed = { ...created, status: "COMPLETED", updatedAt: created.updatedAt + 5000 };
    await upsertSessionIndex(env.DB, completed);
    await upsertSessionIndex(env.DB, {
      ...created,
      status: "PROCESSING",
      updatedAt: created.updatedAt + 2000,
    });

    const { data } = await listSessions(env.DB, merchant, { limit: 10 });
    expect(data).toEqual([completed]);
  });

  it("refuses a cursor it did not write with 422 invalid_cursor", async () => {
    const merchant = newMerchant();
    const garbage = [
      "garbage!",
      "bm90IGpzb24", // base64url of "not json"
      btoa(JSON.stringify({ createdAt: 1, id: "cs_1" })).replace(/=+$/, ""),
      btoa(JSON.stringify([-1, "cs_1"])).replace(/=+$/, ""),
      "",
    ];
    for (const cursor of garbage) {
      const problem = await problemOf(listSessions(env.DB, merchant, { limit: 2, cursor }));
      expect(problem).toMatchObject({ status: 422, code: "invalid_cursor" });
    }
  });

  it("refuses a limit outside 1..100", async () => {
    for (const limit of [0, 101, 1.5]) {
      const problem = await problemOf(listSessions(env.DB, newMerchant(), { limit }));
      expect(problem).toMatchObject({ status: 422, code: "validation_failed" });
    }
  });
});
