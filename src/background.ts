/**
 * Work that outlives a request (delivery retries): tracked so it can be stopped. A namespace's
 * work is a child of the emulator's: a reset stops the one, close() stops all.
 */
export class Background {
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<unknown>>();
  private readonly children = new Set<Background>();

  private constructor(private readonly parent: Background | null) {}

  static root(): Background {
    return new Background(null);
  }

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted by close(): pass it to timers that wait between attempts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  child(): Background {
    const c = new Background(this);
    if (this.closed) c.controller.abort();
    else this.children.add(c);
    return c;
  }

  track(work: Promise<unknown>): void {
    const p = work.catch(() => {}).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Stops the work (timers waiting on `signal` end at once) and waits for it to settle. */
  async close(): Promise<void> {
    this.controller.abort();
    this.parent?.children.delete(this);
    await Promise.all([...[...this.children].map((c) => c.close()), ...this.running]);
  }
}
