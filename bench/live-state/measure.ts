/**
 * Live state against polling: how long after a transition a payer's page has the new state.
 * Standalone, against a running service (`npm start`, or `ORIGIN=http://127.0.0.1:8788`):
 *
 *   ./node_modules/.bin/node bench/live-state/measure.ts [live samples] [polling samples]
 *
 * Each sample is a fresh session of the sandbox merchant. Timed from the moment the request that
 * causes the transition is sent (so the figure includes that request's own work: the object's
 * transition, its commit, and the push), to:
 * - live: the page's socket (`/pay/<id>/live`, authenticated as the embedded frame is, token
 *   as a subprotocol) receiving the new state; for a merchant's cancel, and for a provider's
 *   late answer (`provider_answer` on a silent card's charge);
 * - polling: a page polling `/pay/<id>/session` every 2 s (checkout.js before live state), its
 *   phase random against the transition, getting the new state in an answer.
 */
import { fmt, percentile } from "../lib/stats.ts";

const ORIGIN = process.env.ORIGIN ?? "http://127.0.0.1:8787";
const KEY = process.env.SECRET_KEY ?? "sk_test_sandbox";
const POLL_INTERVAL_MS = 2000;
const liveSamples = Number(process.argv[2] ?? 200);
const pollSamples = Number(process.argv[3] ?? 40);

async function api(method: string, path: string, body?: unknown, auth = `Bearer ${KEY}`) {
  const response = await fetch(`${ORIGIN}${path}`, {
    method,
    headers: { authorization: auth, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: whatever JSON the service answered
  const json: any = await response.json();
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function newSession(): Promise<{ id: string; token: string }> {
  const created = await api("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: `${ORIGIN}/demo/return`,
  });
  return created.checkout_session;
}

interface Live {
  /** Resolves with the arrival time of the first pushed state whose status is `status`. */
  next(status: string): Promise<number>;
  close(): void;
}

/** The page's socket, as the embedded frame opens it; resolves once the first state is in. */
function follow(session: { id: string; token: string }): Promise<Live> {
  const url = `${ORIGIN.replace(/^http/, "ws")}/pay/${session.id}/live`;
  const ws = new WebSocket(url, ["edge-checkout", `token.${session.token}`]);
  const waiting: { status: string; resolve: (at: number) => void }[] = [];
  return new Promise((resolve, reject) => {
    ws.onerror = () => reject(new Error(`socket to ${session.id} failed`));
    ws.onmessage = (event) => {
      const at = performance.now();
      const status = JSON.parse(String(event.data)).state.checkout_session.status as string;
      resolve({
        next: (wanted) => new Promise((done) => waiting.push({ status: wanted, resolve: done })),
        close: () => ws.close(1000),
      });
      for (const w of waiting.filter((x) => x.status === status)) w.resolve(at);
    };
  });
}

async function liveCancel(): Promise<number> {
  const session = await newSession();
  const live = await follow(session);
  const pushed = live.next("CANCELLED");
  const sent = performance.now();
  await api("POST", `/v1/checkout-sessions/${session.id}/cancel`);
  const ms = (await pushed) - sent;
  live.close();
  return ms;
}

async function liveProviderAnswer(): Promise<number> {
  const session = await newSession();
  const live = await follow(session);
  const card = { number: "4000000000000077", exp_month: 12, exp_year: 2030, cvc: "123" };
  await api(
    "POST",
    `/v1/checkout-sessions/token/${session.token}/confirm`,
    { payment_method: { type: "card", card }, payer: { name: "Ada Lovelace", email: "a@b.co" } },
    "",
  );
  const pushed = live.next("COMPLETED");
  const sent = performance.now();
  await api(
    "POST",
    `/v1/test_helpers/payments/${session.id.replace(/^cs_/, "pay_")}/provider_answer`,
    {
      outcome: "succeeded",
    },
  );
  const ms = (await pushed) - sent;
  live.close();
  return ms;
}

/** A 2 s poller whose phase is random against the cancel, as a page that loaded any time before. */
async function pollingCancel(): Promise<number> {
  const session = await newSession();
  const poll = async () => {
    const state = await api(
      "GET",
      `/pay/${session.id}/session`,
      undefined,
      `Token ${session.token}`,
    );
    return state.checkout_session.status as string;
  };
  const cancelAt = performance.now() + Math.random() * POLL_INTERVAL_MS;
  let sent = Number.NaN;
  const cancel = (async () => {
    await new Promise((resolve) => setTimeout(resolve, cancelAt - performance.now()));
    sent = performance.now();
    await api("POST", `/v1/checkout-sessions/${session.id}/cancel`);
  })();
  for (let next = performance.now(); ; next += POLL_INTERVAL_MS) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    const status = await poll();
    if (status === "CANCELLED") {
      await cancel;
      return performance.now() - sent;
    }
  }
}

async function run(name: string, n: number, sample: () => Promise<number>) {
  for (let i = 0; i < 5; i++) await sample(); // warm-up: isolates, catalogues, D1
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    ms.push(await sample());
    // Under the payer limits `npm start` runs as deployed (300 requests per 10 s per address).
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const line = `${name.padEnd(34)} n=${String(n).padStart(4)}  p50 ${fmt(percentile(ms, 50)).padStart(6)} ms  p99 ${fmt(percentile(ms, 99)).padStart(6)} ms  max ${fmt(Math.max(...ms)).padStart(6)} ms`;
  console.log(line);
}

console.log(
  `live state vs polling against ${ORIGIN} (transition request sent → page has the state)`,
);
await run("live: merchant cancel", liveSamples, liveCancel);
await run("live: provider_answer", liveSamples, liveProviderAnswer);
await run(
  `polling every ${POLL_INTERVAL_MS / 1000} s: merchant cancel`,
  pollSamples,
  pollingCancel,
);
