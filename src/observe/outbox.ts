/**
 * A namespace's e-mail outbox: the messages schedule runs sent through the EMAIL channel
 * (GET /_emulator/outbox), captured instead of sent. A ring of the last `size` messages, like the
 * inbox; tests can wait for the next one.
 */

import { seqOf, Waiters } from "./waiters.js";

export interface OutboxEntry {
  id: string;
  seq: number;
  /** Emulator clock: when the run that sent it was due. */
  sent_at: number;
  sent_iso: string;
  org: { id: string; name: string };
  schedule: { id: string; name: string };
  run_id: string;
  liveboard: { id: string; name: string };
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachment: { name: string; content_type: string; size: number } | null;
}

export interface OutboxFilter {
  /** A schedule id or name. */
  schedule?: string | undefined;
  /** Only messages after this id (or seq). */
  after?: string | number | undefined;
}

const matches = (m: OutboxEntry, f: OutboxFilter) =>
  m.seq > seqOf(f.after) && (f.schedule === undefined || m.schedule.id === f.schedule || m.schedule.name === f.schedule);

export class Outbox {
  private ring: OutboxEntry[] = [];
  private seq = 0;
  private readonly waiters = new Waiters<OutboxEntry, OutboxFilter>(matches);

  constructor(readonly size = 500) {}

  add(entry: Omit<OutboxEntry, "id" | "seq">): OutboxEntry {
    const seq = ++this.seq;
    const full: OutboxEntry = { id: `e-${seq}`, seq, ...entry };
    this.ring.push(full);
    if (this.ring.length > this.size) this.ring.shift();
    this.waiters.notify(full);
    return full;
  }

  list(f: OutboxFilter = {}): OutboxEntry[] {
    return this.ring.filter((m) => matches(m, f));
  }

  clear(): number {
    const n = this.ring.length;
    this.ring = [];
    return n;
  }

  /** The messages matching `f` now, or the next one to arrive within `ms` (empty when none does). */
  wait(f: OutboxFilter, ms: number, signal?: AbortSignal): Promise<OutboxEntry[]> {
    return this.waiters.wait(this.list(f), f, ms, signal);
  }

  /** Ends every wait (reset). */
  close(): void {
    this.waiters.close();
    this.ring = [];
  }
}
