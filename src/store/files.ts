import { existsSync, readFileSync, renameSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Adapter } from "lowdb";

/** A data file that exists but cannot be used: start-up stops with this message; the file is untouched. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `[emulator] Cannot load the data file ${file}: ${problem}.\n` +
        `[emulator] The file was left untouched. Fix or remove it, or start with --reset-data ` +
        `to move the data dir's files aside (kept as *.corrupt-<time>) and begin again from the fixtures.`,
    );
    this.name = "DataFileError";
  }
}

export async function fsyncDir(dir: string): Promise<void> {
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
  /** `fsync: false` (--no-fsync): the rename still makes each write atomic, but not power-safe. */
  constructor(
    readonly file: string,
    private readonly fsync = true,
  ) {}

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
      if (this.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    if (this.fsync) await fsyncDir(dirname(this.file));
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
