import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SessionObject } from "../../src/session-object.js";

// `exports.default` / `env` from "cloudflare:workers" replace the deprecated `SELF` / `env`
// of "cloudflare:test".
describe("worker smoke", () => {
  it("answers an unknown path with a 404 problem document", async () => {
    const response = await exports.default.fetch("http://x/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 404 });
  });

  it("runs code inside a SessionObject", async () => {
    const stub = env.CHECKOUT_SESSIONS.getByName("smoke");
    const answer = await runInDurableObject(stub, async (instance) => {
      expect(instance).toBeInstanceOf(SessionObject);
      return instance.ping();
    });
    expect(answer).toBe("pong");
    expect(await stub.ping()).toBe("pong");
  });
});
