import type { JobStatus } from "../schemas/common.js";
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
  private cap = 0;
  private count = 0;
  private t = new Float64Array(0);
  private off = new Float64Array(0);
  private len = new Int32Array(0);
  private st = new Uint8Array(0);
  private ch = new Int32Array(0);
  private org = new Int32Array(0);
  private ev = new Int32Array(0);
  private evName = new Int32Array(0);
  private ids: string[] = [];
  private readonly json = new Map<number, string>();
  /** LRU of jobs read from the log (UIs poll the same history again and again). */
  private readonly readCache = new Map<number, string>();
  private readonly byId = new IdTable((n) => this.ids[n]);
  private readonly channels = new Map<number, ChannelLists>();
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private bulk: Set<IntList> | null = null;
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

  /** Between beginBulk and endBulk lists are appended unsorted and sorted once at the end. */
  beginBulk(): void {
    this.bulk ??= new Set();
  }

  endBulk(): void {
    const touched = this.bulk;
    this.bulk = null;
    const t = this.t;
    for (const list of touched ?? []) {
      const sorted = list.a.subarray(0, list.n).sort((x, y) => t[x] - t[y] || x - y);
      list.a.set(sorted);
    }
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
      this.bytes += size - (this.json.get(known)?.length ?? this.len[known]!);
      this.readCache.delete(known);
      this.st[known] = STATUSES.indexOf(status);
      this.off[known] = off;
      this.len[known] = len;
      if (json === null) this.json.delete(known);
      else this.json.set(known, json);
      return;
    }
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.bytes += size;
    this.ids.push(id);
    this.t[i] = t;
    this.off[i] = off;
    this.len[i] = len;
    this.st[i] = STATUSES.indexOf(status);
    this.ch[i] = this.intern(ch, 0);
    this.org[i] = this.intern(org, 1);
    this.ev[i] = this.intern(ev, 2);
    this.evName[i] = evName === null ? NONE : this.intern(evName, 3);
    if (json !== null) this.json.set(i, json);
    let lists = this.channels.get(this.ch[i]);
    if (!lists) this.channels.set(this.ch[i], (lists = { all: new IntList(), byEvent: new Map(), byName: new Map() }));
    this.append(lists.all, i);
    this.append(listIn(lists.byEvent, this.ev[i]), i);
    if (this.evName[i] !== NONE && this.evName[i] !== this.ev[i]) this.append(listIn(lists.byName, this.evName[i]), i);
  }

  /** Matching jobs, newest first, as their wire JSON. */
  search(q: HistoryQuery): string[] {
    const lists = this.channels.get(this.stringIds.get(q.channel) ?? NONE);
    if (!lists) return [];
    let candidates: IntList[] = [lists.all];
    if (q.event !== undefined) {
      const s = this.stringIds.get(q.event) ?? NONE;
      candidates = [lists.byEvent.get(s), lists.byName.get(s)].filter((l): l is IntList => l !== undefined);
    }
    const org = this.stringIds.get(q.org) ?? NONE;
    const status = q.status === undefined ? NONE : STATUSES.indexOf(q.status);
    const hits = new Set<number>();
    for (const list of candidates) {
      for (let k = list.n - 1, stop = this.bound(list, q.from); k >= stop; k--) {
        const i = list.a[k];
        if (this.t[i] >= q.to || this.org[i] !== org || (status !== NONE && this.st[i] !== status)) continue;
        hits.add(i);
      }
    }
    const order = [...hits];
    if (candidates.length > 1) order.sort((x, y) => this.t[y] - this.t[x] || y - x);
    return order.map((i) => this.jsonOf(i));
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
    return { total, jobs: picked.map((i) => ({ ch: s[this.ch[i]], org: s[this.org[i]], json: this.jsonOf(i) })) };
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
        if (org !== NONE && this.org[i] !== org) continue;
        const day = Math.floor((t[i] - dayStart) / dayMs);
        if (day >= 0 && day < days) counts[day][st[i]]++;
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
    return (i) => (org === NONE || this.org[i] === org) && (status === NONE || this.st[i] === status);
  }

  jsonOf(i: number): string {
    const own = this.json.get(i);
    if (own !== undefined) return own;
    let json = this.readCache.get(i);
    if (json === undefined) {
      json = this.reader(this.off[i], this.len[i]);
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
    this.off[i] = off;
    this.len[i] = len;
    this.json.delete(i);
    this.readCache.delete(i);
  }

  clear(): void {
    this.count = 0;
    this.bytes = 0;
    this.cap = 0;
    this.ids = [];
    this.json.clear();
    this.readCache.clear();
    this.byId.clear();
    this.channels.clear();
    this.grow();
  }

  private view(i: number): JobEntry {
    const s = this.strings;
    return {
      id: this.ids[i],
      ch: s[this.ch[i]],
      org: s[this.org[i]],
      t: this.t[i],
      ev: s[this.ev[i]],
      evName: this.evName[i] === NONE ? null : s[this.evName[i]],
      status: STATUSES[this.st[i]],
      json: this.json.get(i) ?? null,
      off: this.off[i],
      len: this.len[i],
    };
  }

  /** Keeps `list` sorted by time: appends in order, inserts a late arrival at its place, or defers to endBulk. */
  private append(list: IntList, i: number): void {
    const t = this.t[i];
    if (list.n === 0 || this.t[list.a[list.n - 1]] <= t) list.push(i);
    else if (this.bulk) {
      this.bulk.add(list);
      list.push(i);
    } else list.insert(this.bound(list, t, true), i);
  }

  /** Index of the first job created at or after `t` (after `t` when `strict`: equal times keep insertion order). */
  private bound(list: IntList, t: number, strict = false): number {
    let lo = 0;
    let hi = list.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.t[list.a[mid]];
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

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const grow = <A extends Float64Array | Int32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(cap);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.t = grow(this.t, (n) => new Float64Array(n));
    this.off = grow(this.off, (n) => new Float64Array(n));
    this.len = grow(this.len, (n) => new Int32Array(n));
    this.st = grow(this.st, (n) => new Uint8Array(n));
    this.ch = grow(this.ch, (n) => new Int32Array(n));
    this.org = grow(this.org, (n) => new Int32Array(n));
    this.ev = grow(this.ev, (n) => new Int32Array(n));
    this.evName = grow(this.evName, (n) => new Int32Array(n));
    this.cap = cap;
  }
}

function listIn(map: Map<number, IntList>, key: number): IntList {
  let list = map.get(key);
  if (!list) map.set(key, (list = new IntList()));
  return list;
}
