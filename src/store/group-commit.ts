/**
 * Group commit: one write in flight; everything that arrives meanwhile shares the next write.
 * Each change's `committed` callback runs, in arrival order, once the write holding it is on
 * disk, and then its promise resolves. When a write fails, it and every change queued behind it
 * (they may build on it) fail together, after `onFailure` has run.
 */
export interface Change {
  ops?: string[];
  history?: string[];
  /** Runs synchronously once on disk, with the log offset of each history line. */
  committed?: (historyOffsets: number[]) => void;
}

export interface Batch {
  ops: string[];
  history: string[];
}

interface Waiter {
  change: Change;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class GroupCommit {
  private queue: Waiter[] = [];
  private running: Promise<void> | null = null;
  /** Writes done, changes they carried, and the time spent writing (for /_emulator/metrics). */
  readonly stats = { commits: 0, changes: 0, writeMs: 0 };

  constructor(
    /** Writes a batch; resolves with the log offset where its history lines start. */
    private readonly write: (batch: Batch) => Promise<number[]>,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  request(change: Change): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ change, resolve, reject });
      this.running ??= this.loop();
    });
  }

  /** Resolves once nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.queue.length) {
      const waiters = this.queue;
      this.queue = [];
      const batch: Batch = { ops: [], history: [] };
      for (const { change } of waiters) {
        if (change.ops) for (const l of change.ops) batch.ops.push(l);
        if (change.history) for (const l of change.history) batch.history.push(l);
      }
      let offsets: number[];
      const started = performance.now();
      try {
        offsets = await this.write(batch);
        this.stats.commits++;
        this.stats.changes += waiters.length;
        this.stats.writeMs += performance.now() - started;
      } catch (err) {
        const failed = [...waiters, ...this.queue];
        this.queue = [];
        this.onFailure(err);
        for (const w of failed) w.reject(err);
        continue;
      }
      let at = 0;
      for (const w of waiters) {
        const n = w.change.history?.length ?? 0;
        try {
          w.change.committed?.(offsets.slice(at, at + n));
          w.resolve();
        } catch (err) {
          w.reject(err);
        }
        at += n;
      }
    }
    this.running = null;
  }
}
