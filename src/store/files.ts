import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync } from "node:fs";
import { open, rename, writeFile, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Adapter } from "lowdb";

/** A data file that exists but cannot be used: start-up stops with this message; the file is untouched. */
export class DataFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(
      `[emulator] Cannot load the data file ${file}: ${problem}.\n` +
        `[emulator] The file was left untouched. Fix or remove it, or start with --reset-data ` +
        `to move the data dir's files aside (kept as *.corrupt-<time>) and begin again from the fixtures.`,
    );
    this.name = "DataFileError";
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic.
  }
}

/**
 * lowdb adapter that makes every write durable: write a temp file, fsync it, rename it over the
 * data file, fsync the directory. A reader never sees a half-written file.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private seq = 0;
  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    return this.readSync();
  }

  readSync(): T | null {
    if (!existsSync(this.file)) return null;
    const text = readFileSync(this.file, "utf8");
    if (text.trim() === "") throw new DataFileError(this.file, "the file is empty (truncated?)");
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new DataFileError(this.file, `it is not valid JSON (${(err as Error).message})`);
    }
  }

  async write(data: T): Promise<void> {
    const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(JSON.stringify(data));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    await fsyncDir(dirname(this.file));
  }
}

/** The append-only JSON Lines log holding delivery history; appends are fsynced before ack. */
export class HistoryLog {
  private fh: FileHandle | null = null;
  constructor(readonly file: string) {}

  /** Parses every line; a line that is not JSON (corruption, truncation) stops start-up. */
  readAll(onLine: (value: unknown, lineNo: number) => void): number {
    if (!existsSync(this.file)) return 0;
    const text = readFileSync(this.file, "utf8");
    let start = 0;
    let lineNo = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end === -1) {
        throw new DataFileError(this.file, `line ${lineNo + 1} is incomplete (the file ends without a newline: truncated?)`);
      }
      lineNo++;
      if (end > start) {
        let value: unknown;
        try {
          value = JSON.parse(text.slice(start, end));
        } catch (err) {
          throw new DataFileError(this.file, `line ${lineNo} is not valid JSON (${(err as Error).message})`);
        }
        onLine(value, lineNo);
      }
      start = end + 1;
    }
    return lineNo;
  }

  async append(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    if (!this.fh) this.fh = await open(this.file, "a");
    await this.fh.write(lines.join("\n") + "\n");
    await this.fh.datasync();
  }

  /** Replaces the whole log atomically (compaction); the old handle is closed first. */
  async replace(lines: string[]): Promise<void> {
    await this.close();
    const tmp = `${this.file}.compact.tmp`;
    await writeFile(tmp, lines.length ? lines.join("\n") + "\n" : "");
    const fd = openSync(tmp, "r");
    fsyncSync(fd);
    closeSync(fd);
    await rename(tmp, this.file);
    await fsyncDir(dirname(this.file));
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }
}

/** Moves the data dir's files aside (for --reset-data) and returns the new names. */
export function moveAside(dataDir: string, names: string[], now: number): string[] {
  const moved: string[] = [];
  for (const name of names) {
    const file = join(dataDir, name);
    if (!existsSync(file)) continue;
    const target = `${file}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, "-")}`;
    renameSync(file, target);
    moved.push(target);
  }
  return moved;
}
