import { renameSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";
import { AppendFile } from "./append-file.js";
import { fsyncDir } from "./files.js";
import { type Scan, scanLines, setTornTailAside } from "./line-scan.js";

/**
 * The append-only JSON Lines file holding delivery history. Appends are whole or none and fsynced
 * before they are acknowledged; jobs stay on disk and are read back by offset when searched.
 */
export class HistoryLog {
  private readonly out: AppendFile;

  /** `fsync: false` (--no-fsync): appends reach the OS before the ack, but are not power-safe. */
  constructor(
    readonly file: string,
    private readonly fsync = true,
  ) {
    this.out = new AppendFile(file, fsync);
  }

  /** Streams every whole line (see scanLines); the caller opens the log for appends afterwards. */
  scan(onLine: (buf: Buffer, start: number, end: number, fileOffset: number, lineNo: number) => void): Scan {
    return scanLines(this.file, onLine);
  }

  /** After a scan: sets a cut-off last line aside (returns where), and opens the log for appends. */
  openAfter(scan: Scan, now: number): string | null {
    const aside = scan.size > scan.end ? setTornTailAside(this.file, scan, now) : null;
    this.out.open(scan.end);
    return aside;
  }

  get length(): number {
    return this.out.length;
  }

  /** Reads `len` bytes at `offset` as UTF-8 (a job's JSON, located when it was indexed). */
  readAt(offset: number, len: number): string {
    return this.out.readAt(offset, len).toString("utf8");
  }

  /** Appends lines; resolves with the offset of each once they are on disk. */
  async append(lines: string[]): Promise<number[]> {
    if (lines.length === 0) return [];
    const text = `${lines.join("\n")}\n`;
    const start = await this.out.append(Buffer.from(text));
    const offsets: number[] = [];
    let at = start;
    for (const line of lines) {
      offsets.push(at);
      at += Buffer.byteLength(line) + 1;
    }
    return offsets;
  }

  /**
   * Replaces the whole log (compaction), writing a temp file in chunks so the event loop stays
   * free. Then, in one synchronous step, the temp file is renamed into place, the log reopened and
   * `onPlaced(offsets)` told where each line now is: no read can see the new file with old offsets.
   */
  async replace(lines: Iterable<string>, onPlaced: (offsets: number[]) => void): Promise<void> {
    const tmp = `${this.file}.compact.tmp`;
    const fh = await open(tmp, "w", 0o600);
    const offsets: number[] = [];
    let pos = 0;
    try {
      let chunk: string[] = [];
      const flush = async () => {
        const text = chunk.length ? `${chunk.join("\n")}\n` : "";
        chunk = [];
        if (text) await fh.write(text);
      };
      for (const line of lines) {
        offsets.push(pos);
        pos += Buffer.byteLength(line) + 1;
        chunk.push(line);
        if (chunk.length === 1000) await flush(); // each line may be read from the log: small steps keep the loop free
      }
      await flush();
      if (this.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    renameSync(tmp, this.file);
    this.out.open(pos);
    onPlaced(offsets);
    if (this.fsync) await fsyncDir(dirname(this.file));
  }

  close(): void {
    this.out.closeSync();
  }
}
