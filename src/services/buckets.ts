import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { StorageDestination } from "../types.js";

/**
 * Where a webhook's storage destination puts `file`: its bucket, and the key under its
 * path_prefix (or `defaultPrefix` when it has none).
 */
export function storageTarget(dest: StorageDestination, defaultPrefix: string, file: string) {
  const cfg = dest.storage_config.aws_s3_config ?? dest.storage_config.gcp_gcs_config!;
  const prefix = (cfg.path_prefix ?? defaultPrefix).replace(/^\/+|\/+$/g, "");
  return { bucket: cfg.bucket_name, key: prefix ? `${prefix}/${file}` : file, region: dest.storage_config.aws_s3_config?.region ?? null };
}

/** The local stand-in for S3/GCS buckets: files under <data-dir>/buckets, or memory with --in-memory. */
export class Buckets {
  private readonly memory = new Map<string, Buffer>();
  private readonly madeDirs = new Set<string>();
  private readonly written = new Map<string, Buffer>();
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
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    // A PUT of the very bytes this process already wrote at this key changes nothing (validations
    // within one second share a file name), and rewriting a file in place makes ext4 flush it.
    if (this.written.get(target)?.equals(bytes)) return;
    await writeFile(target, bytes);
    if (this.written.size > 10_000) this.written.clear();
    this.written.set(target, bytes);
  }

  /** What the buckets hold (at most `limit` objects), for GET /_emulator/buckets. */
  async list(limit = 1000): Promise<{ bucket: string; key: string; size: number }[]> {
    if (!this.dir) {
      return [...this.memory].slice(0, limit).map(([path, bytes]) => {
        const [bucket, ...key] = path.split("/");
        return { bucket, key: key.join("/"), size: bytes.length };
      });
    }
    const root = resolve(this.dir);
    const out: { bucket: string; key: string; size: number }[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (out.length >= limit) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else {
          const [bucket, ...key] = relative(root, path).split(sep);
          out.push({ bucket, key: key.join("/"), size: (await stat(path)).size });
        }
      }
    };
    await walk(root);
    return out;
  }
}
