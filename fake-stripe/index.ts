/**
 * The fake Stripe's Worker, for tests only: Stripe's v1 wire (fake-stripe/api.ts) over its books
 * (fake-stripe/books.ts), the issuer's 3-D Secure page (fake-stripe/challenge.ts), and the wire
 * faults tests queue (`POST /__faults`), played where Stripe's or the network's would be: a 429
 * or 503 before any work, an answer lost after the work, an answer too late.
 */
import * as z from "zod";
import { type Answer, Expire, errorAnswer, type Fault, Faults } from "./api.js";
import type { FakeStripeBooks, FakeStripeEnv } from "./books.js";
import { challengeRoute } from "./challenge.js";
import { parseForm } from "./form.js";

export { FakeStripeBooks } from "./books.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function json(answer: Answer, headers: Record<string, string> = {}) {
  const requestId = `req_${crypto.randomUUID().replaceAll("-", "").slice(0, 14)}`;
  return new Response(answer.body, {
    status: answer.status,
    headers: { "content-type": "application/json", "request-id": requestId, ...headers },
  });
}

/** The API key of a request: `Bearer <key>`, or Basic with the key as the user name. */
function keyOf(request: Request): string | null {
  const [scheme = "", value = ""] = (request.headers.get("authorization") ?? "").split(" ");
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() !== "basic") return null;
  try {
    return atob(value).split(":")[0] ?? null;
  } catch {
    return null;
  }
}

/** As Stripe shows a key back: its kind and last four, never the rest. */
const masked = (key: string) => `${key.slice(0, 8)}${"*".repeat(12)}${key.slice(-4)}`;

/** The account a request acts for (its key), or Stripe's refusal: 401 (any error of the key's
 * is an `invalid_request_error` at Stripe), or 403 for a restricted key without the permission. */
function accountOf(request: Request): { account: string } | Answer {
  const key = keyOf(request);
  if (key === null || key === "") {
    const message = "You did not provide an API key. Send it as `Authorization: Bearer sk_test_…`.";
    return errorAnswer(401, { type: "invalid_request_error", message });
  }
  if (!/^(sk|rk)_test_\w+$/.test(key)) {
    const message = `Invalid API Key provided: ${masked(key)}`;
    return errorAnswer(401, { type: "invalid_request_error", message });
  }
  if (key.startsWith("rk_test_no_payment_intents")) {
    const message = `The provided key '${masked(key)}' does not have the required permissions for this endpoint; it needs 'rak_payment_intent_write'.`;
    return errorAnswer(403, { type: "invalid_request_error", message });
  }
  return { account: key };
}

/** A fault's answer: Stripe's own words for a 429 (its `rate_limit` code), an api_error else. */
function faultAnswer(fault: Fault): Response {
  const status = fault.status ?? 500;
  const error =
    status === 429
      ? {
          type: "invalid_request_error" as const,
          code: "rate_limit",
          message: "Request rate limit exceeded.",
        }
      : status >= 500
        ? { type: "api_error" as const, message: "An error occurred with our API." }
        : { type: "invalid_request_error" as const, message: `A ${status} from the fault queue.` };
  const headers: Record<string, string> =
    fault.retry_after === undefined ? {} : { "retry-after": String(fault.retry_after) };
  return json(errorAnswer(status, error), headers);
}

/** A form body as text (`.text()` would warn that a form is not text). */
const bodyText = async (request: Request) => new TextDecoder().decode(await request.arrayBuffer());

/** Parameters in a canonical order, digested: what tells a replay from another request. */
async function fingerprintOf(params: unknown): Promise<string> {
  const canonical = JSON.stringify(params, (_, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function execute(
  request: Request,
  books: DurableObjectStub<FakeStripeBooks>,
  account: string,
  url: URL,
): Promise<Response> {
  if (request.method === "GET") {
    return json(await books.get(account, url.pathname, Object.fromEntries(url.searchParams)));
  }
  if (request.method !== "POST") {
    const message = `Unrecognized request URL (${request.method}: ${url.pathname}).`;
    return json(errorAnswer(404, { type: "invalid_request_error", message }));
  }
  const params = parseForm(await bodyText(request));
  if (params === null) {
    const message = "The request body is not form encoding Stripe can read.";
    return json(errorAnswer(400, { type: "invalid_request_error", message }));
  }
  const key = request.headers.get("idempotency-key");
  if (key !== null && (key === "" || key.length > 255)) {
    const message = "An Idempotency-Key is 1 to 255 characters long.";
    return json(errorAnswer(400, { type: "invalid_request_error", message }));
  }
  const answered = await books.post({
    account,
    path: url.pathname,
    params,
    key,
    fingerprint: await fingerprintOf(params),
    origin: url.origin,
  });
  const headers: Record<string, string> = key === null ? {} : { "idempotency-key": key };
  if (answered.replayed) headers["idempotent-replayed"] = "true";
  return json(answered, headers);
}

/** A `/v1` request, with the next queued fault for its path played around it. */
async function api(request: Request, env: FakeStripeEnv, url: URL): Promise<Response> {
  const who = accountOf(request);
  if (!("account" in who)) return json(who);
  const books = env.BOOKS.get(env.BOOKS.idFromName("stripe"));
  const fault = await books.takeFault(url.pathname);
  if (fault?.status !== undefined && fault.after_processing !== true) {
    await sleep(fault.delay_ms ?? 0);
    return faultAnswer(fault);
  }
  const answer = await execute(request, books, who.account, url);
  if (fault === null) return answer;
  await sleep(fault.delay_ms ?? 0);
  if (fault.after_processing !== true) return answer;
  await answer.body?.cancel();
  return faultAnswer(fault);
}

const CONTROL = {
  faults: async (request: Request, books: DurableObjectStub<FakeStripeBooks>) => {
    if (request.method === "DELETE") {
      await books.clearFaults();
      return Response.json({ cleared: true });
    }
    const parsed = Faults.safeParse(await request.json().catch(() => null));
    if (!parsed.success)
      return Response.json({ error: z.prettifyError(parsed.error) }, { status: 400 });
    await books.addFaults(parsed.data.faults);
    return Response.json({ queued: parsed.data.faults.length });
  },
  books: async (request: Request, books: DurableObjectStub<FakeStripeBooks>) =>
    Response.json(await books.books(new URL(request.url).searchParams.get("charge_id") ?? "")),
  expire: async (request: Request, books: DurableObjectStub<FakeStripeBooks>) => {
    const parsed = Expire.safeParse(await request.json().catch(() => null));
    if (!parsed.success)
      return Response.json({ error: z.prettifyError(parsed.error) }, { status: 400 });
    return Response.json({ expired: await books.expire(parsed.data.key_prefix) });
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const books = env.BOOKS.get(env.BOOKS.idFromName("stripe"));
    const [, root, id, extra] = url.pathname.split("/");
    if (root === "v1") return api(request, env, url);
    if (root === "3ds" && id !== undefined && extra === undefined) {
      return challengeRoute(request, books, id);
    }
    if (url.pathname === "/__faults" && ["POST", "DELETE"].includes(request.method)) {
      return CONTROL.faults(request, books);
    }
    if (url.pathname === "/__books" && request.method === "GET")
      return CONTROL.books(request, books);
    if (url.pathname === "/__idempotency/expire" && request.method === "POST") {
      return CONTROL.expire(request, books);
    }
    return new Response("Not found.", { status: 404 });
  },
} satisfies ExportedHandler<FakeStripeEnv>;
