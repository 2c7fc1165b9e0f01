/**
 * Long polls over a ring of messages (the inbox, the outbox): `wait` answers the messages matching
 * now, or the next matching one `notify` is given within `ms`, or none when the time is up, the
 * signal aborts or the ring is closed.
 */
export class Waiters<T, F> {
  private readonly waiting = new Set<{ f: F; resolve: (m: T[]) => void }>();

  constructor(private readonly matches: (m: T, f: F) => boolean) {}

  wait(now: T[], f: F, ms: number, signal?: AbortSignal): Promise<T[]> {
    if (now.length || ms <= 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter = {
        f,
        resolve: (m: T[]) => {
          clearTimeout(timer);
          this.waiting.delete(waiter);
          resolve(m);
        },
      };
      const timer = setTimeout(() => waiter.resolve([]), ms);
      signal?.addEventListener("abort", () => waiter.resolve([]), { once: true });
      this.waiting.add(waiter);
    });
  }

  /** Hands a new message to every wait it matches. */
  notify(m: T): void {
    for (const waiter of [...this.waiting]) if (this.matches(m, waiter.f)) waiter.resolve([m]);
  }

  /** Ends every wait. */
  close(): void {
    for (const waiter of [...this.waiting]) waiter.resolve([]);
  }
}

/** The sequence number of an `after` given as a message id (`m-12`, `e-3`) or a number. */
export const seqOf = (after: string | number | undefined): number =>
  after === undefined ? 0 : typeof after === "number" ? after : Number(/(\d+)$/.exec(after)?.[1] ?? 0);
