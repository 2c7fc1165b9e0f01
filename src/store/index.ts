import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Low } from "lowdb";
import type { Clock } from "../clock.js";
import type { Fixtures } from "../fixtures.js";
import { createIds, cryptoRandom, seededRandom, type Ids, type Random } from "../random.js";
import type { JobRecord, NamespaceState } from "../types.js";
import { DataFileError, DurableJsonFile } from "./files.js";
import { HistoryLog } from "./history-log.js";
import { loadHistory } from "./history-load.js";
import { GroupCommit, type Batch } from "./group-commit.js";
import { entryOf, HistoryIndex, lineOf, linePrefix } from "./history.js";

export const STATE_FILE = "state.json";
export const HISTORY_FILE = "history.jsonl";
const FORMAT = "thoughtspot-channels-emulator/1";

interface DbFile {
  format: string;
  namespaces: Record<string, NamespaceState>;
}

/** One namespace's live state: records, history indexes and its own random/id streams. */
export interface Namespace {
  readonly name: string;
  readonly state: NamespaceState;
  readonly history: HistoryIndex;
  readonly random: Random;
  readonly ids: Ids;
}

export interface StoreOptions {
  /** null keeps everything in memory (--in-memory). */
  dataDir: string | null;
  fixtures: Fixtures;
  seed?: number;
  clock: Clock;
  retentionMs: number;
  /** false = acknowledge once the OS has the bytes (survives a crash of the emulator, not of the machine). */
  fsync?: boolean;
}

export interface Store {
  namespace(name: string): Namespace;
  names(): string[];
  /** Persists the namespace states; resolves when the change is on disk. */
  commit(): Promise<void>;
  /** Indexes jobs (new or updated) and appends them to the history log; resolves when on disk. */
  putJobs(ns: Namespace, records: JobRecord[]): Promise<void>;

  /** Restores one namespace (or all) to the fixtures. */
  reset(name?: string): Promise<void>;
  /** The namespace a bearer token or session id was issued in. */
  namespaceOfToken(token: string): string | undefined;
  rememberToken(ns: Namespace, token: string): void;
  close(): Promise<void>;
}

