/**
 * What the same-I/O baselines share: their options, the fixed answer of exactly the emulator's size,
 * and, for durable writes, an append-only log with group commit (one write + fdatasync in flight,
 * everything that arrives meanwhile goes into the next one), like the emulator's op log.
 *
 *   --bytes N        answer N bytes of JSON (status 200), or nothing with --status 204
 *   --status S       200 or 204, as the emulator answers this endpoint
 *   --log FILE       durable write: append each request's body as one line, acknowledge once on disk
 *   --no-fsync       with --log: acknowledge once the OS has the bytes (the emulator's --no-fsync)
 *
 * GET /_baseline/stats answers {commits, changes} (group commits since start, the bodies they carried).
 */
import { fdatasync, openSync, write } from "node:fs";
import { parseArgs } from "node:util";

export interface SameIoOptions {
  port: number;
  host: string;
  status: 200 | 204;
  /** The answer: exactly --bytes bytes (empty for 204). */
  body: Buffer;
  log: LineLog | null;
}

export function sameIoOptions(): SameIoOptions {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      bytes: { type: "string", default: "0" },
      status: { type: "string", default: "200" },
      log: { type: "string" },
      "no-fsync": { type: "boolean", default: false },
    },
  });
  const status = Number(values.status);
  if (status !== 200 && status !== 204) throw new Error(`--status must be 200 or 204, not ${values.status}`);
  return {
    port: Number(values.port),
    host: values.host!,
    status,
    body: status === 204 ? Buffer.alloc(0) : fixedJson(Number(values.bytes)),
    log: values.log ? new LineLog(values.log, !values["no-fsync"]) : null,
  };
}

/** A JSON document of exactly `bytes` bytes (`{"pad":"xxx…"}`; shorter than 10 bytes: a JSON string or digits). */
export function fixedJson(bytes: number): Buffer {
  if (bytes >= 10) return Buffer.from(`{"pad":"${"x".repeat(bytes - 10)}"}`);
  if (bytes >= 2) return Buffer.from(`"${"x".repeat(bytes - 2)}"`);
  return Buffer.from("0".repeat(bytes));
}

interface Waiter {
  line: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const writeAsync = (fd: number, buf: Buffer, pos: number) =>
  new Promise<number>((resolve, reject) => write(fd, buf, 0, buf.length, pos, (err, n) => (err ? reject(err) : resolve(n))));
const fdatasyncAsync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/** Append-only JSON Lines file with group commit: positional write, then fdatasync, one batch at a time. */
export class LineLog {
  private readonly fd: number;
  private size = 0;
  private queue: Waiter[] = [];
  private running = false;
  readonly stats = { commits: 0, changes: 0 };

  constructor(
    file: string,
    private readonly fsync: boolean,
  ) {
    this.fd = openSync(file, "w", 0o600);
  }

  append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      const buf = Buffer.from(`${batch.map((w) => w.line).join("\n")}\n`);
      try {
        let done = 0;
        while (done < buf.length) done += await writeAsync(this.fd, done ? buf.subarray(done) : buf, this.size + done);
        if (this.fsync) await fdatasyncAsync(this.fd);
        this.size += buf.length;
        this.stats.commits++;
        this.stats.changes += batch.length;
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.running = false;
  }
}

/** The body as one line (JSON has no raw newlines once parsed and stringified; the raw text may). */
export const lineOf = (parsed: unknown) => JSON.stringify(parsed);

export function stop(close: (cb: () => void) => void): void {
  const end = () => close(() => process.exit(0));
  process.on("SIGINT", end);
  process.on("SIGTERM", end);
}
