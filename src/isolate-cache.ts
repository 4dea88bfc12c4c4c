/**
 * A small per-isolate cache of what D1 says about a merchant (30 s by default, 1,000 entries), so warm
 * requests and alarms read no D1. Entries are forgotten by merchant id the moment this isolate
 * changes what they hold; other isolates see a change within the TTL.
 */
export class IsolateCache<V extends { id: string }> {
  static readonly SIZE = 1_000;
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(private readonly ttlMs = 30_000) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.until > now ? entry.value : undefined;
  }

  set(key: string, value: V, now: number): void {
    this.entries.delete(key);
    // Oldest first in a Map: past the size, the least recently fetched entry goes.
    if (this.entries.size >= IsolateCache.SIZE) {
      this.entries.delete(this.entries.keys().next().value ?? "");
    }
    this.entries.set(key, { value, until: now + this.ttlMs });
  }

  forget(merchantId: string): void {
    for (const [key, { value }] of this.entries)
      if (value.id === merchantId) this.entries.delete(key);
  }
}
