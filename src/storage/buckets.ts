import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";

export interface BucketObject {
  bucket: string;
  key: string;
  size: number;
}

/**
 * The local stand-in for one namespace's S3/GCS buckets: files under
 * `<data-dir>/buckets/<namespace>/<bucket>/<key>`, or memory with --in-memory. Folders are 0700
 * and files 0600, like the rest of the data dir: uploads may be anything a user's tests put there.
 */
export class BucketSpace {
  private readonly memory = new Map<string, Buffer>();
  private readonly madeDirs = new Set<string>();
  private readonly written = new Map<string, Buffer>();

  /** `dir` is this namespace's folder (null: memory only). */
  constructor(private readonly dir: string | null) {}

  async put(bucket: string, key: string, bytes: Buffer): Promise<void> {
    if (!this.dir) {
      this.memory.set(`${bucket}/${key}`, bytes);
      return;
    }
    const root = resolve(this.dir);
    const target = resolve(root, bucket, key);
    if (!target.startsWith(root + sep)) throw new Error(`object key escapes the bucket folder: ${bucket}/${key}`);
    const dir = join(target, "..");
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      this.madeDirs.add(dir);
    }
    // A PUT of the very bytes this process already wrote at this key changes nothing (validations
    // within one second share a file name), and rewriting a file in place makes ext4 flush it.
    if (this.written.get(target)?.equals(bytes)) return;
    await writeFile(target, bytes, { mode: 0o600 });
    if (this.written.size > 10_000) this.written.clear();
    this.written.set(target, bytes);
  }

  /** What the buckets hold (at most `limit` objects), for GET /_emulator/buckets. */
  async list(limit = 1000): Promise<BucketObject[]> {
    if (!this.dir) {
      return [...this.memory].slice(0, limit).map(([path, bytes]) => {
        const [bucket = "", ...key] = path.split("/");
        return { bucket, key: key.join("/"), size: bytes.length };
      });
    }
    const root = resolve(this.dir);
    const out: BucketObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (out.length >= limit) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else {
          const [bucket = "", ...key] = relative(root, path).split(sep);
          out.push({ bucket, key: key.join("/"), size: (await stat(path)).size });
        }
      }
    };
    await walk(root);
    return out;
  }

  /** Removes every object (namespace reset). */
  async drop(): Promise<void> {
    this.memory.clear();
    this.madeDirs.clear();
    this.written.clear();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/** The folder of a namespace's buckets under the data dir (null with --in-memory). */
export function bucketDir(dataDir: string | null, namespace: string): string | null {
  return dataDir ? join(dataDir, "buckets", namespace) : null;
}
