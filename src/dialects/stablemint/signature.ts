/**
 * StableMint request authentication. Each request carries `api_key` (which merchant),
 * `timestamp` (Unix seconds) and `signature` = hex SHA-256 of `"<timestamp>,<api secret>,<userId>"`,
 * `userId` being the body's. Checked in two steps because the signature covers a body field:
 * the headers, the clock and the key before the body is read; the signature once it is.
 * Every failure is its own 401 problem; none says whether another part would have passed.
 */
import { ProblemError } from "../../errors.js";
import { merchantByApiKey, type StablemintMerchant, sha256Hex } from "../../merchants/merchants.js";
import { unseal } from "../../sealed.js";

/** How far `timestamp` may be from our clock, either way: 5 minutes. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const TIMESTAMP = /^\d{1,15}$/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;

export interface StablemintCaller extends StablemintMerchant {
  timestamp: string;
  signature: string;
}

const unauthorized = (code: string, message: string, header?: string) =>
  new ProblemError(
    401,
    code,
    message,
    header === undefined ? [] : [{ field: header, message: "Required header." }],
  );

function requiredHeader(request: Request, name: string, code: string): string {
  const value = request.headers.get(name)?.trim() ?? "";
  if (value === "") {
    throw unauthorized(code, `Send the \`${name}\` header (StableMint request signing).`, name);
  }
  return value;
}

/**
 * Step one, before the body is read: the three headers are there, the timestamp is Unix seconds
 * within 5 minutes of `now` (ms), and the API key belongs to a merchant.
 *
 * @example
 * const caller = await stablemintCaller(request, env, Date.now()); // caller.merchant.id === "m_sandbox"
 */
export async function stablemintCaller(
  request: Request,
  env: Env,
  now: number,
): Promise<StablemintCaller> {
  const apiKey = requiredHeader(request, "api_key", "missing_api_key");
  const timestamp = requiredHeader(request, "timestamp", "missing_timestamp");
  const signature = requiredHeader(request, "signature", "missing_signature");
  if (!TIMESTAMP.test(timestamp)) {
    throw unauthorized("invalid_timestamp", "The `timestamp` header must be Unix time in seconds.");
  }
  // Whole seconds on both sides, as the timestamp is: a signer exactly 5 minutes behind is inside
  // the window whatever fraction of a second our clock is into (Standard Webhooks does the same).
  if (Math.abs(Number(timestamp) - Math.floor(now / 1000)) > MAX_CLOCK_SKEW_SECONDS) {
    throw unauthorized(
      "stale_timestamp",
      "The `timestamp` header is more than 5 minutes from the current time (Unix seconds); sign the request again.",
    );
  }
  const found = await merchantByApiKey(env, apiKey);
  if (found === null) throw unauthorized("invalid_api_key", "The `api_key` is not valid.");
  return { ...found, timestamp, signature };
}

/**
 * Step two: `signature` is hex SHA-256 of `"<timestamp>,<api secret>,<userId>"`, compared in
 * constant time. `userId` is the body's value exactly as sent (`""` when it has none, so an
 * unsigned request never reaches validation). A secret that is missing or does not open (the
 * `ENCRYPTION_KEY` changed) is the merchant's problem to fix with us: a 401, logged, never a 500.
 *
 * @example
 * await verifySignature(env, caller, "user-1"); // throws 401 invalid_signature on a mismatch
 */
export async function verifySignature(
  env: Env,
  caller: StablemintCaller,
  userId: string,
): Promise<void> {
  const secret = await apiSecret(env, caller);
  const invalid = unauthorized(
    "invalid_signature",
    'The `signature` does not match: send hex SHA-256 of "<timestamp>,<api secret>,<userId>".',
  );
  if (!SIGNATURE.test(caller.signature)) throw invalid;
  const encoder = new TextEncoder();
  const expected = encoder.encode(await sha256Hex(`${caller.timestamp},${secret},${userId}`));
  const given = encoder.encode(caller.signature.toLowerCase());
  // Both are 64 hex characters here, so the lengths match and reveal nothing.
  if (!crypto.subtle.timingSafeEqual(given, expected)) throw invalid;
}

async function apiSecret(env: Env, caller: StablemintCaller): Promise<string> {
  const unavailable = unauthorized(
    "api_secret_unavailable",
    "This API key has no usable API secret; ask support to set it again.",
  );
  if (caller.apiSecretSealed === null) throw unavailable;
  try {
    return await unseal(env, caller.apiSecretSealed);
  } catch (error) {
    console.error(
      JSON.stringify({
        merchant: caller.merchant.id,
        apiSecret: "unseal failed",
        error: String(error),
      }),
    );
    throw unavailable;
  }
}