/** Opens (or creates) the store. Throws DataFileError when a data file exists but is unusable. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const fsync = opts.fsync ?? true;
  const stateFile = opts.dataDir ? new DurableJsonFile<DbFile>(join(opts.dataDir, STATE_FILE), fsync) : null;
  const log = opts.dataDir ? new HistoryLog(join(opts.dataDir, HISTORY_FILE), fsync) : null;
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    removeLeftovers(opts.dataDir);
  }

  const db = new Low<DbFile>(stateFile ?? memoryAdapter(), { format: FORMAT, namespaces: {} });
  await db.read();
  checkDbShape(db.data, stateFile?.file ?? "(memory)");
  // Namespace names come from a request header: no prototype keys ("__proto__", "constructor").
  db.data.namespaces = Object.assign(Object.create(null), db.data.namespaces);

  const histories = new Map<string, HistoryIndex>();
  const historyOf = (name: string) => {
    let h = histories.get(name);
    if (!h) {
      histories.set(name, (h = new HistoryIndex()));
      if (log) h.reader = (off, len) => log.readAt(off, len);
    }
    return h;
  };
  const loadedLines = log ? loadHistory(log, opts.clock.now() - opts.retentionMs, historyOf) : 0;

  const live = new Map<string, Namespace>();
  const tokens = new Map<string, string>();
  for (const [name, state] of Object.entries(db.data.namespaces)) for (const t of state.tokens) tokens.set(t.token, name);
  const names = () => [...new Set([...Object.keys(db.data.namespaces), ...histories.keys()])];

  let compactPending = false;
  const compact = async (log: HistoryLog) => {
    const placed: { h: HistoryIndex; i: number; prefix: number; json: string }[] = [];
    const lines = function* (): Generator<string> {
      for (const [name, h] of histories) {
        for (const [i, e] of h.entries()) {
          const prefix = linePrefix(name, e);
          const json = h.jsonOf(i);
          placed.push({ h, i, prefix: Buffer.byteLength(prefix), json });
          yield `${prefix}${json}}`;
        }
      }
    };
    await log.replace(lines(), (offsets) => {
      placed.forEach(({ h, i, prefix, json }, k) => h.relocate(i, offsets[k] + prefix, Buffer.byteLength(json), json));
    });
  };
  const committer = new GroupCommit(async (batch: Batch) => {
    if (compactPending && log) {
      compactPending = false;
      await compact(log);
    }
    await Promise.all([batch.state ? db.write() : undefined, log?.append(batch.lines)]);
  });
  // Expired, superseded and cleared lines make up most of the log: rewrite it once, in the
  // background, through the same single writer as every other write.
  const liveCount = [...histories.values()].reduce((n, h) => n + h.size, 0);
  if (log && loadedLines > 10_000 && loadedLines > 2 * liveCount) {
    compactPending = true;
    void committer.request({}).catch((err) => console.error(`[emulator] History compaction failed: ${(err as Error).message}`));
  }

  const randomFor = (name: string) => (opts.seed === undefined ? cryptoRandom() : seededRandom(opts.seed, name));

  const namespace = (name: string): Namespace => {
    let ns = live.get(name);
    if (ns) return ns;
    let state = db.data.namespaces[name];
    if (!state) state = db.data.namespaces[name] = seedState(opts.fixtures);
    const random = randomFor(name);
    ns = { name, state, history: historyOf(name), random, ids: createIds(random) };
    live.set(name, ns);
    return ns;
  };

  return {
    namespace,
    names,
    commit: () => committer.request({ state: true }),
    putJobs(ns, records) {
      const entries = records.map((r) => entryOf(r));
      ns.history.putMany(entries);
      return committer.request({ lines: entries.map((e) => lineOf(ns.name, e, e.json!)) });
    },
    async reset(name) {
      const targets = name === undefined ? names() : [name];
      for (const n of targets) {
        delete db.data.namespaces[n];
        histories.get(n)?.clear();
        live.delete(n);
        for (const [t, owner] of tokens) if (owner === n) tokens.delete(t);
      }
      await committer.request({ state: true, lines: targets.map((n) => JSON.stringify({ ns: n, clear: true })) });
    },
    namespaceOfToken: (token) => tokens.get(token),
    rememberToken: (ns, token) => void tokens.set(token, ns.name),
    async close() {
      await committer.idle();
      await log?.close();
    },
  };
}

/** Temp files of writes cut off by a crash were never renamed into place: nothing refers to them. */
function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (/^state\.json\.\d+\.\d+\.tmp$/.test(name) || name === `${HISTORY_FILE}.compact.tmp`) rmSync(join(dir, name), { force: true });
  }
}

function seedState(f: Fixtures): NamespaceState {
  return structuredClone({
    orgs: f.orgs,
    users: f.users,
    secret_key: f.secret_key,
    preferences: f.preferences,
    webhooks: f.webhooks,
    tokens: [],
    storage_identity: {},
  });
}

function memoryAdapter() {
  return { read: async () => null, write: async () => {} };
}

function checkDbShape(data: unknown, file: string): asserts data is DbFile {
  const d = data as DbFile;
  if (typeof d !== "object" || d === null || d.format !== FORMAT || typeof d.namespaces !== "object" || d.namespaces === null) {
    throw new DataFileError(file, `it is not an emulator state file (expected {"format":"${FORMAT}","namespaces":{...}})`);
  }
  for (const [name, s] of Object.entries(d.namespaces)) {
    for (const key of ["orgs", "users", "webhooks", "tokens"] as const) {
      if (!Array.isArray(s?.[key])) throw new DataFileError(file, `namespaces.${name}.${key} is not an array`);
    }
    if (typeof s.preferences !== "object" || s.preferences === null) {
      throw new DataFileError(file, `namespaces.${name}.preferences is not an object`);
    }
  }
}

