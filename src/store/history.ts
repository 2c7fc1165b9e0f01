import type { JobRecord, JobStatus } from "../types.js";

/**
 * One history job as kept in memory: the fields it is searched by, plus where its wire JSON is:
 * in `json` (serialized once, on write) or, for jobs loaded at start-up, at `off`/`len` bytes in
 * the history log — so a search joins stored JSON instead of re-serializing objects, and a large
 * history costs memory only for its index.
 */
export interface JobEntry {
  readonly id: string;
  readonly ch: string;
  readonly org: string;
  readonly t: number;
  readonly ev: string;
  readonly evName: string | null;
  status: JobStatus;
  json: string | null;
  off: number;
  len: number;
}

/** Strings repeated across many jobs (channel, org, event) are stored once. */
class Interner {
  private readonly map = new Map<string, string>();
  get(s: string): string {
    const hit = this.map.get(s);
    if (hit !== undefined) return hit;
    const copy = (s + " ").slice(0, -1); // never pin the buffer or line the value was cut from
    this.map.set(copy, copy);
    return copy;
  }
}

/** Builds entries with one fixed shape (cheap for V8 when a million are loaded). */
export function newEntry(id: string, ch: string, org: string, t: number, ev: string, evName: string | null, status: JobStatus, off: number, len: number, json: string | null = null): JobEntry {
  return { id, ch, org, t, ev, evName, status, json, off, len };
}

export function entryOf(rec: JobRecord, json = JSON.stringify(rec.job)): JobEntry {
  const job = rec.job;
  return newEntry(job.id, rec.ch, rec.org, job.creation_time_in_millis, job.event.id, job.event.name ?? null, job.status, -1, 0, json);
}

/** The log line for a job: `{"ns":…,"ch":…,"org":…,"job":<wire JSON>}` ("job" always last). */
export function lineOf(ns: string, e: Pick<JobEntry, "ch" | "org">, json: string): string {
  return `${linePrefix(ns, e)}${json}}`;
}

export function linePrefix(ns: string, e: Pick<JobEntry, "ch" | "org">): string {
  return `{"ns":${JSON.stringify(ns)},"ch":${JSON.stringify(e.ch)},"org":${JSON.stringify(e.org)},"job":`;
}

/**
 * In-memory indexes over delivery-history jobs: by job id, and by channel, channel+event id and
 * channel+event name, each kept sorted by creation time so a search touches only its matches.
 */
export class HistoryIndex {
  private readonly byId = new Map<string, JobEntry>();
  private readonly byKey = new Map<string, JobEntry[]>();
  private readonly strings = new Interner();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): JobEntry | undefined {
    return this.byId.get(id);
  }

  /** Adds a job, or updates the stored one in place when the id is known (status changes). */
  put(e: JobEntry): JobEntry {
    return this.putMany([e])[0];
  }

  /**
   * Adds or updates many jobs; each touched list is sorted once at the end, so a bulk insert of
   * older jobs (synthesized history, start-up replay) costs O(n log n), not O(n²).
   */
  putMany(entries: readonly JobEntry[]): JobEntry[] {
    const touched = new Set<JobEntry[]>();
    const out = entries.map((e) => {
      const existing = this.byId.get(e.id);
      if (existing) {
        existing.status = e.status;
        existing.json = e.json;
        return existing;
      }
      const entry = newEntry(e.id, this.strings.get(e.ch), this.strings.get(e.org), e.t, this.strings.get(e.ev), e.evName === null ? null : this.strings.get(e.evName), e.status, e.off, e.len, e.json);
      this.byId.set(entry.id, entry);
      this.append(`c\u0000${entry.ch}`, entry, touched);
      this.append(`e\u0000${entry.ch}\u0000${entry.ev}`, entry, touched);
      if (entry.evName !== null && entry.evName !== entry.ev) this.append(`n\u0000${entry.ch}\u0000${entry.evName}`, entry, touched);
      return entry;
    });
    for (const list of touched) list.sort((a, b) => a.t - b.t);
    return out;
  }

  private append(key: string, e: JobEntry, unsorted: Set<JobEntry[]>): void {
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    if (list.length && list[list.length - 1].t > e.t) unsorted.add(list);
    list.push(e);
  }

  /** Jobs of one channel (optionally one event id or name), oldest first. */
  byChannel(channelId: string, event?: string): readonly JobEntry[] {
    if (event === undefined) return this.byKey.get(`c\u0000${channelId}`) ?? [];
    const byEventId = this.byKey.get(`e\u0000${channelId}\u0000${event}`) ?? [];
    const byName = this.byKey.get(`n\u0000${channelId}\u0000${event}`) ?? [];
    if (byName.length === 0) return byEventId;
    if (byEventId.length === 0) return byName;
    return [...new Set([...byEventId, ...byName])].sort((a, b) => a.t - b.t);
  }

  all(): IterableIterator<JobEntry> {
    return this.byId.values();
  }

  clear(): void {
    this.byId.clear();
    this.byKey.clear();
  }

}

/** Index of the first job created at or after `t` in a list sorted oldest first. */
export function lowerBound(list: readonly JobEntry[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
