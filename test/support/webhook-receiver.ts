/**
 * A merchant's webhook receiver, as a real HTTP server on 127.0.0.1: it records every request and
 * answers as its script says, so tests can make it fail, recover, hang or go away.
 *
 *   POST /hooks/<name>         a delivery; answered by the next step of <name>'s script
 *   PUT  /script/<name>        { steps: Step[], otherwise?: Step }: the answers to give, in
 *                              order, then `otherwise` for every later request (200 by default)
 *   GET  /log/<name>           every delivery <name> received, in order of arrival
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface Step {
  status: number;
  /** Sent as `Retry-After` (seconds). */
  retryAfter?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
}

export interface Received {
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
  answered: number | null;
}

interface Script {
  steps: Step[];
  otherwise: Step;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body = "", headers = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(body);
}

export async function startReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const scripts = new Map<string, Script>();
  const logs = new Map<string, Received[]>();
  const hanging = new Set<ServerResponse>();

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const [, kind, name = ""] = (request.url ?? "").split("/");
    const body = await readBody(request);
    if (request.method === "PUT" && kind === "script") {
      const parsed = JSON.parse(body) as Partial<Script>;
      scripts.set(name, {
        steps: parsed.steps ?? [],
        otherwise: parsed.otherwise ?? { status: 200 },
      });
      return send(response, 204);
    }
    if (request.method === "GET" && kind === "log") {
      return send(response, 200, JSON.stringify(logs.get(name) ?? []));
    }
    if (request.method !== "POST" || kind !== "hooks") return send(response, 404);

    const script = scripts.get(name) ?? { steps: [], otherwise: { status: 200 } };
    const step = script.steps.shift() ?? script.otherwise;
    const entry: Received = {
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [key, String(value)]),
      ),
      body,
      receivedAt: Date.now(),
      answered: null,
    };
    logs.set(name, [...(logs.get(name) ?? []), entry]);
    if (step.hang) {
      hanging.add(response);
      return;
    }
    if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    entry.answered = step.status;
    send(
      response,
      step.status,
      "{}",
      step.retryAfter === undefined ? {} : { "retry-after": String(step.retryAfter) },
    );
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
