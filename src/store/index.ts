import { chmodSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Low } from "lowdb";
import type { Clock } from "../clock.js";
import { ApiError, badRequest } from "../errors.js";
import type { Fixtures } from "../fixtures.js";
import { createIds, cryptoRandom, type Ids, type Random, seededRandom } from "../random.js";
import type { JobRecord } from "../schemas/history.js";
import type { Preferences } from "../schemas/preferences.js";
import type { TokenRecord, UserRecord } from "../schemas/records.js";
import type { ScheduleRecord, ScheduleRun } from "../schemas/schedules.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { StoreFailure } from "./append-file.js";
import { DataFileError, moveAside } from "./files.js";
import { HistoryIndex } from "./history-index.js";
import { entryOf, linePrefix } from "./history-lines.js";
import { isHistoryLine, loadHistory } from "./history-load.js";
import { HistoryLog } from "./history-log.js";
import { repairLog } from "./line-scan.js";
import { lockDataDir } from "./lock.js";
import { OpLog, opFileName } from "./op-log.js";
import { applyOp, type Op, type RecordOp } from "./ops.js";
import { copyRecords, type NamespaceRecords, recordsOf, stateOf } from "./records.js";
import { SnapshotFile, type SnapshotRead, type SnapshotWrite } from "./snapshot.js";
import { HISTORY_FILE, removeLeftovers, STATE_FILE, seedState } from "./state-file.js";
import { TokenIndex } from "./tokens.js";
import { Writer } from "./writer.js";

export type { NamespaceRecords } from "./records.js";
export { HISTORY_FILE, STATE_FILE } from "./state-file.js";

/** What the store keeps for one namespace: its committed records, history index and random/id streams. */
export interface StoredNamespace {
  readonly name: string;
  /** The committed records: what every read sees (a change shows here once it is on disk). */
  readonly state: NamespaceRecords;
  readonly history: HistoryIndex;
  readonly random: Random;
  readonly ids: Ids;
}

/** One change to a namespace's records, made synchronously inside `Store.mutate`. */
export interface Tx {
  /** The records as this change sees them: committed, plus changes made but not yet on disk. */
  readonly state: NamespaceRecords;
  putWebhook(w: WebhookRecord): void;
  deleteWebhooks(ids: string[]): void;
  putUser(u: UserRecord): void;
  putToken(t: TokenRecord): void;
  setPreferences(p: Preferences): void;
  putStorageIdentity(orgId: string, identity: { aws_account_id: string; external_id: string }): void;
  putSchedule(s: ScheduleRecord): void;
  deleteSchedules(ids: string[]): void;
  /** A run of a schedule (new, or the same run id again with its end). */
  putScheduleRun(scheduleId: string, run: ScheduleRun): void;
}

export interface StoreOptions {
  /** null keeps everything in memory (--in-memory). */
  dataDir: string | null;
  fixtures: Fixtures;
  seed?: number | undefined;
  clock: Clock;
  /** false = acknowledge once the OS has the bytes (survives a crash of the emulator, not of the machine). */
  fsync?: boolean;
  /** --compact-expired: drop history older than `retentionMs` when the log is compacted. */
  compactExpired?: boolean;
  retentionMs: number;
  /** --repair: keep every readable line of a log with unreadable ones (which are set aside). */
  repair?: boolean;
  /** --reset-data: move an unusable state or history aside and start that part from the fixtures. */
  resetData?: boolean;
  /** How many namespaces may exist at once. */
  maxNamespaces?: number;
  /** Who holds the data dir (for the lock file). */
  owner?: { port: number | null; host: string | null };
  log?: (line: string) => void;
}

export interface Store {
  namespace(name: string): StoredNamespace;
  /** Every namespace with records or history. */
  names(): string[];
  /** Namespaces whose committed records hold schedules (the scheduler starts them at start-up). */
  withSchedules(): string[];
  /**
   * Makes one change: `change` runs synchronously against the records as changed so far and
   * records ops through the Tx; resolves with its result once they are on disk. A change whose
   * write fails changes nothing (503).
   */
  mutate<T>(ns: StoredNamespace, change: (tx: Tx) => T): Promise<T>;
  /** Stores jobs (new or updated); they show in the history once on disk. */
  putJobs(ns: StoredNamespace, records: JobRecord[]): Promise<void>;
  /** Forgets namespaces' records, history and tokens (they are seeded again on next use). */
  reset(names: string[]): Promise<void>;
  readonly tokens: TokenIndex;
  /** Resolves once every write asked for so far (compaction included) is done. */
  flush(): Promise<void>;
  /** New fixtures (--watch): namespaces seeded from now on (new ones, and after a reset) start from them. */
  setFixtures(f: Fixtures): void;
  /** Counts for /_emulator/metrics: namespaces, jobs, group commits and the changes they carried. */
  stats(): { namespaces: number; history_jobs: number; commits: number; changes: number; write_ms: number };
  close(): Promise<void>;
}

