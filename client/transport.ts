/**
 * One request to the checkout API: the secret key, the caller's `request-id`, a JSON body, and
 * every answer that is not a 2xx turned into the error family (client/errors.ts) in one place.
 */
import { ApiError, ConnectionError, errorFromAnswer } from "./errors.js";
import type { Fetch, FetchResponse } from "./platform.js";

/** What every call may add. */
export interface RequestOptions {
  /**
   * Sent as `request-id` (1-128 of letters, digits, `_ . : -`): the service answers with it and
   * keeps it in the session's journal and in the `requestId` of the webhooks the call causes.
   */
  requestId?: string;
}

/** A create's options: its idempotency key, a fresh UUID unless given. */
export interface CreateOptions extends RequestOptions {
  /**
   * Sent as `Idempotency-Key` (1-255 visible ASCII). Retry a create with the same key and the
   * same body and the service answers the session it made the first time.
   */
  idempotencyKey?: string;
}

export interface TransportConfig {
  secretKey: string;
  /** No trailing `/`. */
  baseUrl: string;
  fetch: Fetch;
}

type Query = Record<string, string | number | undefined>;

export interface Call {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Query | undefined;
  /** JSON; left out, the request has no body (the service then takes every default). */
  body?: object | undefined;
  headers?: Record<string, string>;
  options?: RequestOptions | undefined;
}

/** A path segment from an id, escaped; an empty id is a mistake the caller made, not a 404. */
export function segment(id: string): string {
  if (typeof id !== "string" || id === "") throw new TypeError("An id must be a non-empty string.");
  return encodeURIComponent(id);
}

/** `?a=1&b=2` for the parameters that are set; the service refuses unknown ones. */
function queryString(query: Query | undefined): string {
  const pairs = Object.entries(query ?? {}).flatMap(([name, value]) =>
    value === undefined ? [] : [`${encodeURIComponent(name)}=${encodeURIComponent(value)}`],
  );
  return pairs.length === 0 ? "" : `?${pairs.join("&")}`;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Sends one call and answers its parsed JSON. The answer is not validated at run time (the
 * client ships no schema library): its type is the service's, as the wire types state it.
 */
export async function send<T>(config: TransportConfig, call: Call): Promise<T> {
  const sentId = call.options?.requestId;
  const headers: Record<string, string> = {
    authorization: `Bearer ${config.secretKey}`,
    accept: "application/json",
    ...(sentId !== undefined && { "request-id": sentId }),
    ...(call.body !== undefined && { "content-type": "application/json" }),
    ...call.headers,
  };
  const url = `${config.baseUrl}${call.path}${queryString(call.query)}`;
  let answer: FetchResponse;
  let text: string;
  try {
    answer = await config.fetch(url, {
      method: call.method,
      headers,
      ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
    });
    text = await answer.text();
  } catch (error) {
    throw new ConnectionError({
      message: `No answer from ${config.baseUrl}: ${reasonOf(error)}`,
      status: null,
      code: "connection_error",
      requestId: sentId ?? null,
      cause: error,
    });
  }
  const requestId = answer.headers.get("request-id") ?? sentId ?? null;
  if (answer.status < 200 || answer.status > 299) {
    throw errorFromAnswer(answer.status, text, requestId, answer.headers.get("retry-after"));
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ApiError({
      message: `The service answered ${answer.status} with a body that is not JSON.`,
      status: answer.status,
      code: "invalid_response",
      requestId,
      cause: error,
    });
  }
}
