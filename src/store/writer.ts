import type { Low } from "lowdb";
import { StoreFailure } from "./append-file.js";
import { type Batch, type Change, GroupCommit } from "./group-commit.js";
import type { HistoryIndex } from "./history-index.js";
import { linePrefix } from "./history-lines.js";
import type { HistoryLog } from "./history-log.js";
import type { OpLog } from "./op-log.js";
import type { SnapshotRead, SnapshotWrite } from "./snapshot.js";

/** Any write error as the 503 the client gets: what failed, that nothing changed, what to do. */
function asStoreFailure(err: unknown): never {
  if (err instanceof StoreFailure) throw err;
  throw new StoreFailure(
    `The emulator could not write its data dir (${(err as Error).message}). The change was not made; ` +
      "free some space or fix the data dir, then try again.",
  );
}

/** A snapshot is taken once the op log since the last one passes this size. */
const SNAPSHOT_AFTER_BYTES = 8 * 1024 * 1024;
/** The history log is compacted at run time once it is this large and more than twice its live jobs. */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
const COMPACT_CHECK_EVERY = 16 * 1024 * 1024;

export interface WriterOptions {
  ops: OpLog | null;
  history: HistoryLog | null;
  snapshot: Low<SnapshotRead | SnapshotWrite> | null;
  /** The committed state to snapshot, from the op-log generation `wal` on. */
  snapshotOf: (wal: number) => SnapshotWrite;
  histories: Map<string, HistoryIndex>;
  /** A failed write: the store drops every change not on disk. */
  onFailure: (err: unknown) => void;
  log: (line: string) => void;
}

/**
 * The single writer of the data dir. Each group commit appends its ops to the op log and its
 * history lines to the history log, both fsynced, in parallel: the cost of a commit does not grow
 * with the state. In the background it writes snapshots (state.json) when the op log has grown,
 * and compacts the history log when most of it is superseded.
 */
export class Writer {
  private readonly commit: GroupCommit;
  private compactPending = false;
  private snapshotDue = false;
  private snapshotting: Promise<void> | null = null;
  private opsSinceSnapshot = 0;
  private nextCompactCheck = 0;

  constructor(private readonly o: WriterOptions) {
    this.commit = new GroupCommit((batch) => this.write(batch).catch(asStoreFailure), o.onFailure);
  }

  /** Resolves when the change is on disk (and its `committed` callback has run). */
  request(change: Change): Promise<void> {
    return this.commit.request(change);
  }

  /** Rewrites the history log with only its live jobs, through the writer, soon. */
  compactSoon(): void {
    if (!this.o.history || this.compactPending) return;
    this.compactPending = true;
    void this.commit.request({}).catch((err) => this.o.log(`[emulator] History compaction failed: ${(err as Error).message}`));
  }

  idle(): Promise<void> {
    return this.commit.idle();
  }

  get stats(): { commits: number; changes: number; writeMs: number } {
    return this.commit.stats;
  }

  private async write(batch: Batch): Promise<number[]> {
    const { ops, history } = this.o;
    if (this.compactPending && history) {
      this.compactPending = false;
      await this.compact(history);
    }
    if (this.snapshotDue && !this.snapshotting && ops) {
      this.snapshotDue = false;
      this.startSnapshot(ops.rotate());
    }
    const [, offsets] = await Promise.all([ops?.append(batch.ops), history ? history.append(batch.history) : batch.history.map(() => -1)]);
    this.opsSinceSnapshot += batch.ops.length;
    if (ops && ops.length > SNAPSHOT_AFTER_BYTES) this.snapshotDue = true;
    // Summing the live bytes walks every namespace: only when the log has grown 16 MB since the last look.
    if (history && history.length > COMPACT_AFTER_BYTES && history.length >= this.nextCompactCheck) {
      this.nextCompactCheck = history.length + COMPACT_CHECK_EVERY;
      if (history.length > 2 * this.liveBytes()) this.compactSoon();
    }
    return offsets;
  }

  private liveBytes(): number {
    let bytes = 0;
    for (const h of this.o.histories.values()) bytes += h.bytes + 96 * h.size; // the JSON plus its line prefix
    return bytes;
  }

  private startSnapshot(wal: number): void {
    const { snapshot, ops } = this.o;
    if (!snapshot || !ops) return;
    this.opsSinceSnapshot = 0;
    this.snapshotting = (async () => {
      snapshot.data = this.o.snapshotOf(wal);
      await snapshot.write();
      ops.removeBelow(wal);
    })()
      .catch((err) =>
        this.o.log(`[emulator] Could not write a snapshot of the state (the op log keeps every change): ${(err as Error).message}`),
      )
      .finally(() => {
        this.snapshotting = null;
      });
  }

  /** Waits for pending writes and a snapshot in progress; with `final`, snapshots the state so the next start replays nothing. */
  async close(final: boolean): Promise<void> {
    await this.idle();
    await this.snapshotting;
    if (final && this.opsSinceSnapshot > 0 && this.o.ops) {
      try {
        this.startSnapshot(this.o.ops.rotate());
      } catch (err) {
        this.o.log(`[emulator] Could not write a snapshot at shutdown (the op log keeps every change): ${(err as Error).message}`);
      }
      await this.snapshotting;
    }
  }

  private async compact(log: HistoryLog): Promise<void> {
    const placed: { h: HistoryIndex; i: number; prefix: number; json: string }[] = [];
    const histories = this.o.histories;
    const lines = function* (): Generator<string> {
      for (const [name, h] of histories) {
        for (const [i, e] of h.entries()) {
          const prefix = linePrefix(name, e);
          const json = h.jsonOf(i);
          placed.push({ h, i, prefix: Buffer.byteLength(prefix), json });
          yield `${prefix}${json}}`;
        }
      }
    };
    await log.replace(lines(), (offsets) => {
      placed.forEach(({ h, i, prefix, json }, k) => {
        h.relocate(i, offsets[k]! + prefix, Buffer.byteLength(json));
      });
    });
  }
}
