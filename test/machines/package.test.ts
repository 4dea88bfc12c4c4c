/// <reference types="node" />
/**
 * The machines as another project gets them: `npm pack`, install the tarball into a fresh
 * project, import `edge-checkout/machines` in plain Node and type-check a consumer against it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
let work: string;
let consumer: string;
let packed: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "edge-checkout-pack-"));
  consumer = join(work, "consumer");
  const out = JSON.parse(npm(["pack", "--json", "--pack-destination", work], root));
  packed = out[0].files.map((f: { path: string }) => f.path);
  execFileSync("mkdir", ["-p", consumer]);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", type: "module" }),
  );
  npm(
    ["install", join(work, out[0].filename), "--no-audit", "--no-fund", "--prefer-offline"],
    consumer,
  );
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the published package", () => {
  it("ships the compiled machines with their types, and nothing of the service", () => {
    expect(packed).toContain("dist/machines/index.js");
    expect(packed).toContain("dist/machines/index.d.ts");
    expect(packed.filter((p) => /^(src|test|migrations)\/|wrangler/.test(p))).toEqual([]);
  });

  it("needs no Cloudflare package", () => {
    const installed = readdirSync(join(consumer, "node_modules"));
    expect(
      installed.filter((name) => /^@cloudflare$|^wrangler$|^miniflare$|^workerd$/.test(name)),
    ).toEqual([]);
  });

  it("runs a full lifecycle in plain Node, persisting and restoring between events", () => {
    writeFileSync(
      join(consumer, "run.mjs"),
      `import { initialTransition, transition } from "xstate";
import { checkoutSessionMachine, nextWakeAt, restoreSnapshot, sessionStatus, toEnvelope } from "edge-checkout/machines";
const roundTrip = (s) => restoreSnapshot(JSON.parse(JSON.stringify(toEnvelope(s))));
let [s] = initialTransition(checkoutSessionMachine, { id: "cs_pkg", paymentId: "pay_pkg", merchantId: "m_1", amount: 1050, currency: "EUR", createdAt: 0, expiresAt: 3600000 });
const step = (event) => { [s] = transition(checkoutSessionMachine, roundTrip(s), event); };
step({ type: "PAYER_OPENED", at: 1000 });
step({ type: "CONFIRM", at: 2000, paymentMethod: { type: "card", brand: "visa", last4: "4242" } });
step({ type: "PROVIDER_SUCCEEDED", at: 3000, chargeId: s.context.payment.charges.at(-1).id });
for (const event of s.context.outbox) step({ type: "WEBHOOK_DELIVERED", at: 4000, eventId: event.id, statusCode: 200, latencyMs: 5 });
console.log(JSON.stringify({ status: sessionStatus(s), payment: s.context.payment.status,
  outbox: s.context.outbox.map((e) => [e.type, e.delivery.status]), wake: nextWakeAt(s) }));
`,
    );
    const run = spawnSync(process.execPath, ["run.mjs"], { cwd: consumer, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      status: "COMPLETED",
      payment: "SUCCEEDED",
      outbox: [
        ["charge.succeeded", "delivered"],
        ["payment.succeeded", "delivered"],
        ["checkout_session.completed", "delivered"],
      ],
      wake: null,
    });
  });

  it("type-checks a consumer against the shipped declarations, and catches a wrong event", () => {
    const tsc = join(root, "node_modules/.bin/tsc");
    const check = (source: string) => {
      writeFileSync(join(consumer, "use.ts"), source);
      return spawnSync(
        tsc,
        [
          "--noEmit",
          "--strict",
          "--module",
          "nodenext",
          "--moduleResolution",
          "nodenext",
          "--types",
          "",
          "use.ts",
        ],
        { cwd: consumer, encoding: "utf8" },
      );
    };
    const header = `import type { CheckoutEvent, CheckoutSnapshot } from "edge-checkout/machines";
import { sessionStatus } from "edge-checkout/machines";
export const status = (s: CheckoutSnapshot): string => sessionStatus(s);
`;
    expect(
      check(`${header}export const e: CheckoutEvent = { type: "CANCEL", at: 1 };\n`).status,
    ).toBe(0);
    expect(
      check(`${header}export const e: CheckoutEvent = { type: "NOT_AN_EVENT", at: 1 };\n`).status,
    ).not.toBe(0);
  });
});
