/**
 * Live state (src/routes/live.ts, src/session/live.ts): the payer's page follows its session over
 * a WebSocket that the session's object holds through the hibernation API. Checked here through
 * the Worker's real fetch handler with real sockets: who may open one, the state pushed after
 * each stored transition with a rising sequence number, a resume from a sequence number, and the
 * handlers of an object that was evicted while its sockets stayed open.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionIdOf, stablemintObjectId } from "../../src/ids.js";
import type { SessionObject } from "../../src/session/session-object.js";
import { CARDS, confirm, createSession, merchant, objectOf } from "./api.js";

const ORIGIN = "http://127.0.0.1:8787";

interface Pushed {
  seq: number;
  state: {
    checkout_session: { id: string; status: string };
    html: string;
    notice: string;
    redirect_url: string | null;
  };
}

function upgrade(sessionId: string, headers: Record<string, string>, query = "") {
  return exports.default.fetch(`${ORIGIN}/pay/${sessionId}/live${query}`, {
    headers: { upgrade: "websocket", ...headers },
  });
}

const cookie = (token: string) => ({ cookie: `ec_payer=${token}` });
const frame = (token: string) => ({ "sec-websocket-protocol": `edge-checkout, token.${token}` });

/** Waits (briefly, in real time) for `done()`: pushes travel on their own, after the request. */
async function until(done: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The client end of an accepted socket, with everything it hears. */
async function opened(response: Response) {
  expect(response.status).toBe(101);
  const ws = response.webSocket;
  if (ws === null) throw new Error("no socket in a 101");
  const messages: Pushed[] = [];
  const texts: string[] = [];
  const closes: number[] = [];
  ws.addEventListener("message", (event) => {
    const text = String(event.data);
    texts.push(text);
    if (text.startsWith("{")) messages.push(JSON.parse(text));
  });
  ws.addEventListener("close", (event) => {
    closes.push(event.code);
  });
  ws.accept();
  const heard = async (n: number) => {
    await until(() => messages.length >= n);
    return messages[n - 1] as Pushed;
  };
  return { ws, messages, texts, closes, heard };
}

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as { code: string };
  return [response.status, body.code];
}

