/**
 * Group commit: one write in flight; everything that arrives meanwhile shares the next write.
 * Each caller's promise settles when the write holding its change has finished (or failed).
 */
export interface Batch {
  state: boolean;
  lines: string[];
}

export class GroupCommit {
  private pendingState = false;
  private pendingLines: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly write: (batch: Batch) => Promise<void>) {}

  request(change: { state?: boolean; lines?: string[] }): Promise<void> {
    if (change.state) this.pendingState = true;
    if (change.lines) for (const l of change.lines) this.pendingLines.push(l);
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.running ??= this.loop();
    });
  }

  /** Resolves once nothing is pending or in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.waiters.length) {
      const waiters = this.waiters;
      const batch: Batch = { state: this.pendingState, lines: this.pendingLines };
      this.waiters = [];
      this.pendingState = false;
      this.pendingLines = [];
      try {
        await this.write(batch);
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.running = null;
  }
}
