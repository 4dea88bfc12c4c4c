/**
 * Sends fuzzed requests to the Worker's real fetch handler and checks every answer: no 5xx;
 * every 4xx a problem+json with a stable `code` (a page route may answer a 4xx as a page);
 * `request-id` on every answer; JSON that says it is JSON; and, for a rejection, no change to
 * any state the world watches. Tallies the figures and keeps the first violations with a
 * request that reproduces them.
 */
import { exports } from "cloudflare:workers";
import type { FuzzCase } from "./fuzz-case.js";
import { describe, REQUEST_TIMEOUT_MS, requestOf, timed } from "./fuzz-request.js";
import { BASELINE_SETTINGS, TARGETS, type Target, targetOf, type World } from "./fuzz-world.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** `npm run fuzz`'s FUZZ_RUNS (0: the default), and FUZZ_SEED to replay a run (vitest.config.ts). */
    fuzzRuns: number;
    fuzzSeed: number;
  }
  export interface TaskMeta {
    /** A fuzz run's figures, in the JSON report (`npm run fuzz`: .fuzz/report.json). */
    fuzz?: Figures & { seed: number; runs: number };
  }
}

/** A stable code: lower-case words joined by `_`, never text made of the input. */
const CODE = /^[a-z][a-z0-9_]{1,63}$/;
/** Where a 4xx may be a page for a person rather than a problem for a program. */
const PAGE_PATHS = /^\/(pay|embed|demo|sandbox)(\/|$)/;

export interface Violation {
  kind:
    | "5xx"
    | "no-problem"
    | "state-changed"
    | "no-request-id"
    | "bad-json"
    | "hang"
    | "unknown-parameter-taken"
    | "redirect-without-location";
  route: string;
  status: number;
  request: string;
  answer: string;
}

export interface Figures {
  requests: number;
  setupRequests: number;
  accepted: number;
  rejected: number;
  fiveXX: number;
  rejectionsWithoutCode: number;
  stateChanges: number;
  throttled: number;
  /** Rejections past the route's credentials: what validation and the session decided. */
  pastAuth: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  routes: Record<string, number>;
  durationMs: number;
}

const AUTH_CODES = new Set([
  "missing_api_key",
  "invalid_api_key",
  "missing_timestamp",
  "missing_signature",
  "invalid_timestamp",
  "stale_timestamp",
  "invalid_signature",
  "invalid_token",
  "route_not_found",
  "rate_limited",
]);

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** A checkout session's id, as a create answers it. */
const SESSION_ID = /^cs_[0-9a-f]{64}$/;

/** Rejections between two reads of every target's object (see `World.snapshot`). */
const FULL_LOOK_EVERY = 20;

/** The targets whose ids or tokens a case carries, in its path, query or credentials. */
function targetsNamed(c: FuzzCase): Target[] {
  const parts = [...c.path, ...c.query.map(([, value]) => value)];
  if (c.auth.kind === "payer") parts.push(c.auth.token);
  const named = parts.flatMap((part) => (typeof part === "string" ? [] : [targetOf(part.ref)]));
  return TARGETS.filter((target) => named.includes(target));
}

/** The parts of an accepted answer that tell what it used up. */
interface Answer {
  object?: unknown;
  /** A session it made: the checkout API's create, or StableMint's (`reference`). */
  checkout_session?: { id?: unknown };
  reference?: unknown;
  secret_key?: unknown;
  merchant?: Record<string, unknown>;
  webhook_endpoint?: { id?: unknown; secret?: unknown };
}

/** The figures and violations of every lane of a run. */
export class Tally {
  readonly violations: Violation[] = [];
  readonly figures: Figures = {
    requests: 0,
    setupRequests: 0,
    accepted: 0,
    rejected: 0,
    fiveXX: 0,
    rejectionsWithoutCode: 0,
    stateChanges: 0,
    throttled: 0,
    pastAuth: 0,
    statuses: {},
    codes: {},
    routes: {},
    durationMs: 0,
  };
  private readonly started = Date.now();

  record(kind: Violation["kind"], c: FuzzCase, request: string, status: number, answer: string) {
    if (kind === "5xx") this.figures.fiveXX++;
    if (kind === "no-problem") this.figures.rejectionsWithoutCode++;
    if (kind === "state-changed") this.figures.stateChanges++;
    if (this.violations.length < 50) {
      this.violations.push({ kind, route: c.route, status, request, answer: answer.slice(0, 800) });
    }
  }

  finish(worlds: readonly World[]): Figures {
    this.figures.setupRequests = worlds.reduce((sum, world) => sum + world.setupRequests, 0);
    this.figures.durationMs = Date.now() - this.started;
    return this.figures;
  }
}

/** One lane: a world of its own, its requests one after another (the state check needs that). */
export class Harness {
  private before: { digest: string; statuses: Record<string, string> } | undefined;
  private sinceFullLook = 0;

  constructor(
    private readonly world: World,
    private readonly tally: Tally,
  ) {}

  private get figures(): Figures {
    return this.tally.figures;
  }

  private record(
    kind: Violation["kind"],
    c: FuzzCase,
    request: string,
    status: number,
    answer: string,
  ) {
    this.tally.record(kind, c, request, status, answer);
  }

