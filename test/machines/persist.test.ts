import { describe, expect, it } from "vitest";
import {
  checkoutSessionMachine,
  MACHINE_VERSION,
  restoreSnapshot,
  sessionStatus,
  toEnvelope,
} from "../../machines/index.js";
import { chargeId, createSession, run, T0, VISA } from "./support.js";

function midFlight() {
  const s = run(createSession({ captureMethod: "manual" }), {
    type: "CONFIRM",
    at: T0 + 1,
    paymentMethod: VISA,
  });
  return run(s, { type: "PROVIDER_AUTHORIZED", at: T0 + 2, chargeId: chargeId(s) });
}

describe("persisting a session", () => {
  it("writes a versioned envelope that restores to the same session", () => {
    const s = midFlight();
    const stored = JSON.stringify(toEnvelope(s));
    expect(JSON.parse(stored)).toMatchObject({
      v: MACHINE_VERSION,
      value: { completed: "authorized" },
    });
    const restored = restoreSnapshot(stored);
    expect(restored.value).toEqual(s.value);
    expect(restored.context).toEqual(s.context);
    // The restored session carries on: the authorization is captured.
    const captured = run(restored, { type: "CAPTURE", at: T0 + 3 });
    expect(captured.context.providerCall?.kind).toBe("capture");
  });

  it("restores the previous (v1) shape: XState's own persisted snapshot", () => {
    const s = midFlight();
    const v1 = JSON.stringify({ v: 1, snapshot: checkoutSessionMachine.getPersistedSnapshot(s) });
    const restored = restoreSnapshot(v1);
    expect(sessionStatus(restored)).toBe("COMPLETED");
    expect(restored.context).toEqual(s.context);
    expect(toEnvelope(restored).v).toBe(2);
  });

  it("refuses a damaged or unknown envelope instead of loading half a session", () => {
    const good = toEnvelope(midFlight());
    expect(() => restoreSnapshot({ ...good, v: 99 })).toThrow();
    expect(() =>
      restoreSnapshot({ ...good, context: { ...good.context, amount: "10" } }),
    ).toThrow();
    expect(() => restoreSnapshot("{not json")).toThrow();
  });

  it("refuses a state the machine does not have", () => {
    const good = toEnvelope(midFlight());
    expect(() => restoreSnapshot({ ...good, value: "teleported" })).toThrow();
  });

  it("round-trips the machine itself: a restored snapshot is a snapshot of this machine", () => {
    const restored = restoreSnapshot(JSON.stringify(toEnvelope(createSession())));
    expect(restored.machine).toBe(checkoutSessionMachine);
  });
});
