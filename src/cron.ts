/**
 * The schedules' cron subset and its run times in a time zone (README, "Schedules"; docs/decisions.md,
 * "Schedules"). Six fields as ThoughtSpot's `frequency.cron_expression` names them: second, minute,
 * hour, day_of_month, month, day_of_week. Each is `*`, a number, a range `a-b`, a step `*\/n`,
 * `a/n` or `a-b/n`, or a comma list of those; `?` is `*` in day_of_month and day_of_week; months and
 * days of the week may be named (JAN–DEC, SUN–SAT). Days of the week count Quartz's way, 1 = Sunday
 * to 7 = Saturday. When both day fields are restricted, a day matching either one runs (cron's rule).
 * Time zones come from Intl (the IANA names and Java's short ids the spec lists).
 */

export const CRON_FIELDS = ["second", "minute", "hour", "day_of_month", "month", "day_of_week"] as const;
export type CronField = (typeof CRON_FIELDS)[number];
export type CronFields = Record<CronField, string>;

/** A cron expression that is outside the subset, with the field it is about. */
export class CronError extends Error {
  constructor(
    readonly field: CronField,
    message: string,
  ) {
    super(message);
    this.name = "CronError";
  }
}

interface Range {
  min: number;
  max: number;
  names?: readonly string[];
}

