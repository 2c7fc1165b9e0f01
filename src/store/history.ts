import type { JobRecord } from "../types.js";

/**
 * In-memory indexes over delivery-history jobs: by job id, and by channel, channel+event id and
 * channel+event name, each kept sorted by creation time so a search touches only its matches.
 */
export class HistoryIndex {
  private readonly byId = new Map<string, JobRecord>();
  private readonly byKey = new Map<string, JobRecord[]>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): JobRecord | undefined {
    return this.byId.get(id);
  }

  /** Adds a job, or updates the stored one in place when the id is known (status changes). */
  put(rec: JobRecord): JobRecord {
    const existing = this.byId.get(rec.job.id);
    if (existing) {
      Object.assign(existing.job, rec.job);
      return existing;
    }
    this.byId.set(rec.job.id, rec);
    for (const key of keysOf(rec)) insertSorted(this.bucket(key), rec);
    return rec;
  }

  /** Jobs of one channel (optionally one event id or name), oldest first. */
  byChannel(channelId: string, event?: string): readonly JobRecord[] {
    if (event === undefined) return this.byKey.get(`c\u0000${channelId}`) ?? [];
    const byEventId = this.byKey.get(`e\u0000${channelId}\u0000${event}`) ?? [];
    const byName = this.byKey.get(`n\u0000${channelId}\u0000${event}`) ?? [];
    if (byName.length === 0) return byEventId;
    if (byEventId.length === 0) return byName;
    const merged = new Set([...byEventId, ...byName]);
    return [...merged].sort((a, b) => a.job.creation_time_in_millis - b.job.creation_time_in_millis);
  }

  all(): IterableIterator<JobRecord> {
    return this.byId.values();
  }

  clear(): void {
    this.byId.clear();
    this.byKey.clear();
  }

  private bucket(key: string): JobRecord[] {
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    return list;
  }
}

function keysOf(rec: JobRecord): string[] {
  const keys = [`c\u0000${rec.ch}`, `e\u0000${rec.ch}\u0000${rec.job.event.id}`];
  if (rec.job.event.name) keys.push(`n\u0000${rec.ch}\u0000${rec.job.event.name}`);
  return keys;
}

function insertSorted(list: JobRecord[], rec: JobRecord): void {
  const t = rec.job.creation_time_in_millis;
  if (list.length === 0 || list[list.length - 1].job.creation_time_in_millis <= t) {
    list.push(rec);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].job.creation_time_in_millis <= t) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, rec);
}

/** Index of the first job created at or after `t` in a list sorted oldest first. */
export function lowerBound(list: readonly JobRecord[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].job.creation_time_in_millis < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
