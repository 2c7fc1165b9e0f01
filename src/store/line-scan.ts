import { closeSync, copyFileSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, renameSync, writeSync } from "node:fs";

const CHUNK = 16 * 1024 * 1024;

export interface Scan {
  /** Lines seen (complete ones). */
  lines: number;
  /** Offset just after the last newline: where the file's whole lines end. */
  end: number;
  /** The file's size: more than `end` when the last line was cut off. */
  size: number;
}

/**
 * Streams a JSON Lines file in chunks and calls `onLine(buf, start, end, fileOffset, lineNo)` for
 * every complete line (bytes start..end of buf, without the newline). A last line without its
 * newline is not reported: the caller sees it as `size > end`.
 */
export function scanLines(
  file: string,
  onLine: (buf: Buffer, start: number, end: number, fileOffset: number, lineNo: number) => void,
): Scan {
  if (!existsSync(file)) return { lines: 0, end: 0, size: 0 };
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
    let filled = 0; // bytes in buf
    let base = 0; // file offset of buf[0]
    let lineNo = 0;
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const n = readSync(fd, buf, filled, buf.length - filled, base + filled);
      if (n === 0) break;
      filled += n;
      let start = 0;
      for (let end = buf.indexOf(10, start); end !== -1 && end < filled; end = buf.indexOf(10, start)) {
        lineNo++;
        if (end > start) onLine(buf, start, end, base + start, lineNo);
        start = end + 1;
      }
      buf.copy(buf, 0, start, filled);
      filled -= start;
      base += start;
    }
    return { lines: lineNo, end: base, size: base + filled };
  } finally {
    closeSync(fd);
  }
}

const stamp = (now: number) => new Date(now).toISOString().replace(/[:.]/g, "-");

/**
 * A last line cut off by a crash or power loss was never acknowledged (every acknowledged append
 * ends with its newline): its bytes are moved to `<file>.torn-<time>` and the file ends at its
 * last whole line. Returns the name of the file holding the torn bytes.
 */
export function setTornTailAside(file: string, scan: Scan, now: number): string {
  const aside = `${file}.torn-${stamp(now)}`;
  const fd = openSync(file, "r+");
  try {
    const torn = Buffer.allocUnsafe(scan.size - scan.end);
    readSync(fd, torn, 0, torn.length, scan.end);
    const out = openSync(aside, "w", 0o600);
    try {
      writeSync(out, torn);
    } finally {
      closeSync(out);
    }
    ftruncateSync(fd, scan.end);
  } finally {
    closeSync(fd);
  }
  return aside;
}

/**
 * --repair: rewrites a log without the lines `valid` rejects (they go to
 * `<file>.corrupt-lines-<time>`, the original to `<file>.before-repair-<time>`). Returns how many
 * lines were set aside.
 */
export function repairLog(file: string, valid: (line: string) => boolean, now: number): { removed: number; aside: string } {
  const keep: Buffer[] = [];
  const bad: Buffer[] = [];
  scanLines(file, (buf, start, end) => {
    const line = Buffer.from(buf.subarray(start, end));
    (valid(line.toString("utf8")) ? keep : bad).push(line);
  });
  const aside = `${file}.corrupt-lines-${stamp(now)}`;
  const nl = Buffer.from("\n");
  const join = (lines: Buffer[]) => Buffer.concat(lines.flatMap((l) => [l, nl]));
  const write = (path: string, data: Buffer) => {
    const fd = openSync(path, "w", 0o600);
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
  };
  copyFileSync(file, `${file}.before-repair-${stamp(now)}`);
  write(aside, join(bad));
  write(`${file}.repair.tmp`, join(keep));
  renameSync(`${file}.repair.tmp`, file);
  return { removed: bad.length, aside };
}
