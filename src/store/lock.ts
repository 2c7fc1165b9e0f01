import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export const LOCK_FILE = "emulator.lock";

export interface LockOwner {
  pid: number;
  port: number | null;
  host: string | null;
  started: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockOwner;
  } catch {
    return null;
  }
}

/** A second emulator on a data dir another one holds. */
export class DataDirLocked extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    const where = owner.port === null ? "in process" : `on ${owner.host ?? "127.0.0.1"}:${owner.port}`;
    super(
      `[emulator] The data dir ${dir} is in use by another emulator (pid ${owner.pid}, ${where}, since ${owner.started}). ` +
        "Stop it, or give this one its own --data-dir (or --in-memory).",
    );
    this.name = "DataDirLocked";
  }
}

/**
 * Takes the data dir for this process: `emulator.lock` is created exclusively and names the
 * owner. A lock left by a process that is gone is taken over. Returns the release function.
 */
export function lockDataDir(dir: string, owner: Omit<LockOwner, "pid" | "started">): () => void {
  const file = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, ...owner, started: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const held = readOwner(file);
      if (held && held.pid !== process.pid && alive(held.pid)) throw new DataDirLocked(dir, held);
      if (held?.pid === process.pid) throw new DataDirLocked(dir, held);
      if (attempt > 2) throw err;
      rmSync(file, { force: true }); // the owner is gone (or the file is unreadable): a stale lock
    }
  }
  return () => {
    if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
  };
}