  /** Sends one case and checks its answer. */
  async run(c: FuzzCase): Promise<void> {
    this.before ??= await this.world.snapshot();
    const request = requestOf(this.world, c);
    const shown = describe(request, c);
    const response = await timed(exports.default.fetch(request));
    this.figures.requests++;
    bump(this.figures.routes, c.route);
    if (response === "timeout") {
      this.record("hang", c, shown, 0, `no answer in ${REQUEST_TIMEOUT_MS} ms`);
      return;
    }
    const body = await response.text();
    const { status } = response;
    // An answer to HEAD has its headers only: its type is all there is to check.
    const head = request.method === "HEAD";
    bump(this.figures.statuses, String(status));
    const type = response.headers.get("content-type") ?? "";
    let json: unknown;
    if (type.includes("json") && !head) {
      try {
        json = JSON.parse(body);
      } catch {
        this.record("bad-json", c, shown, status, body);
      }
    }
    if (status >= 500) this.record("5xx", c, shown, status, body);
    if (response.headers.get("request-id") === null)
      this.record("no-request-id", c, shown, status, body);
    if (status >= 400 && status < 500) {
      this.figures.rejected++;
      if (status === 429) this.figures.throttled++;
      const code = head
        ? type.startsWith("application/problem+json")
          ? "(head)"
          : null
        : problemCode(type, json, status);
      const page = type.startsWith("text/html") && PAGE_PATHS.test(new URL(request.url).pathname);
      if (code !== null) {
        bump(this.figures.codes, code);
        if (!AUTH_CODES.has(code)) this.figures.pastAuth++;
      } else if (!page) this.record("no-problem", c, shown, status, body);
      // The objects this request named; every one after each FULL_LOOK_EVERY rejections.
      this.sinceFullLook++;
      const full = this.sinceFullLook >= FULL_LOOK_EVERY;
      if (full) this.sinceFullLook = 0;
      const after = await this.world.snapshot(full ? TARGETS : targetsNamed(c));
      if (after.digest !== this.before.digest) {
        this.record(
          "state-changed",
          c,
          shown,
          status,
          `${body}\n${diff(this.before.digest, after.digest)}`,
        );
      }
      this.before = after;
    } else if (status < 500) {
      this.figures.accepted++;
      // A list (the answer says so) that took a parameter it does not name.
      const params = c.params;
      const list = (json as { object?: unknown } | undefined)?.object === "list";
      if (list && params !== null && c.query.some(([name]) => !params.includes(name))) {
        this.record("unknown-parameter-taken", c, shown, status, body);
      }
      if (status >= 300 && status < 400 && response.headers.get("location") === null) {
        this.record("redirect-without-location", c, shown, status, body);
      }
      await this.afterAccepted(c, json);
    }
  }

  /** An accepted request may have used the world up: follow a key roll, undo settings, refill. */
  private async afterAccepted(c: FuzzCase, json: unknown): Promise<void> {
    const world = this.world;
    const answer: Answer = typeof json === "object" && json !== null ? json : {};
    // Whose key it was: the fuzz merchant's, or the other merchant's (its own settings).
    const as =
      c.auth.kind === "bearer" && c.auth.who === "foreign" ? world.foreign : world.merchant;
    if (answer.object === "secret_key" && typeof answer.secret_key === "string") {
      as.key = answer.secret_key;
    }
    const merchant = answer.merchant;
    if (merchant?.object === "merchant") {
      const changed = Object.entries(BASELINE_SETTINGS).some(
        ([field, value]) => JSON.stringify(merchant[field]) !== JSON.stringify(value),
      );
      if (changed) await world.api("PATCH", "/v1/merchant", BASELINE_SETTINGS, as);
    }
    const created = answer.webhook_endpoint;
    if (typeof created?.secret === "string" && created.id !== world.ref("endpoint.id")) {
      await world.api("DELETE", `/v1/webhook-endpoints/${created.id}`, undefined, as);
    }
    // A session it made counts from this baseline on (the snapshot waits for D1 to have it).
    const made = answer.checkout_session?.id ?? answer.reference;
    if (typeof made === "string" && SESSION_ID.test(made)) world.made(made);
    // The new baseline. The object answers once its own storage has the change; D1's
    // projections follow from its alarm, and the snapshot waits for them.
    let now = await world.snapshot();
    if (await world.replenish(now.statuses)) now = await world.snapshot();
    this.before = now;
  }
}

/** The `code` of an RFC 9457 problem whose `status` matches, or null when it is not one. */
function problemCode(type: string, json: unknown, status: number): string | null {
  if (!type.startsWith("application/problem+json")) return null;
  if (typeof json !== "object" || json === null) return null;
  const problem = json as { code?: unknown; status?: unknown };
  if (typeof problem.code !== "string" || !CODE.test(problem.code)) return null;
  return problem.status === status ? problem.code : null;
}

/** Where two digests first part, for a violation's message. */
function diff(before: string, after: string): string {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  return `state before: …${before.slice(Math.max(0, i - 80), i + 200)}\nstate after:  …${after.slice(Math.max(0, i - 80), i + 200)}`;
}