describe("GET /pay/:id/live: who may open a session's socket", () => {
  it("the hosted page's cookie opens it, and the current state comes at once", async () => {
    const session = await createSession();
    const live = await opened(await upgrade(session.id, cookie(session.token)));
    const first = await live.heard(1);
    expect(first.seq).toBeGreaterThan(0);
    expect(first.state.checkout_session).toMatchObject({ id: session.id, status: "PENDING" });
    // The same markup `/pay/<id>/session` answers, for the hosted page.
    expect(first.state.html).toContain('class="checkout checkout-hosted"');
    expect(first.state.html).toContain('data-status="PENDING"');
    live.ws.close(1000);
  });

  it("the embedded frame's token opens it as a subprotocol, and the answer names edge-checkout", async () => {
    const session = await createSession();
    const response = await upgrade(session.id, frame(session.token));
    expect(response.headers.get("sec-websocket-protocol")).toBe("edge-checkout");
    const live = await opened(response);
    expect((await live.heard(1)).state.html).toContain('class="checkout checkout-embedded"');
    live.ws.close(1000);
  });

  it("refuses a request without a token, with another session's token, or a forged one (401)", async () => {
    const session = await createSession();
    const other = await createSession();
    expect(await problem(await upgrade(session.id, {}))).toEqual([401, "invalid_token"]);
    expect(await problem(await upgrade(session.id, cookie(other.token)))).toEqual([
      401,
      "invalid_token",
    ]);
    expect(await problem(await upgrade(session.id, frame(other.token)))).toEqual([
      401,
      "invalid_token",
    ]);
    const forged = `${session.id}.${"A".repeat(43)}`;
    expect(await problem(await upgrade(session.id, frame(forged)))).toEqual([401, "invalid_token"]);
  });

  it("refuses a session that is not there: a malformed id, or a StableMint sessionId of no session", async () => {
    const session = await createSession();
    expect(await problem(await upgrade("cs_nope", cookie(session.token)))).toEqual([
      404,
      "not_found",
    ]);
    // Any UUID routes to an object; one that holds no session opens nothing.
    const uuid = crypto.randomUUID();
    const nobody = sessionIdOf(stablemintObjectId(env, uuid));
    expect(await problem(await upgrade(nobody, frame(uuid)))).toEqual([404, "invalid_token"]);
  });

  it("refuses a plain GET (426) and a cookie sent by another site's page (403)", async () => {
    const session = await createSession();
    const plain = await exports.default.fetch(`${ORIGIN}/pay/${session.id}/live`, {
      headers: cookie(session.token),
    });
    expect(await problem(plain)).toEqual([426, "websocket_expected"]);
    expect(plain.headers.get("upgrade")).toBe("websocket");
    const crossSite = await upgrade(session.id, {
      ...cookie(session.token),
      origin: "https://attacker.example",
      "sec-fetch-site": "cross-site",
    });
    expect(await problem(crossSite)).toEqual([403, "cross_site_request"]);
    const badSeq = await upgrade(session.id, cookie(session.token), "?after=-1");
    expect(await problem(badSeq)).toEqual([422, "validation_failed"]);
  });

  it("a closed session: the final state, then a clean close", async () => {
    const session = await createSession();
    expect((await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`)).status).toBe(200);
    const live = await opened(await upgrade(session.id, cookie(session.token)));
    expect((await live.heard(1)).state.checkout_session.status).toBe("CANCELLED");
    await until(() => live.closes.length > 0);
    expect(live.closes).toEqual([1000]);
  });
});

describe("the state pushed after each stored transition", () => {
  it("a merchant's cancel reaches the page as the cancelled state, then the socket closes", async () => {
    const session = await createSession();
    const live = await opened(await upgrade(session.id, cookie(session.token)));
    const first = await live.heard(1);
    const cancelled = await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const pushed = await live.heard(2);
    expect(pushed.seq).toBeGreaterThan(first.seq);
    expect(pushed.state.checkout_session.status).toBe("CANCELLED");
    expect(pushed.state.html).toContain('data-status="CANCELLED"');
    // Pushed after the commit: the journal already holds the entry the push is numbered by.
    const journal = await merchant("GET", `/v1/checkout-sessions/${session.id}/journal`);
    const entry = journal.json.data.find((e: { seq: number }) => e.seq === pushed.seq);
    expect(entry).toMatchObject({ type: "CANCEL" });
    await until(() => live.closes.length > 0);
    expect(live.closes).toEqual([1000]);
  });

  it("every socket of the session hears each step of a payment, numbered in order", async () => {
    const session = await createSession();
    const hosted = await opened(await upgrade(session.id, cookie(session.token)));
    const embedded = await opened(await upgrade(session.id, frame(session.token)));
    await hosted.heard(1);
    await embedded.heard(1);
    expect((await confirm(session.token, CARDS.silent)).json.checkout_session.status).toBe(
      "PROCESSING",
    );
    const paymentId = session.id.replace(/^cs_/, "pay_");
    const answered = await merchant(
      "POST",
      `/v1/test_helpers/payments/${paymentId}/provider_answer`,
      { outcome: "succeeded" },
    );
    expect(answered.status).toBe(200);
    for (const live of [hosted, embedded]) {
      await until(() => live.closes.length > 0);
      const statuses = live.messages.map((m) => m.state.checkout_session.status);
      expect(statuses).toEqual(["PENDING", "PROCESSING", "COMPLETED"]);
      const seqs = live.messages.map((m) => m.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(live.closes).toEqual([1000]);
    }
    // Each page in its own mode: only the hosted page is sent on to the merchant.
    expect(hosted.messages.at(-1)?.state.redirect_url).toContain("/demo/return");
    expect(embedded.messages.at(-1)?.state.redirect_url).toBeNull();
  });
});

describe("resuming from a sequence number", () => {
  it("a page that has the latest state hears nothing until something changes; an older one catches up", async () => {
    const session = await createSession();
    const first = await opened(await upgrade(session.id, cookie(session.token)));
    const { seq } = await first.heard(1);
    first.ws.close(1000);

    const current = await opened(await upgrade(session.id, cookie(session.token), `?after=${seq}`));
    const behind = await opened(
      await upgrade(session.id, cookie(session.token), `?after=${seq - 1}`),
    );
    expect((await behind.heard(1)).seq).toBe(seq);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(current.messages).toEqual([]);
    // The same over an open socket: a message with the last sequence number seen.
    current.ws.send(JSON.stringify({ after: seq }));
    current.ws.send(JSON.stringify({ after: 0 }));
    expect((await current.heard(1)).seq).toBe(seq);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(current.messages).toHaveLength(1);
    // The keep-alive is answered without any state.
    current.ws.send("ping");
    await until(() => current.texts.includes("pong"));
    // Anything else is not a message of ours: the socket is closed with 1008.
    current.ws.send("hello");
    await until(() => current.closes.length > 0);
    expect(current.closes).toEqual([1008]);
    behind.ws.close(1000);
  });
});

describe("hibernation", () => {
  it("an object evicted while its sockets stay open answers and pushes on them when it wakes", async () => {
    const session = await createSession();
    const stub = objectOf(session.id);
    const live = await opened(await upgrade(session.id, cookie(session.token)));
    const first = await live.heard(1);
    const instances = new WeakSet<object>();
    await runInDurableObject(stub, (instance: SessionObject) => {
      instances.add(instance);
    });
    await evictDurableObject(stub);

    // A message wakes a fresh instance, which still holds the socket and how it renders.
    live.ws.send(JSON.stringify({ after: 0 }));
    const resumed = await live.heard(2);
    expect(resumed).toEqual(first);
    const woken = await runInDurableObject(stub, (instance: SessionObject, state) => ({
      fresh: !instances.has(instance),
      sockets: state.getWebSockets().length,
    }));
    expect(woken).toEqual({ fresh: true, sockets: 1 });

    // Evicted again, then a transition wakes it: the push reaches the hibernated socket.
    await evictDurableObject(stub);
    expect((await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`)).status).toBe(200);
    const pushed = await live.heard(3);
    expect(pushed.state.checkout_session.status).toBe("CANCELLED");
    await until(() => live.closes.length > 0);
    expect(live.closes).toEqual([1000]);
  });

  it("a page that closes its socket is answered, and the object holds it no more", async () => {
    const session = await createSession();
    const stub = objectOf(session.id);
    const live = await opened(await upgrade(session.id, cookie(session.token)));
    await live.heard(1);
    await evictDurableObject(stub);
    live.ws.close(1000, "page left");
    await until(() => live.closes.length > 0);
    expect(live.closes).toEqual([1000]);
    const sockets = async () =>
      runInDurableObject(stub, (_instance: SessionObject, state) => state.getWebSockets().length);
    const deadline = Date.now() + 3000;
    while ((await sockets()) !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await sockets()).toBe(0);
  });
});
