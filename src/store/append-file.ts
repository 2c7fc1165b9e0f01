import { closeSync, constants, fdatasync, fstat, ftruncateSync, openSync, readSync, stat, write } from "node:fs";
import { promisify } from "node:util";
import { ApiError } from "../errors.js";

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const fstatAsync = promisify(fstat);
const statAsync = promisify(stat);

/** The store can no longer write its data dir: every change is refused (503) until a restart. */
export class StoreFailure extends ApiError {
  constructor(message: string) {
    super(503, message);
    this.name = "StoreFailure";
  }
}

/**
 * An append-only file of JSON lines, written at explicit offsets: an append is whole (every byte
 * written, then fdatasync) or none (the file is truncated back to where it began). Before each
 * append the file must still be the one opened (not replaced or removed by another process).
 */
export class AppendFile {
  private fd: number | null = null;
  private size = 0;
  private ident = "";
  private broken: StoreFailure | null = null;

  /** `fsync: false` (--no-fsync): appends reach the OS before they are acknowledged, but are not power-safe. */
  constructor(
    readonly file: string,
    private readonly fsync: boolean,
  ) {}

  /** Bytes of whole lines in the file. */
  get length(): number {
    return this.size;
  }

  /** Opens (or creates, 0600) the file for appends after its first `size` bytes. */
  open(size: number): void {
    this.closeSync();
    this.fd = openSync(this.file, constants.O_RDWR | constants.O_CREAT, 0o600);
    this.size = size;
    this.ident = "";
  }

  private async checkIdentity(fd: number): Promise<void> {
    const [own, onDisk] = await Promise.all([fstatAsync(fd), statAsync(this.file).catch(() => null)]);
    const id = `${own.dev}:${own.ino}`;
    this.ident ||= id;
    if (!onDisk || `${onDisk.dev}:${onDisk.ino}` !== this.ident || own.nlink === 0) {
      throw new StoreFailure(
        `${this.file} was removed or replaced while the emulator was running (another process using the same data dir?). ` +
          "Nothing more is written; restart the emulator.",
      );
    }
  }

  /** Appends `data` (whole lines); resolves with the offset it starts at once it is on disk. */
  async append(data: Buffer): Promise<number> {
    if (this.broken) throw this.broken;
    if (this.fd === null) throw new Error(`${this.file} is not open`);
    const fd = this.fd;
    const start = this.size;
    try {
      await this.checkIdentity(fd);
      let done = 0;
      while (done < data.length) {
        const { bytesWritten: n } = await writeAsync(fd, data, done, data.length - done, start + done);
        if (n <= 0) throw new Error("the write made no progress");
        done += n;
      }
      if (this.fsync) await fdatasyncAsync(fd);
    } catch (err) {
      if (err instanceof StoreFailure) {
        this.broken = err;
        throw err;
      }
      this.truncateBack(fd, start, err as Error);
      throw err;
    }
    this.size = start + data.length;
    return start;
  }

  private truncateBack(fd: number, size: number, cause: Error): void {
    try {
      // Synchronous: nothing may append between the failed write and its removal.
      ftruncateSync(fd, size);
    } catch (err) {
      this.broken = new StoreFailure(
        `Could not undo a failed write to ${this.file} (${cause.message}; then ${(err as Error).message}). ` +
          "Nothing more is written; restart the emulator once the disk is fixed.",
      );
    }
  }

  /** Reads `len` bytes at `offset`; a short read is an error, never unfilled bytes. */
  readAt(offset: number, len: number): Buffer {
    if (this.fd === null) throw new Error(`${this.file} is not open`);
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, buf, got, len - got, offset + got);
      if (n === 0) throw new Error(`short read in ${this.file}: ${got} of ${len} bytes at offset ${offset}`);
      got += n;
    }
    return buf;
  }

  closeSync(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
