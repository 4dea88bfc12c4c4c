/**
 * No card data anywhere. The service as README starts it (`npm start`, test/e2e/service.ts) on a
 * persistence directory of this test's own pays with every sandbox test card README lists, in
 * both dialects and through every way a payer pays (the token API, the hosted page's cookie, the
 * embedded frame's `Authorization: Token`), with two webhook endpoints receiving every event.
 * Then, with the runtime killed (so the write-ahead logs stay as they are), it searches every
 * byte it can reach for the card numbers and CVCs it used: every file of the persistence (each
 * SQLite database with its -wal and -shm, and everything else there), wrangler's log files, the
 * service's stdout and stderr, every response body and header, every webhook body and header.
 *
 * A card number is searched as digits, as typed (spaces, dashes), form-encoded, as its first 12
 * digits (a leak that masks only the end), in UTF-16 and in base64. Each payment has its own
 * 3-digit CVC (every sandbox card is a Visa, whose code static/card.js holds to 3 digits), none
 * a substring of a test card, an amount, a year, a port or an HTTP status, searched as a JSON or
 * form value (`"cvc":"918"`, `cvc=918`, `cvc:918`, escaped JSON)
 * and raw when it stands alone (not inside a longer run of letters, digits or dashes, and not
 * after a colon, dot or underscore, so that a UUID's group or a timestamp's digits are not taken for it). Any match fails the test and names
 * where it was found.
 */
import { CARDS } from "../support/cards.js";
import "../support/figures.js";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, expect, it } from "vitest";
import { type Received, startReceiver } from "../support/webhook-receiver.js";
import { type Service, startService } from "./service.js";

const running: Service[] = [];
const receiver = await startReceiver();

afterAll(async () => {
  await Promise.all(running.map((service) => service.kill()));
  await receiver.close();
});

/** How a payer may type a number: grouped by spaces or dashes (the API strips both). */
const spaced = (n: string) => n.replace(/(\d{4})(?=\d)/g, "$1 ");
const dashed = (n: string) => n.replace(/(\d{4})(?=\d)/g, "$1-");

/** One CVC per payment, so a match says which payment leaked. */
const CVCS = [
  "918",
  "827",
  "639",
  "746",
  "582",
  "395",
  "264",
  "173",
  "481",
  "527",
  "693",
  "705",
  "318",
  "864",
  "593",
  "426",
  "731",
  "946",
] as const;
let nextCvc = 0;
const usedCvcs: string[] = [];
const usedNumbers = new Set<string>();

/** A card as the payer's page sends it: the number as typed, a CVC of its own. */
function cardAs(typed: string) {
  const cvc = CVCS[nextCvc++];
  if (cvc === undefined) throw new Error("more payments than CVCs");
  usedCvcs.push(cvc);
  usedNumbers.add(typed.replace(/\D/g, ""));
  return { type: "card", card: { number: typed, exp_month: 12, exp_year: 2031, cvc } };
}

const PAYER = { name: "Ada Lovelace", email: "ada@example.com" };

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON came back
  json: any;
}

/** Every answer the service gave this test: status line, headers and body. */
const answers: string[] = [];
/** Every body this test sent: where the card data is, to prove the search finds it. */
const sent: string[] = [];

