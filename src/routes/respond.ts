/** Small helpers every route module uses: body parsing, object results, JSON responses. */
import type { z } from "zod";
import { ProblemError, validationProblem } from "../errors.js";
import type { Result } from "../session-object.js";

const MAX_BODY_BYTES = 64 * 1024;

/** Parses a JSON body against a schema; any failure is a 4xx problem, never a 5xx. */
export async function parseBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new ProblemError(415, "unsupported_media_type", "Send the body as application/json.");
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) {
    throw new ProblemError(
      413,
      "body_too_large",
      `The body may be at most ${MAX_BODY_BYTES} bytes.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProblemError(400, "invalid_json", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationProblem(parsed.error);
  return parsed.data;
}

/** The value of an object's result, or its problem thrown for the one error stage to render. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok)
    throw new ProblemError(result.problem.status, result.problem.code, result.problem.message);
  return result.value;
}

export function json(body: unknown, status = 200): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
