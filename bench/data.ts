/**
 * Generated history data dirs, cached in os.tmpdir()/ts-emulator-bench-<size> and never handed to a
 * server directly: every server gets a fresh copy (it writes state.json, appends history, may compact).
 */
import { createHash } from "node:crypto";
import { constants, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchData, generateDataDir } from "./generate-history.js";

/** Bump when the cache layout changes; changes of the generated lines are caught by the probe hash. */
const FORMAT_VERSION = 1;
const MAX_AGE_MS = 2 * 86_400_000; // jobs must stay inside the 3-day retention window
const HISTORY = "history.jsonl";
const CACHE = "bench-cache.json";

interface CacheMeta {
  key: string;
  size: number;
  generatedAt: number;
  bytes: number;
  mtimeMs: number;
  data: BenchData;
}

/**
 * The cache key: the format version plus a hash of a small probe generated with a fixed clock and
 * seed, so any change to the generator or the history line format regenerates the cached dirs.
 */
export async function cacheKey(): Promise<string> {
  const probe = join(tmpdir(), `ts-emulator-bench-probe-${process.pid}`);
  try {
    await generateDataDir(probe, 50, Date.UTC(2026, 0, 1), 1);
    const hash = createHash("sha256")
      .update(readFileSync(join(probe, HISTORY)))
      .digest("hex");
    return `v${FORMAT_VERSION}-${hash.slice(0, 16)}`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

function readMeta(dir: string): CacheMeta | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, CACHE), "utf8")) as CacheMeta;
  } catch {
    return undefined;
  }
}

function untouched(meta: CacheMeta): boolean {
  const file = join(meta.data.dir, HISTORY);
  if (!existsSync(file)) return false;
  const st = statSync(file);
  return st.size === meta.bytes && st.mtimeMs === meta.mtimeMs;
}

/** The cached data dir for `size` jobs, regenerated when missing, stale, modified or of another key. */
export async function cachedData(size: number, key: string, log: (s: string) => void): Promise<BenchData> {
  const dir = join(tmpdir(), `ts-emulator-bench-${size}`);
  const meta = readMeta(dir);
  if (meta && meta.key === key && meta.size === size && Date.now() - meta.generatedAt < MAX_AGE_MS && untouched(meta)) {
    log(`data ${size}: cached in ${dir} (${meta.data.jobs} jobs, generated ${new Date(meta.generatedAt).toISOString()})`);
    return meta.data;
  }
  const t = performance.now();
  const generatedAt = Date.now();
  const data = await generateDataDir(dir, size, generatedAt);
  const st = statSync(join(dir, HISTORY));
  const fresh: CacheMeta = { key, size, generatedAt, bytes: st.size, mtimeMs: st.mtimeMs, data };
  writeFileSync(join(dir, CACHE), JSON.stringify(fresh));
  log(
    `data ${size}: generated ${data.jobs} jobs (${(st.size / 1e6).toFixed(0)} MB) in ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  return data;
}

/** After the run: true when the cached history file is still byte-for-byte the generated one (size + mtime). */
export function stillUntouched(data: BenchData): boolean {
  const meta = readMeta(data.dir);
  return meta !== undefined && untouched(meta);
}

/** A fresh run dir holding a copy of the cached history (reflink where the filesystem can). */
export function copyForRun(data: BenchData | null, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (data) copyFileSync(join(data.dir, HISTORY), join(dir, HISTORY), constants.COPYFILE_FICLONE);
  return dir;
}