async function request(
  service: Service,
  method: string,
  path: string,
  options: { json?: unknown; form?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = path.startsWith("http") ? path : `${service.origin}${path}`;
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = options.form;
  }
  if (body !== undefined) sent.push(body);
  const response = await fetch(url, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  answers.push(`${response.status} ${url}\n${[...response.headers].join("\n")}\n\n${text}`);
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: isJson ? JSON.parse(text) : null,
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

interface Needle {
  what: string;
  /** Exact bytes to look for (latin1 view of the haystack), or a pattern. */
  find: string | RegExp;
}

function needles(): Needle[] {
  const found: Needle[] = [];
  for (const digits of usedNumbers) {
    const forms = new Set([
      digits,
      spaced(digits),
      dashed(digits),
      spaced(digits).replaceAll(" ", "+"),
      spaced(digits).replaceAll(" ", "%20"),
      digits.slice(0, 12),
    ]);
    for (const form of forms)
      found.push({ what: `card number ${digits} as "${form}"`, find: form });
    found.push({
      what: `card number ${digits} in UTF-16`,
      find: Buffer.from(digits, "utf16le").toString("latin1"),
    });
    // Base64 of the digits wherever they start in the encoded text (three alignments), minus
    // the characters at the edges that depend on what surrounds them.
    for (const shift of [0, 1, 2]) {
      const encoded = Buffer.from("x".repeat(shift) + digits).toString("base64");
      const start = Math.ceil((shift * 4) / 3) + 1;
      const end = Math.floor(((shift + digits.length) * 4) / 3) - 1;
      found.push({ what: `card number ${digits} in base64`, find: encoded.slice(start, end) });
    }
  }
  for (const cvc of usedCvcs) {
    for (const form of [
      `"cvc":"${cvc}"`,
      `"cvc": "${cvc}"`,
      `\\"cvc\\":\\"${cvc}\\"`,
      `"cvc":${cvc}`,
      `cvc=${cvc}`,
      `cvc:${cvc}`,
      `cvc: ${cvc}`,
    ]) {
      found.push({ what: `CVC ${cvc} as ${form}`, find: form });
    }
    found.push({
      what: `CVC ${cvc} standing alone`,
      // Not after a colon, dot or underscore: times make 3-digit runs as often as chance ("22:25:58"
      // then row 2 in D1's migrations table; a log file's "_23-33-44_527.log"; "0.527 s"); the
      // forms above (the JSON value, `cvc:`) are how a CVC would follow a colon.
      find: new RegExp(`(?<![0-9A-Za-z:._-])${cvc}(?![0-9A-Za-z-])`, "g"),
    });
  }
  return found;
}

interface Match {
  where: string;
  what: string;
  context: string;
}

function search(where: string, haystack: string, all: Needle[]): Match[] {
  const matches: Match[] = [];
  const context = (at: number) => JSON.stringify(haystack.slice(Math.max(0, at - 60), at + 60));
  for (const needle of all) {
    if (typeof needle.find === "string") {
      for (
        let at = haystack.indexOf(needle.find);
        at !== -1;
        at = haystack.indexOf(needle.find, at + 1)
      ) {
        matches.push({ where, what: needle.what, context: context(at) });
      }
    } else {
      for (const hit of haystack.matchAll(needle.find)) {
        matches.push({ where, what: needle.what, context: context(hit.index) });
      }
    }
  }
  return matches;
}

it("keeps no card number or CVC in storage, logs, answers or webhooks after paying with every test card", async ({
  task,
}) => {
  const started = Date.now();
  const persistTo = mkdtempSync(join(tmpdir(), "edge-checkout-cards-"));
  const logs = mkdtempSync(join(tmpdir(), "edge-checkout-cards-logs-"));
  // wrangler's own debug log files, in a directory of this test's, searched too.
  process.env.WRANGLER_LOG_PATH = logs;
  // A short provider watchdog, so the silent card completes in seconds rather than 30.
  const service = await startService({ persistTo, vars: { PROVIDER_TIMEOUT_MS: "2000" } });
  running.push(service);
  const merchant = { authorization: "Bearer sk_test_sandbox" };
  const sameOrigin = { origin: service.origin, "sec-fetch-site": "same-origin" };
  const returnUrl = `${service.origin}/demo/return`;

  // Two endpoints: one for every event, one for a few; both receive real bodies.
  for (const [hook, events] of [
    ["every", undefined],
    ["some", ["checkout_session.completed", "payment.failed", "charge.declined"]],
  ] as const) {
    const endpoint = await request(service, "POST", "/v1/webhook-endpoints", {
      headers: merchant,
      json: { url: `${receiver.url}/hooks/cards-${hook}`, ...(events && { events }) },
    });
    expect(endpoint.status).toBe(201);
  }

  const sessions: string[] = [];
  async function create(extra: Record<string, unknown> = {}) {
    const created = await request(service, "POST", "/v1/checkout-sessions", {
      headers: merchant,
      json: { amount: 1250, currency: "EUR", return_url: returnUrl, ...extra },
    });
    expect(created.status).toBe(201);
    sessions.push(created.json.checkout_session.id);
    return created.json.checkout_session as { id: string; token: string };
  }
  const viaToken = (token: string, typed: string) =>
    request(service, "POST", `/v1/checkout-sessions/token/${token}/confirm`, {
      json: { payment_method: cardAs(typed), payer: PAYER },
    });

  /** Approves or denies a 3-D Secure challenge on its sandbox page, and comes back. */
  async function challenge(url: string, decision: "approve" | "deny", headers = {}) {
    const page = await request(service, "GET", url, { headers });
    expect(page.status).toBe(200);
    const decided = await request(service, "POST", url, { form: `decision=${decision}`, headers });
    expect(decided.status).toBe(303);
    const back = await request(service, "GET", decided.headers.get("location") ?? "", { headers });
    expect([200, 303]).toContain(back.status);
  }

  // The checkout API's token API, each card, typed in each way.
  const paid = await create();
  expect((await viaToken(paid.token, spaced(CARDS.success))).json.checkout_session.status).toBe(
    "COMPLETED",
  );

  const manual = await create({ capture_method: "manual" });
  const authorized = await viaToken(manual.token, CARDS.success);
  expect(authorized.json.confirmResult.payment.status).toBe("AUTHORIZED");
  const paymentId = authorized.json.confirmResult.payment.id;
  const captured = await request(service, "POST", `/v1/payments/${paymentId}/capture`, {
    headers: merchant,
  });
  expect(captured.json.payment.status).toBe("SUCCEEDED");

  const retried = await create();
  const declined = await viaToken(retried.token, dashed(CARDS.declined));
  expect(declined.json.checkout_session.status).toBe("PENDING");
  expect((await viaToken(retried.token, CARDS.success)).json.checkout_session.status).toBe(
    "COMPLETED",
  );

  const failed = await create();
  for (const typed of [CARDS.declined, spaced(CARDS.declined), dashed(CARDS.declined)]) {
    await viaToken(failed.token, typed);
  }

  const approved = await create();
  const challenged = await viaToken(approved.token, CARDS.challenge);
  expect(challenged.json.confirmResult.paymentNextAction.type).toBe("redirect_user_to_url");
  await challenge(challenged.json.confirmResult.paymentNextAction.url, "approve");

  const denied = await create();
  const denying = await viaToken(denied.token, spaced(CARDS.challenge));
  await challenge(denying.json.confirmResult.paymentNextAction.url, "deny");

  const fallback = await create();
  const fellBack = await viaToken(fallback.token, dashed(CARDS.fallback));
  expect(fellBack.json.checkout_session.status).toBe("COMPLETED");

  const silent = await create();
  expect((await viaToken(silent.token, CARDS.silent)).json.checkout_session.status).toBe(
    "PROCESSING",
  );

  // The hosted page: the token link is traded for the cookie, the page's script pays.
  const hosted = await create();
  const link = await request(service, "GET", `/pay/${hosted.token}`);
  const cookie = (link.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(cookie).toMatch(/^ec_payer=/);
  await request(service, "GET", `/pay/${hosted.id}`, { headers: { cookie } });
  const hostedPaid = await request(service, "POST", `/pay/${hosted.id}/confirm`, {
    headers: { cookie, ...sameOrigin },
    json: { payment_method: cardAs(dashed(CARDS.success)), payer: PAYER },
  });
  expect(hostedPaid.json.checkout_session.status).toBe("COMPLETED");

  // The embedded frame: the token from its fragment, sent as `Authorization: Token`; 3-D
  // Secure in the frame of its own.
  const embedded = await create();
  const frame = { authorization: `Token ${embedded.token}` };
  await request(service, "GET", `/embed/${embedded.id}`);
  const framed = await request(service, "POST", `/pay/${embedded.id}/confirm`, {
    headers: frame,
    json: { payment_method: cardAs(spaced(CARDS.challenge)), payer: PAYER },
  });
  expect(framed.json.next_action.type).toBe("redirect_user_to_url");
  await challenge(framed.json.next_action.url, "approve", { "sec-fetch-dest": "iframe" });

  // The StableMint dialect: hosted (its `url` sets the cookie) and embedded (its `sessionId`).
  const { createHash } = await import("node:crypto");
  async function stablemint(flow: "hosted" | "embedded") {
    const userId = `user-${crypto.randomUUID()}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHash("sha256")
      .update(`${timestamp},sk_test_sandbox,${userId}`)
      .digest("hex");
    const shop = `${service.origin}/demo`;
    const created = await request(service, "POST", `/session/${flow}`, {
      headers: { api_key: "pk_test_sandbox", timestamp, signature },
      json: {
        userId,
        userEmail: "ada@example.com",
        userCountryCode: "DE",
        currency: "EUR",
        amount: 5.5,
        ...(flow === "hosted" && {
          successUrl: `${shop}/success`,
          supportUrl: `${shop}/support`,
          exitUrl: `${shop}/exit`,
          errorUrl: `${shop}/error`,
        }),
      },
    });
    expect(created.status, created.text).toBe(200);
    sessions.push(created.json.reference);
    return created.json;
  }
  const smHosted = await stablemint("hosted");
  const smLink = await request(service, "GET", smHosted.url);
  const smCookie = (smLink.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const smPaid = await request(service, "POST", `/pay/${smHosted.reference}/confirm`, {
    headers: { cookie: smCookie, ...sameOrigin },
    json: { payment_method: cardAs(CARDS.success), payer: PAYER },
  });
  expect(smPaid.json.checkout_session.status).toBe("COMPLETED");

  const smEmbedded = await stablemint("embedded");
  const smFrame = { authorization: `Token ${smEmbedded.sessionId}` };
  await request(service, "GET", `/embed/${smEmbedded.sessionId}`);
  const smDeclined = await request(service, "POST", `/pay/${smEmbedded.reference}/confirm`, {
    headers: smFrame,
    json: { payment_method: cardAs(dashed(CARDS.declined)), payer: PAYER },
  });
  expect(smDeclined.json.checkout_session.status).toBe("PENDING");
  const smFallback = await request(service, "POST", `/pay/${smEmbedded.reference}/confirm`, {
    headers: smFrame,
    json: { payment_method: cardAs(spaced(CARDS.fallback)), payer: PAYER },
  });
  expect(smFallback.json.checkout_session.status).toBe("COMPLETED");

  // The silent card completes once the watchdog asks its provider.
  const watched = await until(
    () => request(service, "GET", `/v1/checkout-sessions/${silent.id}`, { headers: merchant }),
    (answer) => answer.json.checkout_session.status === "COMPLETED",
    30_000,
  );
  expect(watched.json.checkout_session.status).toBe("COMPLETED");

  // Every event delivered, then read back as the merchant reads it: events with their exact
  // bodies, sessions with payments and charges, journals.
  const settled = await until(
    () =>
      request(service, "GET", "/v1/events?delivery_status=pending&limit=100", {
        headers: merchant,
      }),
    (answer) => answer.json.data.length === 0,
    60_000,
  );
  expect(settled.json.data).toEqual([]);
  const events = await request(service, "GET", "/v1/events?limit=100", { headers: merchant });
  for (const event of events.json.data as Array<{ id: string }>) {
    await request(service, "GET", `/v1/events/${event.id}`, { headers: merchant });
  }
  for (const id of sessions) {
    const read = await request(service, "GET", `/v1/checkout-sessions/${id}`, {
      headers: merchant,
    });
    await request(service, "GET", `/v1/checkout-sessions/${id}/journal`, { headers: merchant });
    const payment = read.json.checkout_session.payment;
    if (payment !== null) {
      await request(service, "GET", `/v1/payments/${payment.id}`, { headers: merchant });
    }
  }
  await request(service, "GET", "/v1/checkout-sessions?limit=100", { headers: merchant });

  const webhooks: Received[] = [];
  for (const hook of ["every", "some"]) {
    const log: Received[] = await (await fetch(`${receiver.url}/log/cards-${hook}`)).json();
    webhooks.push(...log);
  }
  expect(webhooks.length).toBeGreaterThan(30);

  // Killed, not stopped: what is in the write-ahead logs stays there to be read.
  await service.kill();

  const all = needles();
  const matches: Match[] = [];
  let files = 0;
  let bytes = 0;
  const perRoot: string[] = [];
  const databases: string[] = [];
  for (const [root, label] of [
    [persistTo, "persistence"],
    [logs, "wrangler logs"],
  ] as const) {
    perRoot.push(`${label} ${filesUnder(root).length}`);
    for (const file of filesUnder(root)) {
      const content = readFileSync(file);
      files += 1;
      bytes += statSync(file).size;
      if (/\.sqlite(-wal|-shm)?$/.test(file)) databases.push(relative(root, file));
      matches.push(...search(`${label}: ${relative(root, file)}`, content.toString("latin1"), all));
    }
  }
  matches.push(...search("service output", service.output(), all));
  answers.forEach((answer, i) => {
    matches.push(...search(`response #${i + 1}`, answer, all));
  });
  webhooks.forEach((received, i) => {
    const text = `${JSON.stringify(received.headers)}\n${received.body}`;
    matches.push(...search(`webhook #${i + 1}`, text, all));
  });

  const outputBytes = Buffer.byteLength(service.output());
  const responseBytes = answers.reduce((sum, answer) => sum + Buffer.byteLength(answer), 0);
  const webhookBytes = webhooks.reduce((sum, w) => sum + Buffer.byteLength(w.body), 0);
  console.log(
    [
      "no-card-data scan:",
      `  ${usedNumbers.size} card numbers (${[...usedNumbers].join(", ")}), ${usedCvcs.length} CVCs, ${all.length} patterns`,
      `  ${files} files (${perRoot.join(", ")}), ${bytes} bytes; ${databases.length} SQLite files incl. -wal/-shm, ${databases.filter((d) => d.endsWith("-wal")).length} of them WAL`,
      `  service output ${outputBytes} bytes`,
      `  ${answers.length} responses, ${responseBytes} bytes`,
      `  ${webhooks.length} webhook bodies, ${webhookBytes} bytes`,
      `  ${sessions.length} sessions, ${matches.length} matches, ${Date.now() - started} ms`,
    ].join("\n"),
  );

  task.meta.figures = {
    cardNumbers: usedNumbers.size,
    cvcs: usedCvcs.length,
    files,
    bytes,
    responses: answers.length,
    webhookBodies: webhooks.length,
    matches: matches.length,
  };
  expect(usedNumbers).toEqual(new Set(Object.values(CARDS)));
  expect(databases.some((file) => file.endsWith("-wal"))).toBe(true);
  expect(matches).toEqual([]);

  // The search finds card data where it is: in what the test sent, every number as typed and
  // every CVC as a JSON value and standing alone; in a leak's other encodings too.
  const inRequests = search("requests", sent.join("\n"), all).map((match) => match.what);
  for (const digits of usedNumbers) {
    expect(inRequests.some((what) => what.startsWith(`card number ${digits} as`))).toBe(true);
    const leaked = JSON.stringify({ number: digits });
    for (const encoded of [
      Buffer.from(leaked).toString("base64"),
      Buffer.from(` ${leaked}`).toString("base64"),
      Buffer.from(leaked, "utf16le").toString("latin1"),
    ]) {
      expect(search("control", encoded, all).length).toBeGreaterThan(0);
    }
  }
  for (const cvc of usedCvcs) {
    expect(inRequests).toContain(`CVC ${cvc} as "cvc":"${cvc}"`);
    expect(inRequests).toContain(`CVC ${cvc} standing alone`);
  }
  // And the files it searched hold the sessions' data in the clear: the payer's email is there.
  const stored = filesUnder(persistTo).map((file) => readFileSync(file).toString("latin1"));
  expect(stored.some((content) => content.includes("ada@example.com"))).toBe(true);
  // Kept for a look when anything above failed; gone when all is well.
  for (const dir of [persistTo, logs]) rmSync(dir, { recursive: true, force: true });
});
