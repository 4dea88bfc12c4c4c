/**
 * The load generator's HTTP client: node:http with keep-alive, to 127.0.0.1 only, every request
 * timed from send to the last byte of the body. The same client drives the service and the
 * baseline, which answer the same four routes.
 */
import http from "node:http";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";

export interface Reply {
  status: number;
  body: string;
  ms: number;
}

export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  readonly origin: URL;

  constructor(origin: string) {
    this.origin = new URL(origin);
    // Loopback only: the bench never sends traffic anywhere else.
    if (this.origin.hostname !== "127.0.0.1") throw new Error(`not loopback: ${origin}`);
  }

  request(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port: this.origin.port,
          method,
          path,
          agent: this.agent,
          timeout: 30_000,
          headers: {
            ...(body === undefined
              ? {}
              : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
            ...headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              ms: performance.now() - started,
            }),
          );
          response.on("error", reject);
        },
      );
      request.on("timeout", () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on("error", reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export const MERCHANT = { authorization: "Bearer sk_test_sandbox" };
const CREATE_BODY = JSON.stringify({
  amount: 1050,
  currency: "EUR",
  return_url: "http://127.0.0.1:8787/demo/return",
});
const CONFIRM_BODY = JSON.stringify({
  payment_method: {
    type: "card",
    card: { number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" },
  },
  payer: { name: "Ada Lovelace", email: "ada@example.com" },
});

const Created = z.object({ checkout_session: z.object({ id: z.string(), token: z.string() }) });

export const STEPS = ["create", "open", "confirm", "retrieve"] as const;

/**
 * The HTTP lifecycle as four steps: the merchant creates a session, the payer opens it by token
 * and confirms with a card that succeeds, the merchant retrieves the outcome. Each step throws
 * unless it got the answer the service documents.
 */
export function lifecycleSteps(client: Client) {
  const session = { id: "", token: "" };
  const expect = (reply: Reply, status: number, step: string) => {
    if (reply.status !== status) {
      throw new Error(`${step}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
    }
    return reply;
  };
  const tokenPath = () => `/v1/checkout-sessions/token/${encodeURIComponent(session.token)}`;
  const steps: Array<() => Promise<Reply>> = [
    async () => {
      const reply = await client.request("POST", "/v1/checkout-sessions", CREATE_BODY, MERCHANT);
      expect(reply, 201, "create");
      Object.assign(session, Created.parse(JSON.parse(reply.body)).checkout_session);
      return reply;
    },
    async () => expect(await client.request("GET", tokenPath()), 200, "open"),
    async () =>
      expect(await client.request("POST", `${tokenPath()}/confirm`, CONFIRM_BODY), 200, "confirm"),
    async () =>
      expect(
        await client.request("GET", `/v1/checkout-sessions/${session.id}`, undefined, MERCHANT),
        200,
        "retrieve",
      ),
  ];
  return { session, steps };
}

export interface LifecycleResult {
  id: string;
  /** Milliseconds per step, in STEPS order. */
  steps: number[];
  ok: boolean;
  error?: string;
}

/** The four steps in sequence, each timed. */
export async function lifecycle(client: Client): Promise<LifecycleResult> {
  const { session, steps } = lifecycleSteps(client);
  const ms: number[] = [];
  try {
    for (const step of steps) ms.push((await step()).ms);
    return { id: session.id, steps: ms, ok: true };
  } catch (error) {
    return { id: session.id, steps: ms, ok: false, error: String(error) };
  }
}

const Journal = z.object({
  data: z.array(
    z.object({
      seq: z.number(),
      type: z.string(),
      /** ISO 8601 on the wire; epoch milliseconds here, for arithmetic. */
      at: z.iso.datetime().transform((text) => Date.parse(text)),
      cause: z.string(),
      state: z.string(),
    }),
  ),
});
export type JournalEntry = z.infer<typeof Journal>["data"][number];

/** Every accepted event of a session (`GET /v1/checkout-sessions/:id/journal`). */
export async function journal(client: Client, id: string): Promise<JournalEntry[]> {
  const reply = await client.request(
    "GET",
    `/v1/checkout-sessions/${id}/journal`,
    undefined,
    OBSERVER,
  );
  if (reply.status !== 200) throw new Error(`journal: HTTP ${reply.status} ${reply.body}`);
  return Journal.parse(JSON.parse(reply.body)).data;
}

/** What the harness sends to look without being counted (bench/storage/worker.ts). */
export const OBSERVER = { ...MERCHANT, "x-bench-observer": "1" };

/**
 * Whether D1 shows the session as it is now: its row in the merchant's list is the object's
 * view. D1 is written after a change is answered (the projection lag), so a step has settled only
 * once this holds.
 */
export async function projected(client: Client, id: string): Promise<boolean> {
  const got = await client.request("GET", `/v1/checkout-sessions/${id}`, undefined, OBSERVER);
  if (got.status !== 200) throw new Error(`retrieve: HTTP ${got.status} ${got.body}`);
  const view: { created_at: string } = JSON.parse(got.body).checkout_session;
  const since = encodeURIComponent(view.created_at);
  const path = `/v1/checkout-sessions?limit=100&created_gte=${since}`;
  const list = await client.request("GET", path, undefined, OBSERVER);
  if (list.status !== 200) throw new Error(`list: HTTP ${list.status} ${list.body}`);
  const rows: Array<{ id: string }> = JSON.parse(list.body).data;
  const row = rows.find((r) => r.id === id);
  // Deep equality: the list's row and the retrieve's view need not list their keys in one order.
  return row !== undefined && isDeepStrictEqual(row, view);
}

/** Registers a webhook endpoint for the sandbox merchant (every event type). */
export async function registerEndpoint(client: Client, url: string): Promise<void> {
  const body = JSON.stringify({ url });
  const reply = await client.request("POST", "/v1/webhook-endpoints", body, MERCHANT);
  if (reply.status !== 201) throw new Error(`webhook endpoint: HTTP ${reply.status} ${reply.body}`);
}
