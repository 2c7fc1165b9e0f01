/**
 * A namespace's webhook inbox: what the emulator's own receiver (/_emulator/inbox/<name>) got,
 * and what deliveries and validations to hosts it does not call would have carried (marked
 * `simulated`). A ring of the last `size` messages; tests can wait for the next one.
 */

import { seqOf, Waiters } from "./waiters.js";

export interface InboxFile {
  name: string;
  content_type: string;
  size: number;
}

export interface InboxEntry {
  id: string;
  seq: number;
  /** The inbox name of /_emulator/inbox/<name>; for simulated messages, the webhook's name. */
  name: string;
  kind: "validation" | "delivery";
  simulated: boolean;
  /** What the receiver answered (a simulated 200, a scenario's status), or null on a scripted network error. */
  answered: number | null;
  error: string | null;
  received_at: number;
  received_iso: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  webhook: { id: string; name: string } | null;
  job_id: string | null;
  /** The HMAC signature checked with the webhook's secret; null when the webhook has none. */
  signature_valid: boolean | null;
  /** The auth header checked against the webhook's authentication (its value is never shown). */
  auth_valid: boolean | null;
  payload: unknown;
  file: (InboxFile & { url: string }) | null;
}

export interface StoredMessage {
  entry: InboxEntry;
  bytes: Buffer | null;
}

export interface WaitFor {
  /** An inbox name, webhook id or webhook name. */
  name?: string | undefined;
  /** Only messages after this id (or seq). */
  after?: string | number | undefined;
}

const matches = (m: InboxEntry, w: WaitFor) =>
  m.seq > seqOf(w.after) && (w.name === undefined || m.name === w.name || m.webhook?.id === w.name || m.webhook?.name === w.name);

export class Inbox {
  private ring: StoredMessage[] = [];
  private seq = 0;
  private readonly waiters = new Waiters<InboxEntry, WaitFor>(matches);

  constructor(readonly size = 500) {}

  add(entry: Omit<InboxEntry, "id" | "seq" | "file"> & { file: InboxFile | null }, bytes: Buffer | null): InboxEntry {
    const seq = ++this.seq;
    const id = `m-${seq}`;
    const full: InboxEntry = {
      ...entry,
      id,
      seq,
      file: entry.file && { ...entry.file, url: `/_emulator/inbox/${encodeURIComponent(entry.name)}/${id}/file` },
    };
    this.ring.push({ entry: full, bytes });
    if (this.ring.length > this.size) this.ring.shift();
    this.waiters.notify(full);
    return full;
  }

  list(w: WaitFor = {}): InboxEntry[] {
    return this.ring.map((m) => m.entry).filter((m) => matches(m, w));
  }

  get(id: string): StoredMessage | undefined {
    return this.ring.find((m) => m.entry.id === id);
  }

  clear(name?: string): number {
    const before = this.ring.length;
    this.ring = name === undefined ? [] : this.ring.filter((m) => !matches(m.entry, { name }));
    return before - this.ring.length;
  }

  /** The messages matching `w` now, or the next one to arrive within `ms` (empty when none does). */
  wait(w: WaitFor, ms: number, signal?: AbortSignal): Promise<InboxEntry[]> {
    return this.waiters.wait(this.list(w), w, ms, signal);
  }

  /** Ends every wait (reset). */
  close(): void {
    this.waiters.close();
    this.ring = [];
  }
}
