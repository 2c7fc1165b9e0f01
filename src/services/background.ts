/** Work that outlives a request (delivery retries): tracked so close() can stop it. */
export class Background {
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<unknown>>();

  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted by close(): pass it to timers that wait between attempts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  track(work: Promise<unknown>): void {
    const p = work.catch(() => {}).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.running);
  }
}
