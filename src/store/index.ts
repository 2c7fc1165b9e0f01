import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Low } from "lowdb";
import type { Clock } from "../clock.js";
import type { Fixtures } from "../fixtures.js";
import { createIds, cryptoRandom, type Ids, type Random, seededRandom } from "../random.js";
import type { JobRecord } from "../schemas/history.js";
import type { NamespaceState } from "../schemas/records.js";
import { DurableJsonFile } from "./files.js";
import { HistoryIndex } from "./history-index.js";
import { entryOf, lineOf } from "./history-lines.js";
import { loadHistory } from "./history-load.js";
import { HistoryLog } from "./history-log.js";
import { checkDbShape, type DbFile, emptyDb, HISTORY_FILE, memoryAdapter, removeLeftovers, STATE_FILE, seedState } from "./state-file.js";
import { TokenIndex } from "./tokens.js";
import { Writer } from "./writer.js";

export { HISTORY_FILE, STATE_FILE } from "./state-file.js";

/** What the store keeps for one namespace: its records, history index and random/id streams. */
export interface StoredNamespace {
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
  seed?: number | undefined;
  clock: Clock;
  retentionMs: number;
  /** false = acknowledge once the OS has the bytes (survives a crash of the emulator, not of the machine). */
  fsync?: boolean;
  log?: (line: string) => void;
}

export interface Store {
  namespace(name: string): StoredNamespace;
  /** Every namespace with records or history. */
  names(): string[];
  /** Persists the namespace states; resolves when the change is on disk. */
  commit(): Promise<void>;
  /** Indexes jobs (new or updated) and appends them to the history log; resolves when on disk. */
  putJobs(ns: StoredNamespace, records: JobRecord[]): Promise<void>;
  /** Forgets namespaces' records, history and tokens (they are seeded again on next use). */
  reset(names: string[]): Promise<void>;
  readonly tokens: TokenIndex;
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

  const db = new Low<DbFile>(stateFile ?? memoryAdapter(), emptyDb());
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

  const tokens = new TokenIndex();
  for (const [name, state] of Object.entries(db.data.namespaces)) tokens.load(name, state);

  const writer = new Writer(db, log, histories, opts.log ?? ((line) => console.error(line)));
  // Expired, superseded and cleared lines make up most of the log: rewrite it once, in the background.
  const liveCount = [...histories.values()].reduce((n, h) => n + h.size, 0);
  if (loadedLines > 10_000 && loadedLines > 2 * liveCount) writer.compactSoon();

  const live = new Map<string, StoredNamespace>();
  const randomFor = (name: string) => (opts.seed === undefined ? cryptoRandom() : seededRandom(opts.seed, name));

  return {
    tokens,
    namespace(name) {
      let ns = live.get(name);
      if (ns) return ns;
      let state = db.data.namespaces[name];
      if (!state) {
        state = db.data.namespaces[name] = seedState(opts.fixtures);
        tokens.load(name, state);
      }
      const random = randomFor(name);
      ns = { name, state, history: historyOf(name), random, ids: createIds(random) };
      live.set(name, ns);
      return ns;
    },
    names: () => [...new Set([...Object.keys(db.data.namespaces), ...histories.keys()])],
    commit: () => writer.request({ state: true }),
    putJobs(ns, records) {
      const entries = records.map((r) => entryOf(r));
      ns.history.putMany(entries);
      return writer.request({ lines: entries.map((e) => lineOf(ns.name, e, e.json!)) });
    },
    async reset(names) {
      for (const n of names) {
        tokens.forget(n, db.data.namespaces[n]);
        delete db.data.namespaces[n];
        histories.get(n)?.clear();
        live.delete(n);
      }
      await writer.request({ state: true, lines: names.map((n) => JSON.stringify({ ns: n, clear: true })) });
    },
    async close() {
      await writer.idle();
      await log?.close();
    },
  };
}