interface Entry {
  ns: StoredNamespace;
  /** Committed records plus changes not yet on disk: what a change is checked against. */
  live: NamespaceRecords;
  /** The random-stream generation of this run (persisted with the first change). */
  gen: number;
  /** The namespace has an `init` on disk (or in the snapshot); `initQueued` once one is in a write. */
  onDisk: boolean;
  initQueued: boolean;
  genOnDisk: boolean;
  genQueued: boolean;
  /** Changes applied to `live` and not yet committed. */
  pending: number;
}

const DEFAULT_MAX_NAMESPACES = 1000;

/** Opens (or creates) the store. Throws DataFileError when a data file exists but is unusable. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const fsync = opts.fsync ?? true;
  const dir = opts.dataDir;
  let unlock = () => {};
  if (dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(dir, opts.owner ?? { port: null, host: null });
  }
  try {
    return await open(opts, dir, fsync, log, unlock);
  } catch (err) {
    unlock();
    throw err;
  }
}

async function open(
  opts: StoreOptions,
  dir: string | null,
  fsync: boolean,
  log: (line: string) => void,
  unlock: () => void,
): Promise<Store> {
  const now = opts.clock.now();
  const loadOpts = { repair: opts.repair ?? false, now, warn: log };
  if (dir) {
    chmodSync(dir, 0o700);
    removeLeftovers(dir);
  }

  // State: the snapshot, then every op logged since.
  const committed = new Map<string, NamespaceRecords>();
  const gens = new Map<string, number>();
  const snapshotFile = dir ? new SnapshotFile(join(dir, STATE_FILE), fsync) : null;
  const snapshot = snapshotFile ? new Low<SnapshotRead | SnapshotWrite>(snapshotFile, { wal: 0, generations: {}, namespaces: {} }) : null;
  const ops = dir ? new OpLog(dir, fsync) : null;
  const loadState = async () => {
    committed.clear();
    gens.clear();
    const snap = ((await snapshotFile?.read()) ?? null) as SnapshotRead | null;
    for (const [name, gen] of Object.entries(snap?.generations ?? {})) gens.set(name, gen);
    for (const [name, state] of Object.entries(snap?.namespaces ?? {})) committed.set(name, recordsOf(state, opts.fixtures.liveboards));
    ops?.load(snap?.wal ?? 0, (op) => replay(committed, gens, op, opts.fixtures), loadOpts);
  };
  try {
    await loadState();
  } catch (err) {
    if (!(err instanceof DataFileError) || !opts.resetData || !dir) throw err;
    const opFiles = readdirSync(dir).filter((f) => /^ops-\d+\.jsonl$/.test(f));
    for (const f of moveAside([join(dir, STATE_FILE), ...opFiles.map((f) => join(dir, f))], now))
      log(`[emulator] Moved ${f} aside (--reset-data).`);
    await loadState();
  }

  // History: kept by the log, indexed in memory.
  const histories = new Map<string, HistoryIndex>();
  const historyLog = dir ? new HistoryLog(join(dir, HISTORY_FILE), fsync) : null;
  const historyOf = (name: string) => {
    let h = histories.get(name);
    if (!h) {
      histories.set(name, (h = new HistoryIndex()));
      if (historyLog) h.reader = (off, len) => historyLog.readAt(off, len);
    }
    return h;
  };
  let loadedLines = 0;
  if (historyLog) {
    const cutoff = opts.compactExpired ? now - opts.retentionMs : -Infinity;
    const loadHistoryFile = () => {
      histories.clear();
      return loadHistory(historyLog, cutoff, historyOf);
    };
    let scan: ReturnType<typeof loadHistory>;
    try {
      scan = loadHistoryFile();
    } catch (err) {
      if (!(err instanceof DataFileError)) throw err;
      if (opts.repair) {
        const { removed, aside } = repairLog(historyLog.file, isHistoryLine, now);
        log(`[emulator] --repair: set ${removed} unreadable line(s) of ${historyLog.file} aside in ${aside}.`);
      } else if (opts.resetData) {
        for (const f of moveAside([historyLog.file], now)) log(`[emulator] Moved ${f} aside (--reset-data).`);
      } else throw err;
      scan = loadHistoryFile();
    }
    const aside = historyLog.openAfter(scan, now);
    if (aside)
      log(
        `[emulator] ${historyLog.file} ended in a cut-off line (a write interrupted by a crash, never acknowledged); its bytes are in ${aside}.`,
      );
    loadedLines = scan.lines;
  }

  const tokens = new TokenIndex();
  for (const [name, records] of committed) tokens.load(name, records);

  const entries = new Map<string, Entry>();
  let fixtures = opts.fixtures;
  const maxNamespaces = opts.maxNamespaces ?? DEFAULT_MAX_NAMESPACES;
  const randomFor = (name: string, gen: number) =>
    opts.seed === undefined ? cryptoRandom() : seededRandom(opts.seed, gen === 0 ? name : `${name}\u0000${gen}`);

  /** After a failed write nothing of it stays: every change not on disk is dropped from memory. */
  const onFailure = (err: unknown) => {
    for (const e of entries.values()) {
      if (e.pending === 0 && e.initQueued === e.onDisk && e.genQueued === e.genOnDisk) continue;
      e.live = copyRecords(e.ns.state);
      e.pending = 0;
      e.initQueued = e.onDisk;
      e.genQueued = e.genOnDisk;
    }
    log(
      `[emulator] A write to the data dir failed (${(err as Error).message}); the changes in it were answered with an error and dropped.`,
    );
  };

  const writer = new Writer({
    ops,
    history: historyLog,
    snapshot,
    snapshotOf: (wal) => ({
      wal,
      generations: Object.fromEntries(gens),
      namespaces: [...committed].filter(([name]) => entries.get(name)?.onDisk ?? true),
    }),
    histories,
    onFailure,
    log,
  });
  const liveCount = [...histories.values()].reduce((n, h) => n + h.size, 0);
  if (opts.compactExpired || (loadedLines > 10_000 && loadedLines > 2 * liveCount)) writer.compactSoon();

  const entryOfNs = (ns: StoredNamespace): Entry => {
    const e = entries.get(ns.name);
    // (The registry hands out its own object around the store's: the records identify the namespace's life.)
    if (!e || e.ns.state !== ns.state)
      throw badRequest(`Namespace '${ns.name}' was reset while this request was running; nothing was saved.`);
    return e;
  };

  /** Ops that must reach the disk before this namespace's first change of the run: its init or new generation. */
  const preamble = (e: Entry): { lines: string[]; init: boolean; gen: boolean } => {
    if (!e.initQueued) {
      e.initQueued = true;
      e.genQueued = true;
      const init: Op = { ns: e.ns.name, op: "init", gen: e.gen, state: stateOf(e.ns.state) };
      return { lines: [JSON.stringify(init)], init: true, gen: true };
    }
    if (!e.genQueued) {
      e.genQueued = true;
      return { lines: [JSON.stringify({ ns: e.ns.name, op: "gen", gen: e.gen } satisfies Op)], init: false, gen: true };
    }
    return { lines: [], init: false, gen: false };
  };
  const markOnDisk = (e: Entry, p: { init: boolean; gen: boolean }) => {
    if (p.init) e.onDisk = true;
    if (p.gen) {
      e.genOnDisk = true;
      gens.set(e.ns.name, e.gen);
    }
  };

  const applyCommitted = (e: Entry, op: RecordOp) => {
    applyOp(e.ns.state, op);
    if (op.op === "put" && op.coll === "tokens") tokens.put(e.ns.name, op.value, opts.clock.now(), [e.ns.state, e.live]);
  };

  const store: Store = {
    tokens,
    namespace(name) {
      const known = entries.get(name);
      if (known) return known.ns;
      if (entries.size >= maxNamespaces) {
        throw new ApiError(
          400,
          `The emulator already holds ${maxNamespaces} namespaces (--max-namespaces). Reset unused ones with POST /_emulator/reset, or start with a higher --max-namespaces.`,
        );
      }
      const loaded = committed.get(name);
      const records = loaded ?? recordsOf(seedState(fixtures));
      committed.set(name, records);
      // A new run (or a new life after a reset) never replays a stream that issued ids before.
      const previous = gens.get(name);
      const gen = previous === undefined ? 0 : previous + 1;
      const random = randomFor(name, gen);
      const ns: StoredNamespace = { name, state: records, history: historyOf(name), random, ids: createIds(random) };
      const onDisk = loaded !== undefined;
      entries.set(name, {
        ns,
        live: copyRecords(records),
        gen,
        onDisk,
        initQueued: onDisk,
        genOnDisk: false,
        genQueued: false,
        pending: 0,
      });
      return ns;
    },
    names: () => [...new Set([...committed.keys(), ...[...histories].filter(([, h]) => h.size > 0).map(([n]) => n)])],
    withSchedules: () => [...committed].filter(([, r]) => r.schedules.length > 0).map(([n]) => n),
    async mutate(ns, change) {
      const e = entryOfNs(ns);
      const made: RecordOp[] = [];
      const name = ns.name;
      const put = (op: RecordOp) => {
        applyOp(e.live, op);
        made.push(op);
      };
      const tx: Tx = {
        get state() {
          return e.live;
        },
        putWebhook: (value) => put({ ns: name, op: "put", coll: "webhooks", value }),
        deleteWebhooks: (keys) => put({ ns: name, op: "del", coll: "webhooks", keys }),
        putUser: (value) => put({ ns: name, op: "put", coll: "users", value }),
        putToken: (value) => put({ ns: name, op: "put", coll: "tokens", value }),
        setPreferences: (value) => put({ ns: name, op: "set", field: "preferences", value }),
        putStorageIdentity: (key, value) => put({ ns: name, op: "put", coll: "storage_identity", key, value }),
        putSchedule: (value) => put({ ns: name, op: "put", coll: "schedules", value }),
        deleteSchedules: (keys) => put({ ns: name, op: "del", coll: "schedules", keys }),
        putScheduleRun: (key, value) => put({ ns: name, op: "put", coll: "schedule_runs", key, value }),
      };
      let result: Awaited<ReturnType<typeof change>>;
      try {
        result = change(tx) as typeof result;
      } catch (err) {
        if (made.length) e.live = copyRecords(e.ns.state); // a change that throws leaves nothing behind
        throw err;
      }
      if (made.length === 0) return result;
      const pre = preamble(e);
      e.pending++;
      await writer.request({
        ops: [...pre.lines, ...made.map((op) => JSON.stringify(op))],
        committed: () => {
          markOnDisk(e, pre);
          for (const op of made) applyCommitted(e, op);
          e.pending--;
        },
      });
      return result;
    },
    async putJobs(ns, records) {
      const e = entryOfNs(ns);
      const jobs = records.map((r) => entryOf(r));
      // A batch's jobs mostly share channel and org: their line prefix is made once.
      let last: { ch: string; org: string; text: string; bytes: number } | null = null;
      const prefixes = jobs.map((j) => {
        if (last?.ch !== j.ch || last.org !== j.org) {
          const text = linePrefix(ns.name, j);
          last = { ch: j.ch, org: j.org, text, bytes: Buffer.byteLength(text) };
        }
        return last;
      });
      const pre = preamble(e);
      await writer.request({
        ops: pre.lines,
        history: jobs.map((j, k) => `${prefixes[k]!.text}${j.json!}}`),
        committed: (offsets) => {
          markOnDisk(e, pre);
          if (historyLog) {
            jobs.forEach((j, k) => {
              j.off = offsets[k]! + prefixes[k]!.bytes;
              j.len = Buffer.byteLength(j.json!);
              j.json = null;
            });
          }
          ns.history.putMany(jobs);
        },
      });
    },
    async reset(names) {
      const opsLines: string[] = [];
      for (const n of names) {
        const e = entries.get(n);
        const gen = e?.gen ?? gens.get(n) ?? 0;
        tokens.forget(n, committed.get(n));
        committed.delete(n);
        entries.delete(n);
        histories.get(n)?.detach();
        histories.delete(n);
        gens.set(n, gen);
        opsLines.push(JSON.stringify({ ns: n, op: "drop", gen } satisfies Op));
      }
      await writer.request({ ops: opsLines, history: names.map((n) => JSON.stringify({ ns: n, clear: true })) });
    },
    flush: () => writer.idle(),
    setFixtures(f) {
      fixtures = f;
    },
    stats() {
      const { commits, changes, writeMs } = writer.stats;
      let jobs = 0;
      for (const h of histories.values()) jobs += h.size;
      return { namespaces: store.names().length, history_jobs: jobs, commits, changes, write_ms: Math.round(writeMs) };
    },
    async close() {
      try {
        await writer.close(true);
      } finally {
        ops?.close();
        historyLog?.close();
        unlock();
      }
    },
  };
  return store;
}

/** Applies one logged op at start-up. */
function replay(committed: Map<string, NamespaceRecords>, gens: Map<string, number>, op: Op, fixtures: Fixtures): void {
  switch (op.op) {
    case "init":
      committed.set(op.ns, recordsOf(op.state, fixtures.liveboards));
      gens.set(op.ns, Math.max(op.gen, gens.get(op.ns) ?? 0));
      return;
    case "drop":
      committed.delete(op.ns);
      gens.set(op.ns, Math.max(op.gen, gens.get(op.ns) ?? 0));
      return;
    case "gen":
      gens.set(op.ns, Math.max(op.gen, gens.get(op.ns) ?? 0));
      return;
    default: {
      const records = committed.get(op.ns);
      if (records) applyOp(records, op);
    }
  }
}

export { opFileName, StoreFailure };
