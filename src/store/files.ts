import { existsSync, renameSync } from "node:fs";
import { open } from "node:fs/promises";

/** A data file that exists but cannot be used: start-up stops with this message; the file is untouched. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `[emulator] Cannot load the data file ${file}: ${problem}.\n` +
        "[emulator] The file was left untouched. Fix or remove it; or start with --repair to keep every readable line of a log " +
        "(the others are set aside), or with --reset-data to move the unusable file aside (kept as *.corrupt-<time>) and begin that part again from the fixtures.",
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

/** Moves data files aside (--reset-data) and returns the new names. */
export function moveAside(files: string[], now: number): string[] {
  const moved: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const target = `${file}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, "-")}`;
    renameSync(file, target);
    moved.push(target);
  }
  return moved;
}
