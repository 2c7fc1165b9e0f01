import type { JournalEntry } from "./journal.js";

/** What a test asks the journal for (POST /_emulator/requests/find); every given field must match. */
export interface Matcher {
  operation?: string | undefined;
  method?: string | undefined;
  /** Exact, or a glob with `*`. */
  path?: string | undefined;
  status?: number | undefined;
  kind?: "incoming" | "outgoing" | undefined;
  /** A JSON subset of the request body: objects match when every given key matches, arrays element by element. */
  body?: unknown;
  /** Header values (names case-insensitive). */
  headers?: Record<string, string> | undefined;
}

export interface Difference {
  field: string;
  expected: unknown;
  actual: unknown;
}

function glob(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  if (!value.startsWith(parts[0]!) || !value.endsWith(parts.at(-1)!)) return false;
  let at = parts[0]!.length;
  for (const p of parts.slice(1, -1)) {
    const i = value.indexOf(p, at);
    if (i === -1) return false;
    at = i + p.length;
  }
  return at <= value.length - parts.at(-1)!.length;
}

/** Where `actual` departs from the subset `expected` (empty: it matches). */
function subsetDiff(expected: unknown, actual: unknown, at: string, out: Difference[]): void {
  if (expected !== null && typeof expected === "object") {
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) {
        out.push({ field: at, expected, actual: actual ?? null });
        return;
      }
      expected.forEach((x, i) => subsetDiff(x, actual[i], `${at}[${i}]`, out));
      return;
    }
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      out.push({ field: at, expected, actual: actual ?? null });
      return;
    }
    for (const [k, x] of Object.entries(expected)) subsetDiff(x, (actual as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
    return;
  }
  if (expected !== actual) out.push({ field: at, expected, actual: actual === undefined ? null : actual });
}

/** Every way an entry departs from the matcher. */
export function differences(m: Matcher, e: JournalEntry): Difference[] {
  const out: Difference[] = [];
  if (m.kind !== undefined && m.kind !== e.kind) out.push({ field: "kind", expected: m.kind, actual: e.kind });
  if (m.operation !== undefined && m.operation !== e.operation)
    out.push({ field: "operation", expected: m.operation, actual: e.operation });
  if (m.method !== undefined && m.method.toUpperCase() !== e.method) out.push({ field: "method", expected: m.method, actual: e.method });
  if (m.path !== undefined && !glob(m.path, e.path)) out.push({ field: "path", expected: m.path, actual: e.path });
  if (m.status !== undefined && m.status !== e.status) out.push({ field: "status", expected: m.status, actual: e.status });
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    const actual = Object.entries(e.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (actual !== value) out.push({ field: `headers.${name.toLowerCase()}`, expected: value, actual: actual ?? null });
  }
  if (m.body !== undefined) subsetDiff(m.body, e.body, "body", out);
  return out;
}

/** The matches, and when there are none the closest entries with what differs (like WireMock's near misses). */
export function find(m: Matcher, entries: JournalEntry[], nearMisses = 3) {
  const scored = entries.map((e) => ({ e, diff: differences(m, e) }));
  const matches = scored.filter((s) => s.diff.length === 0).map((s) => s.e);
  const near =
    matches.length > 0
      ? []
      : scored
          .filter((s) => s.diff.length > 0)
          .sort((a, b) => a.diff.length - b.diff.length || b.e.time - a.e.time)
          .slice(0, nearMisses)
          .map((s) => ({ request: s.e, differences: s.diff }));
  return { count: matches.length, requests: matches, near_misses: near };
}

/** GET /_emulator/requests filters. */
export interface Filters {
  operation?: string | undefined;
  method?: string | undefined;
  path?: string | undefined;
  status?: number | undefined;
  kind?: "incoming" | "outgoing" | undefined;
  /** Entries at or after this emulator-clock instant. */
  since?: number | undefined;
}

export function filtered(f: Filters, entries: JournalEntry[]): JournalEntry[] {
  return entries.filter(
    (e) =>
      (f.since === undefined || e.time >= f.since) &&
      differences({ operation: f.operation, method: f.method, path: f.path, status: f.status, kind: f.kind }, e).length === 0,
  );
}
