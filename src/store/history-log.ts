import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { type FileHandle, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { DataFileError, fsyncDir } from "./files.js";

const CHUNK = 16 * 1024 * 1024;

/**
 * The append-only JSON Lines file holding delivery history. Appends are fsynced before they are
 * acknowledged; jobs loaded at start-up stay on disk and are read back by offset when searched.
 */
export class HistoryLog {
  private appendFh: FileHandle | null = null;
  private readFd: number | null = null;
  /** `fsync: false` (--no-fsync): appends reach the OS before the ack, but are not power-safe. */
  constructor(
    readonly file: string,
    private readonly fsync = true,
  ) {}

  /**
   * Streams the file in chunks and calls `onLine(buf, start, end, fileOffset, lineNo)` for every
   * line (bytes start..end of buf, without the newline). A file that does not end with a newline
   * was truncated: start-up stops.
   */
  scan(onLine: (buf: Buffer, start: number, end: number, fileOffset: number, lineNo: number) => void): number {
    if (!existsSync(this.file)) return 0;
    const fd = openSync(this.file, "r");
    try {
      let buf = Buffer.allocUnsafe(CHUNK);
      let filled = 0; // bytes in buf
      let base = 0; // file offset of buf[0]
      let lineNo = 0;
      for (;;) {
        if (filled === buf.length) {
          const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
        const n = readSync(fd, buf, filled, buf.length - filled, base + filled);
        if (n === 0) break;
        filled += n;
        let start = 0;
        for (let end = buf.indexOf(10, start); end !== -1 && end < filled; end = buf.indexOf(10, start)) {
          lineNo++;
          if (end > start) onLine(buf, start, end, base + start, lineNo);
          start = end + 1;
        }
        buf.copy(buf, 0, start, filled);
        filled -= start;
        base += start;
      }
      if (filled > 0) {
        throw new DataFileError(this.file, `line ${lineNo + 1} is incomplete (the file ends without a newline: truncated?)`);
      }
      return lineNo;
    } finally {
      closeSync(fd);
    }
  }

  /** Reads `len` bytes at `offset` as UTF-8 (a job's JSON, located at load time). */
  readAt(offset: number, len: number): string {
    if (this.readFd === null) this.readFd = openSync(this.file, "r");
    const buf = Buffer.allocUnsafe(len);
    readSync(this.readFd, buf, 0, len, offset);
    return buf.toString("utf8");
  }

  async append(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    if (!this.appendFh) this.appendFh = await open(this.file, "a");
    await this.appendFh.write(`${lines.join("\n")}\n`);
    if (this.fsync) await this.appendFh.datasync();
  }

  /**
   * Replaces the whole log atomically (compaction), writing in chunks so the event loop stays free.
   * `onPlaced(i, offset)` reports the byte offset each line got in the new file, once it is in place.
   */
  async replace(lines: Iterable<string>, onPlaced?: (offsets: number[]) => void): Promise<void> {
    const tmp = `${this.file}.compact.tmp`;
    const fh = await open(tmp, "w");
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
        if (chunk.length === 5000) await flush();
      }
      await flush();
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.closeHandles();
    await rename(tmp, this.file);
    await fsyncDir(dirname(this.file));
    onPlaced?.(offsets);
  }

  private async closeHandles(): Promise<void> {
    const fh = this.appendFh;
    this.appendFh = null;
    if (fh) await fh.close();
    if (this.readFd !== null) closeSync(this.readFd);
    this.readFd = null;
  }

  async close(): Promise<void> {
    await this.closeHandles();
  }
}
