/**
 * Sample values for path parameters and example requests: shaped as the real ones are, so an
 * example reaches its route (test/worker/openapi.test.ts calls every operation with them), but
 * naming nothing that exists.
 */
const HEX = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d0f";

export const SAMPLE = {
  sessionId: `cs_${HEX}`,
  paymentId: `pay_${HEX}`,
  chargeId: `pay_${HEX}_ch1`,
  eventId: `evt_cs_${HEX}_1`,
  endpointId: "we_0123456789abcdef01234567",
  token: `cs_${HEX}.kJ3mQ8rT1vX5zB7dF9hL2nP4sU6wY0aC3eG5iK7mO9q`,
  stablemintSessionId: "0b8f6e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b",
} as const;

/** The sandbox merchant's key (README), as in every example request. */
export const SANDBOX_SECRET_KEY = "sk_test_sandbox";
