import type { Low } from "lowdb";
import { type Batch, GroupCommit } from "./group-commit.js";
import type { HistoryIndex } from "./history-index.js";
import { linePrefix } from "./history-lines.js";
import type { HistoryLog } from "./history-log.js";
import type { DbFile } from "./state-file.js";

/**
 * The single writer of the data dir: state.json by atomic replace, history lines by fsynced
 * append, and (once, when asked) a compaction of the history log, all through one group commit.
 */
export class Writer {
  private compactPending = false;
  private readonly commit: GroupCommit;

  constructor(
    private readonly db: Low<DbFile>,
    private readonly log: HistoryLog | null,
    private readonly histories: Map<string, HistoryIndex>,
    private readonly onError: (message: string) => void,
  ) {
    this.commit = new GroupCommit((batch) => this.write(batch));
  }

  /** Resolves when the change is on disk. */
  request(change: { state?: boolean; lines?: string[] }): Promise<void> {
    return this.commit.request(change);
  }

  /** Rewrites the history log without its expired, superseded and cleared lines, in the background. */
  compactSoon(): void {
    if (!this.log) return;
    this.compactPending = true;
    void this.commit.request({}).catch((err) => this.onError(`[emulator] History compaction failed: ${(err as Error).message}`));
  }

  idle(): Promise<void> {
    return this.commit.idle();
  }

  private async write(batch: Batch): Promise<void> {
    if (this.compactPending && this.log) {
      this.compactPending = false;
      await this.compact(this.log);
    }
    await Promise.all([batch.state ? this.db.write() : undefined, this.log?.append(batch.lines)]);
  }

  private async compact(log: HistoryLog): Promise<void> {
    const placed: { h: HistoryIndex; i: number; prefix: number; json: string }[] = [];
    const histories = this.histories;
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
        h.relocate(i, offsets[k]! + prefix, Buffer.byteLength(json), json);
      });
    });
  }
}
