import type { JobStatus } from "../schemas/common.js";
import { Column, IdColumn, PAGE } from "./columns.js";
import { type JobEntry, ownCopy } from "./history-lines.js";
import { IdTable } from "./id-table.js";
import { newestBefore, splitOldest } from "./sorted-runs.js";

const STATUSES: JobStatus[] = ["PENDING", "RETRY", "SUCCESS", "FAILED"];
const NONE = -1;
const READ_CACHE = 20_000;

/** A growable list of job numbers (Int32Array), kept sorted by creation time. */
class IntList {
  a = new Int32Array(4);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  /** Inserts at `at`, shifting the tail with one memmove. */
  insert(at: number, v: number): void {
    this.push(v);
    this.a.copyWithin(at + 1, at, this.n - 1);
    this.a[at] = v;
  }
}

interface ChannelLists {
  all: IntList;
  byEvent: Map<number, IntList>;
  byName: Map<number, IntList>;
}

/** What the dashboard's history page asks for: any channel, org, event and status (all optional). */
export interface BrowseQuery {
  /** A channel id; undefined = every channel. */
  channel?: string | undefined;
  org?: string | undefined;
  /** Event (schedule) id or name. */
  event?: string | undefined;
  status?: JobStatus | undefined;
  from: number;
  to: number;
}

/** A job of a browsed page: its channel, org and wire JSON. */
export interface BrowsedJob {
  ch: string;
  org: string;
  json: string;
}

/** A stretch [lo, hi) of one time-sorted list: the jobs of a time window. */
interface Range {
  list: IntList;
  lo: number;
  hi: number;
}

export interface HistoryQuery {
  channel: string;
  /** Event (schedule) id or name; undefined = every event. */
  event?: string;
  org: string;
  from: number;
  to: number;
  status?: JobStatus;
}

/**
 * Delivery-history indexes stored column-wise in typed arrays (no object per job): by job id, and
 * per channel by creation time, event id and event name. A million loaded jobs cost tens of MB and
 * give the garbage collector almost nothing to trace; a search touches only its channel's jobs.
 */
export class HistoryIndex {
  private count = 0;
  private readonly t = new Column(Float64Array);
  private readonly off = new Column(Float64Array);
  private readonly len = new Column(Int32Array);
  private readonly st = new Column(Uint8Array);
  private readonly ch = new Column(Int32Array);
  private readonly org = new Column(Int32Array);
  private readonly ev = new Column(Int32Array);
  private readonly evName = new Column(Int32Array);
  private readonly columns = [this.t, this.off, this.len, this.st, this.ch, this.org, this.ev, this.evName];
  private readonly ids = new IdColumn();
  private readonly json = new Map<number, string>();
  /** LRU of jobs read from the log (UIs poll the same history again and again). */
  private readonly readCache = new Map<number, string>();
  private readonly byId = new IdTable((n) => this.ids.get(n));
  private readonly channels = new Map<number, ChannelLists>();
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  /** During a bulk add: each list appended out of order, with the length of its sorted part. */
  private bulk: Map<IntList, number> | null = null;
  private readonly lastStrings: (string | null)[] = [null, null, null, null];
  private readonly lastIds = [0, 0, 0, 0];

  /** Reads a loaded job's JSON from the log (set by the store). */
  reader: (off: number, len: number) => string = () => {
    throw new Error("no history log to read from");
  };

