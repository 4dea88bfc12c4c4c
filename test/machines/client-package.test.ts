/// <reference types="node" />
/**
 * The client as a user gets it: `npm pack`, install the tarball into a fresh project, and use
 * "edge-checkout/client" from plain Node and from strict TypeScript with no runtime types at
 * all; nothing of the Worker (itty-router, Cloudflare's packages) comes with it.
 *
 * The pack runs in a copy of the package's sources (package.json, README, LICENSE, machines/,
 * client/, with the repository's node_modules linked), as from a fresh checkout: `prepack`
 * builds dist/ there. Packing the repository itself would race test/machines/package.test.ts,
 * which packs it at the same time, as each `prepack` empties dist/ before it builds.
 */
import { type ExecFileSyncOptions, execFile, execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(REPO, "node_modules", ".bin", "tsc");
const SOURCES = ["package.json", "README.md", "LICENSE", "machines", "client"];

// npm, its prepack script and the consumer all run on the Node that runs this test (Node 22).
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` };
const sh = (cwd: string): ExecFileSyncOptions => ({ cwd, env, encoding: "utf8", stdio: "pipe" });
const run = promisify(execFile);

let stageDir = "";
let packDir = "";
let consumerDir = "";
let packed: string[] = [];
let installed = "";

beforeAll(() => {
  stageDir = mkdtempSync(join(tmpdir(), "edge-checkout-stage-"));
  packDir = mkdtempSync(join(tmpdir(), "edge-checkout-client-pack-"));
  consumerDir = mkdtempSync(join(tmpdir(), "edge-checkout-client-consumer-"));
  for (const source of SOURCES) {
    cpSync(join(REPO, source), join(stageDir, source), { recursive: true });
  }
  symlinkSync(join(REPO, "node_modules"), join(stageDir, "node_modules"), "dir");

  execFileSync("npm", ["pack", "--pack-destination", packDir], sh(stageDir));
  const tarballs = readdirSync(packDir).filter((name) => name.endsWith(".tgz"));
  expect(tarballs).toHaveLength(1);
  const tarball = join(packDir, tarballs[0] as string);
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
  installed = join(consumerDir, "node_modules", "edge-checkout");
}, 180_000);

afterAll(() => {
  for (const dir of [stageDir, packDir, consumerDir]) {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(file: string): string[] {
  // Comments first: the JSDoc examples import "edge-checkout/client" as a user would.
  const source = file.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found = [
    ...source.matchAll(/\b(?:import|export)\b[^"';]*?\bfrom\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...source.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return found.map((match) => match[1] as string);
}

describe("the npm package edge-checkout/client", () => {
  it("packs the built client (JS and types), the LICENSE, and nothing of the Worker", () => {
    expect(packed).toContain("LICENSE");
    expect(packed).toContain("dist/client/index.js");
    expect(packed).toContain("dist/client/index.d.ts");
    const clientFiles = packed.filter((file) => file.startsWith("dist/client/"));
    for (const js of clientFiles.filter((file) => file.endsWith(".js"))) {
      expect(packed).toContain(js.replace(/\.js$/, ".d.ts"));
    }
    const forbidden = packed.filter(
      (file) =>
        /^(src|test|migrations|seeds|scripts|\.wrangler)\//.test(file) ||
        /wrangler|worker-configuration|cloudflare|\.dev\.vars/i.test(file) ||
        (file.endsWith(".ts") && !file.endsWith(".d.ts")),
    );
    expect(forbidden).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    expect(manifest.exports["./client"]).toEqual({
      types: "./dist/client/index.d.ts",
      import: "./dist/client/index.js",
    });
    expect(Object.keys(manifest.dependencies)).not.toContain("itty-router");
    const license = readFileSync(join(installed, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 edge-checkout contributors\n/);
    expect(manifest.license).toBe("MIT");
  });

  it("installs into a fresh project without itty-router or any Cloudflare package", () => {
    // npm's record of everything it put in node_modules, nested copies included.
    const lock = JSON.parse(
      readFileSync(join(consumerDir, "node_modules", ".package-lock.json"), "utf8"),
    ) as { packages: Record<string, unknown> };
    const names = Object.keys(lock.packages).map((path) =>
      path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
    );
    expect(names).toContain("edge-checkout");
    expect(names).toContain("standardwebhooks");
    expect(
      names.filter(
        (name) =>
          name === "itty-router" ||
          name.startsWith("@cloudflare/") ||
          ["wrangler", "miniflare", "workerd"].includes(name),
      ),
    ).toEqual([]);
  });

  it("imports nothing but standardwebhooks and its own modules, in JS and in types", () => {
    const dir = join(installed, "dist", "client");
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(4);
    const outside = files.flatMap((file) =>
      specifiers(readFileSync(join(dir, file), "utf8"))
        .filter((specifier) => !/^\.\/[\w.-]+\.js$/.test(specifier))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(outside).toEqual(["verify-webhook.js: standardwebhooks"]);
  });

  it("runs in plain Node: create with an idempotency key, errors by kind, a verified webhook", async () => {
    const secret = `whsec_${Buffer.from("a test secret of thirty-two bytes").toString("base64")}`;
    const body = JSON.stringify({ id: "evt_1", type: "payment.succeeded", paymentId: "pay_1" });
    const headers = {
      "webhook-id": "evt_1",
      "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
      "webhook-signature": new Webhook(secret).sign("evt_1", new Date(), body),
    };
    const seen: Array<{
      method?: string;
      url?: string;
      headers: IncomingMessage["headers"];
      body: string;
    }> = [];
    const server: Server = createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      request.on("end", () => {
        seen.push({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: text,
        });
        if (request.headers.authorization !== "Bearer sk_test_node") {
          response.writeHead(401, {
            "content-type": "application/problem+json",
            "request-id": "req_401",
          });
          response.end(JSON.stringify({ code: "invalid_api_key", status: 401, detail: "No." }));
          return;
        }
        response.writeHead(201, { "content-type": "application/json", "request-id": "req_201" });
        response.end(JSON.stringify({ checkout_session: { id: "cs_node", status: "PENDING" } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    writeFileSync(
      join(consumerDir, "node-run.mjs"),
      `import { AuthenticationError, EdgeCheckout, EdgeCheckoutError, verifyWebhook } from "edge-checkout/client";
const [baseUrl, body, headers, secret] = process.argv.slice(2);
const client = new EdgeCheckout({ secretKey: "sk_test_node", baseUrl });
const session = await client.checkoutSessions.create({ amount: 1050, currency: "EUR", return_url: "https://shop.example/r" });
const stranger = new EdgeCheckout({ secretKey: "sk_test_other", baseUrl });
const error = await stranger.payments.retrieve("pay_1").catch((e) => e);
const event = verifyWebhook(body, JSON.parse(headers), secret);
console.log(JSON.stringify({
  session,
  error: { name: error.name, auth: error instanceof AuthenticationError, base: error instanceof EdgeCheckoutError, status: error.status, code: error.code, requestId: error.requestId },
  event: event.type,
}));
`,
    );
    try {
      const { stdout } = await run(
        process.execPath,
        ["node-run.mjs", baseUrl, body, JSON.stringify(headers), secret],
        { cwd: consumerDir, env },
      );
      expect(JSON.parse(stdout)).toEqual({
        session: { id: "cs_node", status: "PENDING" },
        error: {
          name: "AuthenticationError",
          auth: true,
          base: true,
          status: 401,
          code: "invalid_api_key",
          requestId: "req_401",
        },
        event: "payment.succeeded",
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const [create, retrieve] = seen;
    expect(create).toMatchObject({ method: "POST", url: "/v1/checkout-sessions" });
    expect(create?.headers["content-type"]).toBe("application/json");
    expect(create?.headers["idempotency-key"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    expect(JSON.parse(create?.body ?? "")).toEqual({
      amount: 1050,
      currency: "EUR",
      return_url: "https://shop.example/r",
    });
    expect(retrieve).toMatchObject({ method: "GET", url: "/v1/payments/pay_1", body: "" });
    expect(retrieve?.headers["idempotency-key"]).toBeUndefined();
  }, 30_000);

  /** README's example, as written there. */
  const readmeExample = () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## The typed client"));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(example).toContain('from "edge-checkout/client"');
    return example;
  };

  const typecheck = (file: string, source: string, lib: string) => {
    writeFileSync(join(consumerDir, file), source);
    const args = ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext"];
    const more = ["--moduleResolution", "nodenext", "--types", "", "--lib", lib];
    return spawnSync(TSC, [...args, ...more, file], sh(consumerDir));
  };

  it("ships types a strict consumer compiles with no runtime types, and that reject wrong calls", () => {
    const good = typecheck(
      "good.ts",
      `import {
  type CheckoutSession,
  EdgeCheckout,
  type Fetch,
  type Page,
  RateLimitError,
  ValidationError,
  verifyWebhook,
  type WebhookEvent,
} from "edge-checkout/client";

declare const fetchLike: Fetch;
const client = new EdgeCheckout({ secretKey: "sk_test_x", baseUrl: "https://checkout.example", fetch: fetchLike });
export async function flow(): Promise<string> {
  const session: CheckoutSession = await client.checkoutSessions.create(
    { amount: 1050, currency: "EUR", return_url: "https://shop.example/r", payer_fields: { phone: "optional" } },
    { idempotencyKey: "order-1", requestId: "r-1" },
  );
  const page: Page<CheckoutSession> = await client.checkoutSessions.list({ status: "COMPLETED", limit: 10 });
  for await (const more of client.events.pages({ type: "payment.succeeded" })) more.data.map((e) => e.delivery.status);
  await client.merchant.update({ brand_color: null, providers: ["sandbox"] });
  const rolled = await client.merchant.keys.roll({ overlap_seconds: 0 });
  try {
    await client.payments.capture(session.payment?.id ?? "");
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => e.field).join();
    if (error instanceof RateLimitError) return String(error.retryAfter);
  }
  return page.next_cursor ?? rolled.secret_key;
}
export function handle(body: string, headers: Record<string, string>): number {
  const event: WebhookEvent = verifyWebhook(body, headers, ["whsec_a", "whsec_b"]);
  switch (event.type) {
    case "checkout_session.completed":
      return event.data.object.amount ?? 0;
    case "charge.declined":
      return event.data.charge_id.length;
    case "payment.succeeded":
      return event.data.object.amount;
    default:
      return 0;
  }
}
`,
      "es2022",
    );
    expect(good.error).toBeUndefined();
    expect(`${good.stdout}${good.stderr}`).toBe("");
    expect(good.status).toBe(0);

    // With the DOM's types (or Node's, Workers', Deno's), the runtime's own fetch fits as it is.
    const dom = typecheck(
      "dom.ts",
      `import { EdgeCheckout, verifyWebhook } from "edge-checkout/client";
