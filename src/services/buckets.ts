import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";

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
}
