/// <reference types="node" />
/**
 * The machines as a user gets them: `npm pack` the project, install the tarball into a fresh
 * project, and use "edge-checkout/machines" from plain Node and from TypeScript, with no
 * Cloudflare package anywhere in sight.
 */
import { type ExecFileSyncOptions, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(REPO, "node_modules", ".bin", "tsc");

// npm, its prepack script and the consumer all run on the Node that runs this test (Node 22).
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` };
const sh = (cwd: string): ExecFileSyncOptions => ({ cwd, env, encoding: "utf8", stdio: "pipe" });

let packDir = "";
let consumerDir = "";
let tarball = "";
let packed: string[] = [];

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), "edge-checkout-pack-"));
  consumerDir = mkdtempSync(join(tmpdir(), "edge-checkout-consumer-"));

  execFileSync("npm", ["pack", "--pack-destination", packDir], sh(REPO));
  const tarballs = readdirSync(packDir).filter((name) => name.endsWith(".tgz"));
  expect(tarballs).toHaveLength(1);
  tarball = join(packDir, tarballs[0] as string);
  packed = String(execFileSync("tar", ["-tzf", tarball], sh(packDir)))
    .split("\n")
    .filter((line) => line !== "" && !line.endsWith("/"))
    .map((line) => line.replace(/^package\//, ""));

  writeFileSync(
    join(consumerDir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  execFileSync(
    "npm",
    ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline"],
    sh(consumerDir),
  );
}, 120_000);

afterAll(() => {
  for (const dir of [packDir, consumerDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the npm package edge-checkout/machines", () => {
  it("packs the built machines (JS and types) and nothing of the Worker", () => {
    expect(packed).toContain("package.json");
    expect(packed).toContain("dist/machines/index.js");
    expect(packed).toContain("dist/machines/index.d.ts");
    const machineFiles = packed.filter((file) => file.startsWith("dist/machines/"));
    expect(machineFiles.filter((file) => file.endsWith(".js")).length).toBeGreaterThan(1);
    // Every module ships with its declarations.
    for (const js of machineFiles.filter((file) => file.endsWith(".js"))) {
      expect(packed).toContain(js.replace(/\.js$/, ".d.ts"));
    }
    const forbidden = packed.filter(
      (file) =>
        /^(src|test|migrations|seeds|scripts|\.wrangler)\//.test(file) ||
        /wrangler|worker-configuration|cloudflare|\.dev\.vars/i.test(file) ||
        /\.test\.(js|ts)$/.test(file) ||
        (file.endsWith(".ts") && !file.endsWith(".d.ts")),
    );
    expect(forbidden).toEqual([]);
  });

  it("installs into a fresh project without any Cloudflare package", () => {
    // npm's record of everything it put in node_modules, nested copies included.
    const lock = JSON.parse(
      readFileSync(join(consumerDir, "node_modules", ".package-lock.json"), "utf8"),
    ) as { packages: Record<string, unknown> };
    const installed = Object.keys(lock.packages).map((path) =>
      path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
    );
    expect(installed).toContain("edge-checkout");
    expect(installed).toContain("xstate");
    expect(
      installed.filter(
        (name) =>
          name.startsWith("@cloudflare/") || ["wrangler", "miniflare", "workerd"].includes(name),
      ),
    ).toEqual([]);
  });

  it("runs a whole session lifecycle in plain Node, persisting between every event", () => {
    writeFileSync(
      join(consumerDir, "lifecycle.mjs"),
      `import {
  checkoutSessionMachine,
  nextWakeAt,
  pureSteps,
  restoreSnapshot,
  sessionStatus,
  toEnvelope,
} from "edge-checkout/machines";

// Stored and loaded as the session object would: a JSON string in between.
const checkout = pureSteps(checkoutSessionMachine);
const roundTrip = (s) => restoreSnapshot(JSON.parse(JSON.stringify(toEnvelope(s))));
const send = (s, event) => roundTrip(checkout.next(roundTrip(s), event));

let s = checkout.initial({
  id: "cs_pkg",
  paymentId: "pay_pkg",
  merchantId: "m_1",
  amount: 1050,
  currency: "EUR",
  createdAt: 0,
  expiresAt: 3_600_000,
});
s = send(s, { type: "PAYER_OPENED", at: 1000 });
s = send(s, {
  type: "CONFIRM",
  at: 2000,
  paymentMethod: { type: "card", brand: "visa", last4: "4242" },
});
s = send(s, { type: "PROVIDER_SUCCEEDED", at: 3000, chargeId: s.context.payment.charges.at(-1).id });
let at = 4000;
const endpoints = [{ id: "we_1", events: s.context.outbox.map((e) => e.type) }];
s = send(s, { type: "WEBHOOK_FANNED_OUT", at: at++, endpoints });
for (const { id } of s.context.outbox) {
  const result = { endpointId: "we_1", statusCode: 200, latencyMs: 5, error: null, retryAfterMs: null };
  s = send(s, { type: "WEBHOOK_ATTEMPTED", at: at++, eventId: id, result });
}
console.log(
  JSON.stringify({
    status: sessionStatus(s),
    payment: s.context.payment.status,
    outbox: s.context.outbox.map((e) => ({ type: e.type, delivery: e.delivery.status })),
    nextWakeAt: nextWakeAt(s),
  }),
);
`,
    );
    const stdout = String(execFileSync(process.execPath, ["lifecycle.mjs"], sh(consumerDir)));
    expect(JSON.parse(stdout)).toEqual({
      status: "COMPLETED",
      payment: "SUCCEEDED",
      outbox: [
        { type: "charge.succeeded", delivery: "delivered" },
        { type: "payment.succeeded", delivery: "delivered" },
        { type: "checkout_session.completed", delivery: "delivered" },
      ],
      nextWakeAt: null,
    });
  }, 30_000);

  it("runs README's example as written, and it ends where its comments say", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Using it from another project"));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(example).toContain("edge-checkout/machines");
    const report = `console.log(JSON.stringify({
  status: sessionStatus(session),
  types: session.context.outbox.map((e) => e.type),
  wakesNow: nextWakeAt(session) <= Date.now(),
}));`;
    writeFileSync(join(consumerDir, "readme.mjs"), `${example}\n${report}\n`);
    const stdout = String(execFileSync(process.execPath, ["readme.mjs"], sh(consumerDir)));
    expect(JSON.parse(stdout)).toEqual({
      status: "COMPLETED",
      types: ["charge.succeeded", "payment.succeeded", "checkout_session.completed"],
      wakesNow: true,
    });
  }, 30_000);

  it("ships types a strict TypeScript consumer can use, and that reject a wrong event", () => {
    const typecheck = (file: string, source: string) => {
      writeFileSync(join(consumerDir, file), source);
      const args = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution"];
      return spawnSync(TSC, [...args, "nodenext", "--types", "", file], sh(consumerDir));
    };
    const header = `import type { CheckoutEvent, CheckoutSnapshot, SessionStatus } from "edge-checkout/machines";
import { checkoutSessionMachine, pureSteps, sessionStatus } from "edge-checkout/machines";
import { initialTransition, transition } from "xstate";
`;

    const good = typecheck(
      "good.ts",
      `${header}
export function apply(snapshot: CheckoutSnapshot, event: CheckoutEvent): CheckoutSnapshot {
  return transition(checkoutSessionMachine, snapshot, event)[0];
}
const [created] = initialTransition(checkoutSessionMachine, {
  id: "cs_pkg",
  paymentId: "pay_pkg",
  merchantId: "m_1",
  amount: 1050,
  currency: "EUR",
  createdAt: 0,
  expiresAt: 3_600_000,
});
const opened = apply(created, { type: "PAYER_OPENED", at: 1000 });
export const status: SessionStatus = sessionStatus(opened);
const checkout = pureSteps(checkoutSessionMachine);
export const confirmed: CheckoutSnapshot = checkout.next(checkout.initial({
  id: "cs_pkg",
  paymentId: "pay_pkg",
  merchantId: "m_1",
  amount: 1050,
  currency: "EUR",
  createdAt: 0,
  expiresAt: 3_600_000,
}), { type: "CONFIRM", at: 1000, paymentMethod: { type: "card", brand: "visa", last4: "4242" } });
export const amount: number | null = opened.context.amount;
`,
    );
    expect(good.error).toBeUndefined();
    expect(`${good.stdout}${good.stderr}`).toBe("");
    expect(good.status).toBe(0);

    const bad = typecheck(
      "bad.ts",
      `${header}
export const wrong: CheckoutEvent = { type: "NOT_AN_EVENT", at: 0 };
export const _unused = [checkoutSessionMachine, sessionStatus, initialTransition, transition, pureSteps];
export type _Unused = [CheckoutSnapshot, SessionStatus];
`,
    );
    expect(bad.error).toBeUndefined(); // tsc ran, and then reported errors
    expect(bad.status).not.toBe(0);
    expect(String(bad.stdout)).toMatch(/bad\.ts\(\d+,\d+\): error TS\d+: .*NOT_AN_EVENT/);
  }, 60_000);
});
