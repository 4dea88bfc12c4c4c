/**
 * A request's parameters checked as Stripe checks them: an unknown one, a missing one or a bad
 * one is a 400 `invalid_request_error` naming the parameter in bracket notation (`param`), and
 * nothing was done, so nothing is remembered under the key.
 */
import type * as z from "zod";
import type { FormTree } from "./form.js";
import { type Executed, refused } from "./intents.js";

const bracketed = (path: readonly PropertyKey[]) =>
  path.map((part, i) => (i === 0 ? String(part) : `[${String(part)}]`)).join("");

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    const next: unknown = Reflect.get(node, part);
    node = next;
  }
  return node;
}

/** Why Stripe would refuse these parameters, in its codes. */
function refusalOf(issue: z.core.$ZodIssue, params: FormTree): Executed {
  if (issue.code === "unrecognized_keys") {
    const param = bracketed([...issue.path, issue.keys[0] ?? ""]);
    const message = `Received unknown parameter: ${param}`;
    return refused(400, {
      type: "invalid_request_error",
      code: "parameter_unknown",
      param,
      message,
    });
  }
  const param = bracketed(issue.path);
  if (valueAt(params, issue.path) === undefined) {
    const message = `Missing required param: ${param}.`;
    return refused(400, {
      type: "invalid_request_error",
      code: "parameter_missing",
      param,
      message,
    });
  }
  const message = `Invalid ${param}: ${issue.message}`;
  return refused(400, { type: "invalid_request_error", code: "parameter_invalid", param, message });
}

export function paramsOf<T extends z.ZodType>(
  schema: T,
  params: FormTree,
): { ok: true; data: z.infer<T> } | { ok: false; refusal: Executed } {
  const parsed = schema.safeParse(params);
  if (parsed.success) return { ok: true, data: parsed.data };
  const [issue] = parsed.error.issues;
  return issue === undefined
    ? { ok: false, refusal: refused(400, { type: "invalid_request_error", message: "Invalid." }) }
    : { ok: false, refusal: refusalOf(issue, params) };
}