export const plain = new EdgeCheckout({ secretKey: "sk_test_x", baseUrl: "https://c.example", fetch });
export const wrapped = new EdgeCheckout({
  secretKey: "sk_test_x",
  baseUrl: "https://c.example",
  fetch: (url, init) => fetch(new Request(url, init)),
});
export const fromRequest = async (request: Request) =>
  verifyWebhook(await request.text(), request.headers, "whsec_a").id;
`,
      "es2022,dom",
    );
    expect(`${dom.stdout}${dom.stderr}`).toBe("");
    expect(dom.status).toBe(0);

    const bad = typecheck(
      "bad.ts",
      `import { EdgeCheckout, verifyWebhook } from "edge-checkout/client";
const client = new EdgeCheckout({ secretKey: "sk_test_x", baseUrl: "https://checkout.example" });
export const missing = client.checkoutSessions.create({ amount: 1050 });
export const wrongStatus = client.checkoutSessions.list({ status: "DONE" });
const event = verifyWebhook("", {}, "whsec_a");
export const notOnASession = event.type === "checkout_session.completed" ? event.data.charge_id : null;
`,
      "es2022",
    );
    expect(bad.error).toBeUndefined(); // tsc ran, and then reported errors
    const reported = String(bad.stdout);
    expect(reported).toMatch(/bad\.ts\(3,\d+\): error TS\d+: .*currency/);
    expect(reported).toMatch(/bad\.ts\(4,\d+\): error TS\d+: .*"DONE"/);
    expect(reported).toMatch(/bad\.ts\(6,\d+\): error TS\d+: .*charge_id/);
  }, 60_000);

  it("README's example type-checks as written, and runs", async () => {
    const example = readmeExample();
    const checked = typecheck("readme.ts", example, "es2022,dom");
    expect(`${checked.stdout}${checked.stderr}`).toBe("");
    expect(checked.status).toBe(0);

    // Run against a stand-in for the service, then hand its handler a signed delivery.
    const server: Server = createServer((_request, response) => {
      response.writeHead(201, { "content-type": "application/json" });
      const session = { id: "cs_r", status: "PENDING", url: "http://x/pay", token: "cs_r.t" };
      response.end(JSON.stringify({ checkout_session: session }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const secret = `whsec_${Buffer.from("a readme secret, thirty-two bytes").toString("base64")}`;
    const body = JSON.stringify({
      type: "payment.succeeded",
      metadata: { order_id: "ord_123" },
      data: { object: { amount: 1050 } },
    });
    const signature = new Webhook(secret).sign("evt_r", new Date(), body);
    const deliver = `
const delivery = new Request("http://shop.example/hooks", {
  method: "POST",
  body: ${JSON.stringify(body)},
  headers: { "webhook-id": "evt_r", "webhook-timestamp": "${Math.floor(Date.now() / 1000)}", "webhook-signature": "${signature}" },
});
console.log((await handleWebhook(delivery, "${secret}")).status);
console.log((await handleWebhook(new Request("http://shop.example/hooks", { method: "POST", body: "{}" }), "${secret}")).status);
`;
    const program = example.replace("http://127.0.0.1:8787", `http://127.0.0.1:${port}`);
    // Node 22 runs TypeScript by erasing its types, as the example has only annotations.
    writeFileSync(join(consumerDir, "readme-run.ts"), `${program}${deliver}`);
    try {
      const { stdout } = await run(process.execPath, ["readme-run.ts"], { cwd: consumerDir, env });
      expect(stdout.trim().split("\n")).toEqual([
        "PENDING http://x/pay?token=cs_r.t",
        "paid ord_123 1050",
        "204",
        "400",
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});
