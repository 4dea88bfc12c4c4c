/**
 * An operation's example request as a curl command against `npm start`, with the sandbox's
 * credentials (README): the spec carries it as `x-codeSamples`, the reference page shows it.
 */
import type { Operation } from "./operation.js";
import { SANDBOX_SECRET_KEY } from "./routes/samples.js";

const BASE = "http://127.0.0.1:8787";

/** Single-quoted for a POSIX shell. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'"'"'`)}'`;

/**
 * A form example as `application/x-www-form-urlencoded`, an array as its field repeated.
 *
 * @example
 * formBody({ csrf: "x", events: ["a", "b"] }); // "csrf=x&events=a&events=b"
 */
export function formBody(example: unknown): string {
  const fields = typeof example === "object" && example !== null ? Object.entries(example) : [];
  return new URLSearchParams(
    fields.flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map((v): [string, string] => [key, String(v)]),
    ),
  ).toString();
}

function urlOf(op: Operation): string {
  let path = op.path;
  for (const param of op.pathParams ?? []) {
    // The payer token from the create answer, as README's examples have it.
    path = path.replace(`{${param.name}}`, param.name === "token" ? "$TOKEN" : param.example);
  }
  const query = new URLSearchParams((op.queryParams ?? []).map((p) => [p.name, p.example]));
  return `${BASE}${path}${query.size > 0 ? `?${query}` : ""}`;
}

/**
 * @example
 * curlExample(op); // "curl -s http://127.0.0.1:8787/v1/checkout-sessions \\\n  -H …"
 */
export function curlExample(op: Operation): string {
  const lines: string[] = [];
  const prelude: string[] = [];
  const body = op.body;
  const headers: string[] = [];
  if (op.access === "secretKey") headers.push(`Authorization: Bearer ${SANDBOX_SECRET_KEY}`);
  if (op.access === "payerPage") headers.push("Authorization: Token $TOKEN");
  if (op.access === "stablemint") {
    const userId =
      typeof body?.example === "object" && body.example !== null && "userId" in body.example
        ? String(body.example.userId)
        : "";
    prelude.push(
      "ts=$(date +%s)",
      `sig=$(printf '%s,%s,%s' "$ts" sk_test_sandbox ${shellQuote(userId)} | sha256sum | cut -d' ' -f1)`,
    );
    headers.push("api_key: pk_test_sandbox", "timestamp: $ts", "signature: $sig");
  }
  for (const header of op.headers ?? []) headers.push(`${header.name}: ${header.example}`);
  if (body !== undefined) headers.push(`content-type: ${body.mediaType ?? "application/json"}`);

  const method = op.method === "get" ? [] : [`-X ${op.method.toUpperCase()}`];
  lines.push(`curl -s ${[...method, `"${urlOf(op)}"`].join(" ")}`);
  for (const header of headers) lines.push(`  -H "${header}"`);
  if (body !== undefined) {
    const text =
      body.mediaType === "application/x-www-form-urlencoded"
        ? formBody(body.example)
        : JSON.stringify(body.example);
    lines.push(`  -d ${shellQuote(text)}`);
  }
  return [...prelude, lines.join(" \\\n")].join("\n");
}
