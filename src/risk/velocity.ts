/**
 * Velocity counters for the risk rules: one Durable Object per merchant (`RISK_COUNTERS`), so
 * every Worker counts into the same place. It keeps, per key (a keyed hash of a card, an email or
 * a client address: never the thing itself), when each confirm was seen, for one window.
 */
import { DurableObject } from "cloudflare:workers";
import { VELOCITY_WINDOW_MS } from "../core/risk.js";

export class RiskCounters extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS confirms (key TEXT NOT NULL, at INTEGER NOT NULL);
       CREATE INDEX IF NOT EXISTS confirms_by_key ON confirms (key, at);
       CREATE INDEX IF NOT EXISTS confirms_by_age ON confirms (at);`,
    );
  }

  /** Counts one confirm under each key; answers each key's confirms in the window, this one included. */
  record(keys: string[]): number[] {
    const now = Date.now();
    const since = now - VELOCITY_WINDOW_MS;
    this.sql.exec("DELETE FROM confirms WHERE at <= ?", since);
    return keys.map((key) => {
      this.sql.exec("INSERT INTO confirms (key, at) VALUES (?, ?)", key, now);
      const row = this.sql
        .exec<{ n: number }>(
          "SELECT count(*) AS n FROM confirms WHERE key = ? AND at > ?",
          key,
          since,
        )
        .one();
      return row.n;
    });
  }
}

export const riskCounters = (env: Env, merchantId: string) =>
  env.RISK_COUNTERS.get(env.RISK_COUNTERS.idFromName(merchantId));