  /** Bytes of the live jobs' JSON (what a compacted log holds, without line prefixes). */
  bytes = 0;

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.get(id) !== undefined;
  }

  get(id: string): JobEntry | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.view(i);
  }

  /** Adds a job, or updates the stored one in place when the id is known (status changes). */
  put(e: JobEntry): void {
    this.putMany([e]);
  }

  putMany(entries: readonly JobEntry[]): void {
    // A few jobs (a validation) are placed one by one; many (synthesized history) sorted in bulk.
    const bulk = entries.length > 64;
    if (bulk) this.beginBulk();
    for (const e of entries) this.add(e.id, e.ch, e.org, e.t, e.ev, e.evName, e.status, e.off, e.len, e.json);
    if (bulk) this.endBulk();
  }

  /**
   * Between beginBulk and endBulk, a job older than the newest of its list is appended unsorted;
   * endBulk sorts what came after a list's sorted part and merges it in, touching only the part
   * it overlaps: a chunk of old jobs added to a list of millions costs the chunk, not the list.
   */
  beginBulk(): void {
    this.bulk ??= new Map();
  }

  endBulk(): void {
    const touched = this.bulk;
    this.bulk = null;
    for (const [list, sorted] of touched ?? []) this.mergeTail(list, sorted);
  }

  add(
    id: string,
    ch: string,
    org: string,
    t: number,
    ev: string,
    evName: string | null,
    status: JobStatus,
    off: number,
    len: number,
    json: string | null,
  ): void {
    const size = json === null ? len : json.length;
    const known = this.byId.getOrAdd(id, this.count);
    if (known !== undefined) {
      this.bytes += size - (this.json.get(known)?.length ?? this.len.get(known));
      this.readCache.delete(known);
      this.st.set(known, STATUSES.indexOf(status));
      this.off.set(known, off);
      this.len.set(known, len);
      if (json === null) this.json.delete(known);
      else this.json.set(known, json);
      return;
    }
    const i = this.count++;
    if (i % PAGE === 0) for (const column of this.columns) column.ensure(this.count);
    this.bytes += size;
    this.ids.set(i, id);
    this.t.set(i, t);
    this.off.set(i, off);
    this.len.set(i, len);
    this.st.set(i, STATUSES.indexOf(status));
    this.ch.set(i, this.intern(ch, 0));
    this.org.set(i, this.intern(org, 1));
    this.ev.set(i, this.intern(ev, 2));
    this.evName.set(i, evName === null ? NONE : this.intern(evName, 3));
    if (json !== null) this.json.set(i, json);
    const chId = this.ch.get(i);
    const evId = this.ev.get(i);
    const nameId = this.evName.get(i);
    let lists = this.channels.get(chId);
    if (!lists) this.channels.set(chId, (lists = { all: new IntList(), byEvent: new Map(), byName: new Map() }));
    this.append(lists.all, i);
    this.append(listIn(lists.byEvent, evId), i);
    if (nameId !== NONE && nameId !== evId) this.append(listIn(lists.byName, nameId), i);
  }

  /** Matching jobs, newest first, as their wire JSON. */
  search(q: HistoryQuery): string[] {
    return this.find(q).map((i) => this.jsonOf(i));
  }

  /** The newest `limit` matching jobs, newest first, as job numbers (their JSON: jsonOf). */
  find(q: HistoryQuery, limit = Infinity): number[] {
    const lists = this.channels.get(this.stringIds.get(q.channel) ?? NONE);
    if (!lists || limit <= 0) return [];
    let candidates: IntList[] = [lists.all];
    if (q.event !== undefined) {
      const s = this.stringIds.get(q.event) ?? NONE;
      candidates = [lists.byEvent.get(s), lists.byName.get(s)].filter((l): l is IntList => l !== undefined);
    }
    const org = this.stringIds.get(q.org) ?? NONE;
    const status = q.status === undefined ? NONE : STATUSES.indexOf(q.status);
    const hits = new Set<number>();
    for (const list of candidates) {
      // Each list is sorted by time: walking it from the end, the first `limit` hits are its newest.
      let found = 0;
      for (let k = this.bound(list, q.to) - 1, stop = this.bound(list, q.from); k >= stop && found < limit; k--) {
        const i = list.a[k];
        if (this.org.get(i) !== org || (status !== NONE && this.st.get(i) !== status)) continue;
        hits.add(i);
        found++;
      }
    }
    const order = [...hits];
    if (candidates.length > 1) order.sort((x, y) => this.t.get(y) - this.t.get(x) || y - x);
    return order.length > limit ? order.slice(0, limit) : order;
  }

  /**
   * One page of the jobs matching `q`, newest first, and how many match in all: the channels'
   * time-sorted lists (narrowed by org and status when asked) are paged as one (store/sorted-runs.ts).
   */
  browse(q: BrowseQuery, offset: number, limit: number): { total: number; jobs: BrowsedJob[] } {
    const runs = this.runs(q);
    let total = 0;
    for (const r of runs) total += r.length;
    const take = Math.max(0, Math.min(limit, total - offset));
    const picked = take > 0 ? newestBefore(this.t, runs, splitOldest(this.t, runs, total - offset), take) : [];
    const s = this.strings;
    return { total, jobs: picked.map((i) => ({ ch: s[this.ch.get(i)]!, org: s[this.org.get(i)]!, json: this.jsonOf(i) })) };
  }

  /**
   * Jobs per day and status in [q.from, q.to): `counts[day][status]` (status in PENDING, RETRY,
   * SUCCESS, FAILED order), day 0 starting at `dayStart`; one pass over the window's jobs.
   */
  histogram(q: Omit<BrowseQuery, "status">, dayStart: number, days: number, dayMs = 86_400_000): number[][] {
    const counts = Array.from({ length: days }, () => [0, 0, 0, 0]);
    const org = q.org === undefined ? NONE : (this.stringIds.get(q.org) ?? -2);
    const t = this.t;
    const st = this.st;
    for (const r of this.ranges(q)) {
      const a = r.list.a;
      for (let k = r.lo; k < r.hi; k++) {
        const i = a[k];
        if (org !== NONE && this.org.get(i) !== org) continue;
        const day = Math.floor((t.get(i) - dayStart) / dayMs);
        if (day >= 0 && day < days) counts[day]![st.get(i)]!++;
      }
    }
    return counts;
  }

  /** The event (schedule) names of one channel's jobs, or of every channel's. */
  eventNames(channel?: string): string[] {
    const names = new Set<string>();
    const lists = channel === undefined ? [...this.channels.values()] : [this.channels.get(this.stringIds.get(channel) ?? NONE)];
    for (const l of lists) for (const key of l?.byName.keys() ?? []) names.add(this.strings[key]);
    return [...names];
  }

  /** The time-sorted lists `q` selects, each cut to the jobs created in [q.from, q.to). */
  private ranges(q: Omit<BrowseQuery, "status">): Range[] {
    const chosen =
      q.channel === undefined ? [...this.channels.values()] : [this.channels.get(this.stringIds.get(q.channel) ?? NONE)].filter((l) => !!l);
    const event = q.event === undefined ? undefined : (this.stringIds.get(q.event) ?? NONE);
    const ranges: Range[] = [];
    for (const lists of chosen) {
      // A job is in byName only when its name differs from its id: the two lists never share a job.
      const candidates = event === undefined ? [lists.all] : [lists.byEvent.get(event), lists.byName.get(event)];
      for (const list of candidates) {
        if (!list) continue;
        const lo = this.bound(list, q.from);
        const hi = q.to === Infinity ? list.n : this.bound(list, q.to);
        if (hi > lo) ranges.push({ list, lo, hi });
      }
    }
    return ranges;
  }

  /** The jobs `q` selects: per list, those of its time window, narrowed by org and status (a copy only then). */
  private runs(q: BrowseQuery): Int32Array[] {
    const keep = this.filterOf(q);
    return this.ranges(q).map((r) => {
      const all = r.list.a.subarray(r.lo, r.hi);
      if (!keep) return all;
      const some = new Int32Array(all.length);
      let n = 0;
      for (let k = 0; k < all.length; k++) if (keep(all[k])) some[n++] = all[k];
      return some.subarray(0, n);
    });
  }

  /** The org and status test of a query, or null when every job of the ranges matches. */
  private filterOf(q: BrowseQuery): ((i: number) => boolean) | null {
    const org = q.org === undefined ? NONE : (this.stringIds.get(q.org) ?? -2);
    const status = q.status === undefined ? NONE : STATUSES.indexOf(q.status);
    if (org === NONE && status === NONE) return null;
    return (i) => (org === NONE || this.org.get(i) === org) && (status === NONE || this.st.get(i) === status);
  }

  jsonOf(i: number): string {
    const own = this.json.get(i);
    if (own !== undefined) return own;
    let json = this.readCache.get(i);
    if (json === undefined) {
      json = this.reader(this.off.get(i), this.len.get(i));
      if (this.readCache.size >= READ_CACHE) this.readCache.delete(this.readCache.keys().next().value!);
    } else this.readCache.delete(i); // least recently used goes first: move the hit to the end
    this.readCache.set(i, json);
    return json;
  }

  /** The wire JSON of a job returned by get(). */
  jsonFor(e: JobEntry): string {
    return this.jsonOf(this.byId.get(e.id)!);
  }

  /** Every job with its index (for compaction and tests). */
  *entries(): Generator<[number, JobEntry]> {
    for (let i = 0; i < this.count; i++) yield [i, this.view(i)];
  }

  all(): JobEntry[] {
    return [...this.entries()].map(([, e]) => e);
  }

  /** After compaction: job i now lives at off/len in the log (its in-memory JSON, if any, is dropped). */
  relocate(i: number, off: number, len: number): void {
    this.off.set(i, off);
    this.len.set(i, len);
    this.json.delete(i);
    this.readCache.delete(i);
  }

  /**
   * The namespace was reset: a response still streaming its jobs fails rather than read log
   * bytes that a compaction may since have given to other jobs.
   */
  detach(): void {
    this.reader = () => {
      throw new Error("the namespace's history was reset while a response was reading it");
    };
  }

  clear(): void {
    this.count = 0;
    this.bytes = 0;
    this.ids.clear();
    for (const column of this.columns) column.clear();
    this.json.clear();
    this.readCache.clear();
    this.byId.clear();
    this.channels.clear();
  }

  private view(i: number): JobEntry {
    const s = this.strings;
    return {
      id: this.ids.get(i),
      ch: s[this.ch.get(i)],
      org: s[this.org.get(i)],
      t: this.t.get(i),
      ev: s[this.ev.get(i)],
      evName: this.evName.get(i) === NONE ? null : s[this.evName.get(i)],
      status: STATUSES[this.st.get(i)],
      json: this.json.get(i) ?? null,
      off: this.off.get(i),
      len: this.len.get(i),
    };
  }

  /** Keeps `list` sorted by time: appends in order, inserts a late arrival at its place, or defers to endBulk. */
  private append(list: IntList, i: number): void {
    const t = this.t.get(i);
    if (list.n === 0 || this.t.get(list.a[list.n - 1]) <= t) list.push(i);
    else if (this.bulk) {
      if (!this.bulk.has(list)) this.bulk.set(list, list.n);
      list.push(i);
    } else list.insert(this.bound(list, t, true), i);
  }

  /** Sorts `list` from `sorted` on (by time, then job number, as appends keep it) and merges that tail into the sorted part. */
  private mergeTail(list: IntList, sorted: number): void {
    const t = this.t;
    const a = list.a;
    const before = (x: number, y: number) => t.get(x) - t.get(y) || x - y;
    const tail = a.slice(sorted, list.n).sort(before);
    // The sorted part up to the first job that goes after the tail's oldest stays where it is.
    let lo = 0;
    let hi = sorted;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(a[mid], tail[0]) < 0) lo = mid + 1;
      else hi = mid;
    }
    const head = a.slice(lo, sorted);
    let x = 0;
    let y = 0;
    let k = lo;
    while (x < head.length && y < tail.length) a[k++] = before(head[x], tail[y]) <= 0 ? head[x++] : tail[y++];
    while (x < head.length) a[k++] = head[x++];
    while (y < tail.length) a[k++] = tail[y++];
  }

  /** Index of the first job created at or after `t` (after `t` when `strict`: equal times keep insertion order). */
  private bound(list: IntList, t: number, strict = false): number {
    let lo = 0;
    let hi = list.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.t.get(list.a[mid]);
      if (v < t || (strict && v === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private intern(s: string, slot: number): number {
    if (this.lastStrings[slot] === s) return this.lastIds[slot];
    let id = this.stringIds.get(s);
    if (id === undefined) {
      const copy = ownCopy(s);
      id = this.strings.push(copy) - 1;
      this.stringIds.set(copy, id);
    }
    this.lastStrings[slot] = s;
    this.lastIds[slot] = id;
    return id;
  }
}

function listIn(map: Map<number, IntList>, key: number): IntList {
  let list = map.get(key);
  if (!list) map.set(key, (list = new IntList()));
  return list;
}
