/** Columns that hold JSON as TEXT: decoded, then checked like any other stored data (it is input). */
import * as z from "zod";

/**
 * A TEXT column holding JSON, decoded and then checked against `schema`. Text that is not JSON
 * is a parse issue like any other, not a `SyntaxError`.
 *
 * @example
 * z.object({ providers: jsonColumn(z.array(z.string())) }).parse({ providers: '["sandbox"]' });
 */
export function jsonColumn<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: "Not valid JSON." });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
