/**
 * A circuit breaker per merchant and provider, kept where every Worker sees it: one Durable
 * Object each (`PROVIDER_HEALTH`). A provider that failed retryably (it said it did nothing: a
 * 503, a 429 it would not wait out) `CIRCUIT_FAILURES` times within `CIRCUIT_WINDOW_MS` is
 * skipped for `CIRCUIT_COOLDOWN_MS`: the charge fails at once with `provider_circuit_open` and
 * the session falls back to the next provider. After the cool-down one charge is let through as
 * a trial: its success closes the circuit, a failure opens it again.
 *
 * Only answers that prove the provider did nothing count; a timeout or an unclear answer does
 * not (the watchdog settles those, and the provider may have charged).
 */
import { DurableObject } from "cloudflare:workers";

export type Admission = { admitted: true; trial: boolean } | { admitted: false; reason: string };

interface Circuit {
  failures: number[];
  openUntil: number | null;
  /** A trial charge is out: others wait for its answer. */
  trialSince: number | null;
}

interface Settings {
  failures: number;
  windowMs: number;
  cooldownMs: number;
}

function settingsOf(env: Env): Settings {
  return {
    failures: Number(env.CIRCUIT_FAILURES ?? 5),
    windowMs: Number(env.CIRCUIT_WINDOW_MS ?? 60_000),
    cooldownMs: Number(env.CIRCUIT_COOLDOWN_MS ?? 30_000),
  };
}

export class ProviderHealth extends DurableObject<Env> {
  private circuit: Circuit = this.ctx.storage.kv.get<Circuit>("circuit") ?? {
    failures: [],
    openUntil: null,
    trialSince: null,
  };

  /** May a charge go to this provider now? */
  admit(provider: string): Admission {
    const { cooldownMs } = settingsOf(this.env);
    const now = Date.now();
    const { openUntil, trialSince } = this.circuit;
    if (openUntil === null) return { admitted: true, trial: false };
    // A trial that never reported back (its isolate died) does not hold the circuit for ever.
    const trialOut = trialSince !== null && now - trialSince < cooldownMs;
    if (now < openUntil || trialOut) {
      const until = new Date(Math.max(openUntil, (trialSince ?? 0) + cooldownMs)).toISOString();
      const { windowMs } = settingsOf(this.env);
      const reason = `Skipped: ${provider} failed ${this.circuit.failures.length} times within ${windowMs / 1000} s; it is tried again after ${until}.`;
      return { admitted: false, reason };
    }
    this.save({ ...this.circuit, trialSince: now });
    return { admitted: true, trial: true };
  }

  /**
   * A charge's answer: `failed` when the provider said it did nothing; `answered` (told only
   * for a trial) when it took the charge in hand, which closes the circuit.
   */
  record(answer: "failed" | "answered"): void {
    const settings = settingsOf(this.env);
    const now = Date.now();
    if (answer === "answered") {
      this.save({ failures: [], openUntil: null, trialSince: null });
      return;
    }
    const failures = [...this.circuit.failures.filter((t) => now - t < settings.windowMs), now];
    const trial = this.circuit.trialSince !== null;
    const open = trial || failures.length >= settings.failures;
    this.save({
      failures,
      openUntil: open ? now + settings.cooldownMs : this.circuit.openUntil,
      trialSince: null,
    });
  }

  private save(circuit: Circuit): void {
    this.circuit = circuit;
    this.ctx.storage.kv.put("circuit", circuit);
  }
}

export const providerHealth = (env: Env, merchantId: string, provider: string) =>
  env.PROVIDER_HEALTH.get(env.PROVIDER_HEALTH.idFromName(`${merchantId}:${provider}`));

/** Circuits this isolate saw closed lately, by key: asked again after a second. */
const seenClosed = new Map<string, number>();
const CLOSED_FOR_MS = 1_000;

/**
 * Whether a charge may go to the provider: a closed circuit is believed for a second in this
 * isolate, so a busy merchant's charges do not each ask; an open one is asked every time.
 */
export async function admission(env: Env, merchantId: string, provider: string) {
  const key = `${merchantId}:${provider}`;
  if ((seenClosed.get(key) ?? 0) > Date.now()) return { admitted: true, trial: false } as const;
  const admitted = await providerHealth(env, merchantId, provider).admit(provider);
  if (admitted.admitted && !admitted.trial) seenClosed.set(key, Date.now() + CLOSED_FOR_MS);
  else seenClosed.delete(key);
  return admitted;
}

/** Tells the circuit what a charge's call came to, when that matters to it. */
export async function recordAnswer(
  env: Env,
  merchantId: string,
  provider: string,
  trial: boolean,
  outcome: { type: string; code?: string },
) {
  const outage = outcome.type === "failed" && isOutage(outcome.code ?? "");
  if (outage) seenClosed.delete(`${merchantId}:${provider}`);
  // Only a provider that took the charge in hand closes a trial; unclear answers prove nothing.
  const answered = outcome.type !== "failed" && outcome.type !== "silent";
  if (outage || (trial && answered)) {
    await providerHealth(env, merchantId, provider).record(outage ? "failed" : "answered");
  }
}

/** The failures that prove a provider did nothing: what opens its circuit. */
export const isOutage = (code: string) =>
  code === "provider_unavailable" || code === "provider_rate_limited";
