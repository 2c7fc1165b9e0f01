import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AppendFile } from "./append-file.js";
import { DataFileError } from "./files.js";
import { repairLog, scanLines, setTornTailAside } from "./line-scan.js";
import type { Op } from "./ops.js";

const NAME = /^ops-(\d{6,})\.jsonl$/;
const OPS = new Set(["init", "drop", "gen", "put", "del", "set"]);
export const opFileName = (n: number) => `ops-${String(n).padStart(6, "0")}.jsonl`;

function parseOp(line: string): Op | null {
  try {
    const v = JSON.parse(line) as Op;
    return typeof v === "object" && v !== null && typeof v.ns === "string" && OPS.has(v.op) ? v : null;
  } catch {
    return null;
  }
}

export interface LoadOptions {
  repair: boolean;
  now: number;
  warn: (line: string) => void;
}

/**
 * The state's write-ahead log: numbered JSON Lines files of ops (`ops-000001.jsonl`, …). Changes
 * are appended to the newest; a snapshot starts a new one and, once state.json holds everything
 * before it, the older files are removed.
 */
export class OpLog {
  private current: AppendFile | null = null;
  private gen = 0;

  constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
  ) {}

  /** The generation appends go to. */
  get generation(): number {
    return this.gen;
  }

  /** Bytes in the file appends go to. */
  get length(): number {
    return this.current?.length ?? 0;
  }

  private files(): number[] {
    return readdirSync(this.dir)
      .map((f) => NAME.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /**
   * Replays every op file numbered `from` or later, in order, and opens the last for appends.
   * Files below `from` are already in the snapshot and are removed. A cut-off last line is set
   * aside with a warning; any other bad line stops start-up (or, with `repair`, is set aside).
   */
  load(from: number, onOp: (op: Op) => void, opts: LoadOptions): void {
    const all = this.files();
    for (const n of all.filter((n) => n < from)) rmSync(join(this.dir, opFileName(n)), { force: true });
    const live = all.filter((n) => n >= from);
    this.gen = live.at(-1) ?? from;
    for (const n of live) {
      const file = join(this.dir, opFileName(n));
      const ops: Op[] = [];
      const read = () => {
        ops.length = 0;
        return scanLines(file, (buf, start, end, _off, lineNo) => {
          const op = parseOp(buf.toString("utf8", start, end));
          if (!op) throw new DataFileError(file, `line ${lineNo} is not an emulator op ({"ns":…,"op":…})`);
          ops.push(op);
        });
      };
      let scan: ReturnType<typeof scanLines>;
      try {
        scan = read();
      } catch (err) {
        if (!(err instanceof DataFileError) || !opts.repair) throw err;
        const { removed, aside } = repairLog(file, (line) => parseOp(line) !== null, opts.now);
        opts.warn(`[emulator] --repair: set ${removed} unreadable line(s) of ${file} aside in ${aside}.`);
        scan = read();
      }
      for (const op of ops) onOp(op);
      if (scan.size > scan.end) {
        const aside = setTornTailAside(file, scan, opts.now);
        opts.warn(
          `[emulator] ${file} ended in a cut-off line (a write interrupted by a crash, never acknowledged); its bytes are in ${aside}.`,
        );
      }
      if (n === this.gen) {
        this.current = new AppendFile(file, this.fsync);
        this.current.open(scan.end);
      }
    }
    if (!this.current) this.openNew(this.gen);
  }

  private openNew(n: number): void {
    this.current?.closeSync();
    this.gen = n;
    this.current = new AppendFile(join(this.dir, opFileName(n)), this.fsync);
    this.current.open(0);
  }

  async append(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.current!.append(Buffer.from(`${lines.join("\n")}\n`));
  }

  /** Starts a new op file (a snapshot is about to be taken); returns its generation. */
  rotate(): number {
    this.openNew(this.gen + 1);
    return this.gen;
  }

  /** Removes the op files a snapshot now holds. */
  removeBelow(gen: number): void {
    for (const n of this.files().filter((n) => n < gen)) rmSync(join(this.dir, opFileName(n)), { force: true });
  }

  close(): void {
    this.current?.closeSync();
    this.current = null;
  }
}
