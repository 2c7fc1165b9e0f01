import { JsonText } from "../json-text.js";
import { redactBody, redactHeaders, redactUrls, redactValue } from "./redact-entry.js";

/** A scenario rule that fired during a request: the scenario's name, the rule's index, the operation or hook. */
export interface Fired {
  scenario: string;
  rule: number;
  at: string;
}

/**
 * One journal entry as recorded on the request path: references and raw text only. It is
 * redacted and serialized when read (`view`).
 */
export interface RawEntry {
  seq: number;
  kind: "incoming" | "outgoing";
  time: number;
  wall: number;
  method: string;
  path: string;
  query: string;
  operation: string | null;
  principal: { user: string; org: string } | null;
  headers: Record<string, string | string[] | undefined>;
  /** Headers whose values are secret beyond the usual ones (a webhook's API key and additional headers). */
  secretHeaders?: readonly string[];
  body: string | null;
  status: number;
  /** The response value (an object, a JsonText, an error envelope), serialized when read. */
  response: unknown;
  duration_ms: number;
  trace_id: string | null;
  fired: Fired[];
  /** Outgoing calls: what they were for. */
  outgoing?: {
    purpose: "validation" | "delivery" | "oauth";
    url: string;
    job_id: string | null;
    try: number;
    of: number;
    error: string | null;
  };
  bytes: number;
}

/** A journal entry as the admin API shows it. */
export interface JournalEntry {
  id: string;
  kind: "incoming" | "outgoing";
  time: number;
  time_iso: string;
  wall_time: string;
  method: string;
  path: string;
  query: string;
  operation: string | null;
  principal: { user: string; org: string } | null;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  response: unknown;
  duration_ms: number;
  trace_id: string | null;
  scenarios: Fired[];
  outgoing?: RawEntry["outgoing"];
}

export const entryId = (seq: number) => `r-${seq}`;

function responseOf(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof JsonText) return redactBody(v.text);
  if (typeof v === "string") return redactBody(v);
  return redactValue(JSON.parse(JSON.stringify(v)));
}

export function view(e: RawEntry): JournalEntry {
  return {
    id: entryId(e.seq),
    kind: e.kind,
    time: e.time,
    time_iso: new Date(e.time).toISOString(),
    wall_time: new Date(e.wall).toISOString(),
    method: e.method,
    path: e.path,
    query: redactUrls(e.query),
    operation: e.operation,
    principal: e.principal,
    headers: redactHeaders(e.headers, e.secretHeaders),
    body: redactBody(e.body),
    status: e.status,
    response: responseOf(e.response),
    duration_ms: Math.round(e.duration_ms * 100) / 100,
    trace_id: e.trace_id,
    scenarios: e.fired,
    ...(e.outgoing && { outgoing: { ...e.outgoing, url: redactUrls(e.outgoing.url) } }),
  };
}

/** The byte budget every namespace's journal shares (request and response bodies counted). */
export class JournalBudget {
  bytes = 0;
  constructor(readonly limit: number) {}
}

/**
 * One namespace's request journal: a ring of the last `size` entries (0 = off), within a byte
 * budget shared by all namespaces.
 */
export class Journal {
  private ring: (RawEntry | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(
    readonly size: number,
    private readonly budget: JournalBudget,
  ) {
    this.ring = new Array(size);
  }

  get enabled(): boolean {
    return this.size > 0;
  }

  /** Records an entry (its `seq` is assigned here). */
  add(entry: RawEntry): RawEntry | null {
    if (this.size === 0) return null;
    // Filled in place (no copy): an entry is retained, so each allocation here costs the GC twice.
    const bytes = (entry.body?.length ?? 0) + (entry.response instanceof JsonText ? entry.response.text.length : 256);
    entry.seq = ++this.seq;
    entry.bytes = bytes;
    this.drop(this.next);
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.size;
    this.budget.bytes += bytes;
    // Over budget: this namespace gives up its oldest entries first.
    for (let i = 0; i < this.size && this.budget.bytes > this.budget.limit; i++) this.drop((this.next + i) % this.size);
    return entry;
  }

  private drop(at: number): void {
    const old = this.ring[at];
    if (!old) return;
    this.budget.bytes -= old.bytes;
    this.ring[at] = undefined;
  }

  /** Entries oldest first. */
  all(): RawEntry[] {
    const out: RawEntry[] = [];
    for (let i = 0; i < this.size; i++) {
      const e = this.ring[(this.next + i) % this.size];
      if (e) out.push(e);
    }
    return out;
  }

  clear(): number {
    const n = this.all().length;
    for (let i = 0; i < this.size; i++) this.drop(i);
    return n;
  }

  /** Gives the namespace's budget back (reset). */
  release(): void {
    this.clear();
  }
}
