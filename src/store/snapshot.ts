import { existsSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { Adapter } from "lowdb";
import type { NamespaceState } from "../schemas/records.js";
import { DataFileError, fsyncDir } from "./files.js";
import type { NamespaceRecords } from "./records.js";

export const FORMAT_V1 = "thoughtspot-channels-emulator/1";
export const FORMAT = "thoughtspot-channels-emulator/2";

/** state.json as read: every namespace's records when the snapshot began, and where the op logs take over. */
export interface SnapshotRead {
  /** Op logs `ops-<n>.jsonl` with n ≥ wal hold every change since. */
  wal: number;
  /** The last random-stream generation of every namespace ever used (dropped ones too). */
  generations: Record<string, number>;
  namespaces: Record<string, NamespaceState>;
}

/** What a snapshot writes: the committed records of each namespace (tokens as a Map). */
export interface SnapshotWrite {
  wal: number;
  generations: Record<string, number>;
  namespaces: Iterable<[string, NamespaceRecords]>;
}

const CHUNK_BYTES = 1 << 20;
const TOKENS_PER_SLICE = 2000;

/**
 * lowdb adapter for state.json. Reading parses and checks it (format 1, a plain state file, is
 * read as a snapshot with no op log). Writing never holds the event loop for long: the file is
 * written namespace by namespace (tokens in slices), yielding between, to a temp file that is
 * fsynced and renamed over state.json.
 */
export class SnapshotFile implements Adapter<SnapshotRead | SnapshotWrite> {
  constructor(
    readonly file: string,
    private readonly fsync: boolean,
  ) {}

  async read(): Promise<SnapshotRead | null> {
    if (!existsSync(this.file)) return null;
    const text = readFileSync(this.file, "utf8");
    if (text.trim() === "") throw new DataFileError(this.file, "the file is empty (truncated?)");
    let d: { format?: unknown; wal?: unknown; generations?: unknown; namespaces?: unknown };
    try {
      d = JSON.parse(text);
    } catch (err) {
      throw new DataFileError(this.file, `it is not valid JSON (${(err as Error).message})`);
    }
    if (
      typeof d !== "object" ||
      d === null ||
      (d.format !== FORMAT && d.format !== FORMAT_V1) ||
      typeof d.namespaces !== "object" ||
      d.namespaces === null
    ) {
      throw new DataFileError(this.file, `it is not an emulator state file (expected {"format":"${FORMAT}","namespaces":{...}})`);
    }
    const namespaces = d.namespaces as Record<string, NamespaceState>;
    for (const [name, s] of Object.entries(namespaces)) {
      for (const key of ["orgs", "users", "webhooks", "tokens"] as const) {
        if (!Array.isArray(s?.[key])) throw new DataFileError(this.file, `namespaces.${name}.${key} is not an array`);
      }
      if (typeof s.preferences !== "object" || s.preferences === null)
        throw new DataFileError(this.file, `namespaces.${name}.preferences is not an object`);
      s.storage_identity ??= {};
    }
    const generations = d.format === FORMAT ? ((d.generations ?? {}) as Record<string, number>) : {};
    return { wal: d.format === FORMAT && typeof d.wal === "number" ? d.wal : 0, generations, namespaces };
  }

  async write(data: SnapshotRead | SnapshotWrite): Promise<void> {
    const tmp = `${this.file}.${process.pid}.snapshot.tmp`;
    const fh = await open(tmp, "w", 0o600);
    try {
      let pending: string[] = [];
      let bytes = 0;
      const put = async (s: string) => {
        pending.push(s);
        bytes += s.length;
        if (bytes >= CHUNK_BYTES) {
          const text = pending.join("");
          pending = [];
          bytes = 0;
          await fh.write(text);
          await yieldToLoop();
        }
      };
      await put(`{"format":${JSON.stringify(FORMAT)},"wal":${data.wal},"generations":${JSON.stringify(data.generations)},"namespaces":{`);
      let first = true;
      for (const [name, s] of entriesOf(data)) {
        const { tokens, ...rest } = s;
        const head = JSON.stringify(rest);
        await put(`${first ? "" : ","}${JSON.stringify(name)}:${head.slice(0, -1)}${head.length > 2 ? "," : ""}"tokens":[`);
        first = false;
        const list = tokens instanceof Map ? [...tokens.values()] : tokens;
        for (let i = 0; i < list.length; i += TOKENS_PER_SLICE) {
          const slice = JSON.stringify(list.slice(i, i + TOKENS_PER_SLICE));
          await put(`${i ? "," : ""}${slice.slice(1, -1)}`);
        }
        await put("]}");
        await yieldToLoop();
      }
      await put("}}");
      if (pending.length) await fh.write(pending.join(""));
      if (this.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    if (this.fsync) await fsyncDir(dirname(this.file));
  }
}

function entriesOf(data: SnapshotRead | SnapshotWrite): Iterable<[string, NamespaceRecords | NamespaceState]> {
  const ns = data.namespaces;
  return Symbol.iterator in ns ? ns : Object.entries(ns);
}
