/**
 * A list refuses every query parameter it does not name with 400 `unknown_query_parameter`,
 * including names every JavaScript object answers to (`constructor`, `toString`, `__proto__`):
 * a check with `in` took those for parameters of every list and let them through (found by
 * test/worker/fuzz.test.ts).
 */
import { describe, expect, it } from "vitest";
import { newMerchant } from "./api.js";

const LISTS = ["/v1/checkout-sessions", "/v1/events", "/v1/merchant/audit-log"];
const NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];

describe.each(LISTS)("%s", (list) => {
  it.each(NAMES)("?%s=1 is an unknown parameter", async (name) => {
    const merchant = await newMerchant();
    const answer = await merchant.call("GET", `${list}?${name}=1`);
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe("unknown_query_parameter");
    expect(answer.json.errors).toEqual([{ field: name, message: "Not a parameter of this list." }]);
  });

  it("its own parameters are still taken", async () => {
    const merchant = await newMerchant();
    expect((await merchant.call("GET", `${list}?limit=5`)).status).toBe(200);
  });
});