const RANGES: Record<CronField, Range> = {
  second: { min: 0, max: 59 },
  minute: { min: 0, max: 59 },
  hour: { min: 0, max: 23 },
  day_of_month: { min: 1, max: 31 },
  month: { min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  day_of_week: { min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
};

/** A parsed expression: per field the allowed values and, for each value, the next allowed one (or -1). */
export interface Cron {
  readonly fields: CronFields;
  readonly allowed: Record<CronField, readonly boolean[]>;
  readonly next: Record<CronField, Int8Array>;
  /** The field is `*` or `?` (unrestricted). */
  readonly any: Record<CronField, boolean>;
}

const SUBSET = "numbers, names, *, ?, ranges a-b, steps */n, a/n, a-b/n and comma lists";

function value(field: CronField, text: string): number {
  const r = RANGES[field];
  const upper = text.toUpperCase();
  const named = r.names?.indexOf(upper) ?? -1;
  if (named >= 0) return r.min + named;
  if (!/^\d{1,2}$/.test(text)) {
    if (/[LW#]/i.test(text)) throw new CronError(field, `'${text}' is not supported (the emulator supports ${SUBSET})`);
    throw new CronError(field, `'${text}' is not a value from ${r.min} to ${r.max}${r.names ? ` or a name (${r.names.join(", ")})` : ""}`);
  }
  const n = Number(text);
  if (n < r.min || n > r.max) {
    const hint = field === "day_of_week" && n === 0 ? " (days of the week are 1 = Sunday to 7 = Saturday)" : "";
    throw new CronError(field, `${n} is outside ${r.min}-${r.max}${hint}`);
  }
  return n;
}

function parseField(field: CronField, raw: string): { allowed: boolean[]; any: boolean } {
  const r = RANGES[field];
  const text = raw.trim();
  const allowed = new Array<boolean>(r.max + 1).fill(false);
  const dayField = field === "day_of_month" || field === "day_of_week";
  if (text === "*" || (dayField && text === "?")) {
    for (let v = r.min; v <= r.max; v++) allowed[v] = true;
    return { allowed, any: true };
  }
  if (text === "") throw new CronError(field, "is empty");
  for (const item of text.split(",")) {
    const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(item.trim());
    if (!m) throw new CronError(field, `'${item}' is not supported (the emulator supports ${SUBSET})`);
    const [, span, stepText] = m as unknown as [string, string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronError(field, `the step in '${item}' must be at least 1`);
    let lo: number;
    let hi: number;
    if (span === "*" || (dayField && span === "?")) {
      lo = r.min;
      hi = r.max;
    } else if (span.includes("-")) {
      const [a, b, ...rest] = span.split("-");
      if (rest.length || a === undefined || b === undefined) throw new CronError(field, `'${item}' is not a range a-b`);
      lo = value(field, a.trim());
      hi = value(field, b.trim());
      if (lo > hi) throw new CronError(field, `the range '${span}' runs backwards`);
    } else {
      lo = value(field, span.trim());
      hi = stepText === undefined ? lo : r.max;
    }
    for (let v = lo; v <= hi; v += step) allowed[v] = true;
  }
  return { allowed, any: false };
}

/** Parses the six fields; throws CronError naming the field that is outside the subset. */
export function parseCron(fields: CronFields): Cron {
  const allowed = {} as Record<CronField, boolean[]>;
  const next = {} as Record<CronField, Int8Array>;
  const any = {} as Record<CronField, boolean>;
  for (const f of CRON_FIELDS) {
    const parsed = parseField(f, fields[f]);
    allowed[f] = parsed.allowed;
    any[f] = parsed.any;
    const n = new Int8Array(parsed.allowed.length + 1).fill(-1);
    for (let v = parsed.allowed.length - 1; v >= 0; v--) n[v] = parsed.allowed[v] ? v : n[v + 1]!;
    next[f] = n;
  }
  return { fields: { ...fields }, allowed, next, any };
}

const SECOND = 1000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

function dayMatches(c: Cron, y: number, m: number, d: number): boolean {
  const dom = c.allowed.day_of_month[d]!;
  const dow = c.allowed.day_of_week[new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1]!;
  if (c.any.day_of_month) return dow;
  if (c.any.day_of_week) return dom;
  return dom || dow;
}

/**
 * The first wall-clock time at or after `from` that matches, as "local milliseconds" (the local
 * date and time read as if it were UTC), or null when there is none up to `limit`.
 */
export function nextLocal(c: Cron, from: number, limit: number): number | null {
  let t = Math.ceil(from / SECOND) * SECOND;
  for (let guard = 0; guard < 20_000; guard++) {
    if (t > limit) return null;
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const h = d.getUTCHours();
    const mi = d.getUTCMinutes();
    const s = d.getUTCSeconds();
    if (!c.allowed.month[mo]) {
      const m2 = c.next.month[mo]!;
      t = m2 < 0 ? Date.UTC(y + 1, c.next.month[1]! - 1, 1) : Date.UTC(y, m2 - 1, 1);
      continue;
    }
    if (!dayMatches(c, y, mo, day)) {
      t = Date.UTC(y, mo - 1, day + 1);
      continue;
    }
    const hh = c.next.hour[h]!;
    if (hh < 0) {
      t = Date.UTC(y, mo - 1, day + 1);
      continue;
    }
    if (hh !== h) {
      t = Date.UTC(y, mo - 1, day, hh);
      continue;
    }
    const mm = c.next.minute[mi]!;
    if (mm < 0) {
      t = Date.UTC(y, mo - 1, day, h + 1);
      continue;
    }
    if (mm !== mi) {
      t = Date.UTC(y, mo - 1, day, h, mm);
      continue;
    }
    const ss = c.next.second[s]!;
    if (ss < 0) {
      t = Date.UTC(y, mo - 1, day, h, mi + 1);
      continue;
    }
    return Date.UTC(y, mo - 1, day, h, mi, ss);
  }
  return null;
}

/** How many times of one whole matching day match (the hours × minutes × seconds allowed). */
export function perDay(c: Cron): number {
  const count = (f: CronField) => c.allowed[f].filter(Boolean).length;
  return count("hour") * count("minute") * count("second");
}

// ---- time zones ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone (every name of the spec's list does, Java's short ids included). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `t` (ms; local = t + offset). */
export function offsetAt(zone: string, t: number): number {
  const whole = Math.floor(t / SECOND) * SECOND;
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(whole)) if (part.type !== "literal") p[part.type] = Number(part.value);
  const year = p.year!;
  // Years before 1 AD are not a concern of schedules; Date.UTC maps 0-99 to 1900s, so set the year directly.
  const local = new Date(Date.UTC(2000, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!));
  local.setUTCFullYear(year);
  return local.getTime() - whole;
}

const weekOffsets = new Map<string, Map<number, number>>();

/** The offset at the start of week `w` (cached: each zone is sampled once a week). */
function weekOffset(zone: string, w: number): number {
  let m = weekOffsets.get(zone);
  if (!m) weekOffsets.set(zone, (m = new Map()));
  let o = m.get(w);
  if (o === undefined) {
    o = offsetAt(zone, w * WEEK);
    if (m.size > 10_000) m.clear();
    m.set(w, o);
  }
  return o;
}

/**
 * The first instant after `t` at which the zone's offset is no longer the one at `t`, looked for
 * up to `until` (Infinity when there is none by then). Weeks are sampled, then the week that
 * changes is bisected to the millisecond (a zone changing twice within a week is not seen).
 */
export function nextTransition(zone: string, t: number, until: number): number {
  const o = offsetAt(zone, t);
  for (let w = Math.floor(t / WEEK) + 1; w * WEEK <= until + WEEK; w++) {
    if (weekOffset(zone, w) === o) continue;
    let lo = Math.max(t, (w - 1) * WEEK);
    let hi = w * WEEK;
    if (offsetAt(zone, lo) !== o) return lo;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === o) lo = mid;
      else hi = mid;
    }
    return hi;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The run times of `c` in `zone` after `after` and up to `until` (both instants, ms), ascending.
 * Wall-clock times that happen twice (the hour repeated when DST ends) run the first time only;
 * times that do not happen (the hour skipped when DST starts) run once at the first instant after
 * the gap.
 */
export function* runTimes(c: Cron, zone: string, after: number, until: number): Generator<number, void, void> {
  let t = after;
  let localFloor = Number.NEGATIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  while (t < until) {
    const o = offsetAt(zone, t + 1);
    const end = nextTransition(zone, t + 1, until);
    const stop = Math.min(end, until + 1);
    // Local candidates within this stretch of constant offset: instant = local - o.
    let from = Math.max(t + 1 + o, localFloor);
    for (;;) {
      const local = nextLocal(c, from, stop - 1 + o);
      if (local === null) break;
      const at = local - o;
      if (at > after && at <= until && at > last) {
        last = at;
        yield at;
      }
      from = local + SECOND;
    }
    localFloor = Math.max(localFloor, stop + o);
    if (end > until) return;
    const o2 = offsetAt(zone, end);
    if (o2 > o) {
      // A gap: the local times from end+o to end+o2 never happen; if one matches, it runs at `end`.
      const skipped = nextLocal(c, end + o, end + o2 - 1);
      if (skipped !== null && end > after && end <= until && end > last) {
        last = end;
        yield end;
      }
    }
    t = end - 1;
    if (o2 > o) localFloor = Math.max(localFloor, end + o2);
  }
}

/** The first run time after `after` (within the search horizon), or null when the expression never matches. */
export function nextRun(c: Cron, zone: string, after: number): number | null {
  let from = after;
  // A year at a time, for 8 years: that covers every February 29th (2096 → 2104).
  for (let k = 0; k < 8; k++) {
    const until = from + 366 * DAY;
    for (const at of runTimes(c, zone, from, until)) return at;
    from = until;
  }
  return null;
}
