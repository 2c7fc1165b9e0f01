/** Temporary directories (data dirs, fixtures files) that a test file removes when done. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDirs {
  /** A new empty directory under the OS temp dir, named `<prefix>XXXXXX`. */
  make(): string;
  /** Every directory made so far (and not yet removed). */
  readonly list: string[];
  /** Removes them all. */
  removeAll(): void;
}

/** Temporary directories named after `prefix`; call removeAll() in afterEach/afterAll. */
export function tempDirs(prefix: string): TempDirs {
  const list: string[] = [];
  return {
    list,
    make() {
      const d = mkdtempSync(join(tmpdir(), prefix));
      list.push(d);
      return d;
    },
    removeAll() {
      for (const d of list.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
